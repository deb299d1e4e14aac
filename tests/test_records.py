"""A @record behaves as the standard library's frozen dataclass of the same fields would.

Every type of the core is a record, so a difference here would show as a wrong figure (an
equality or a hash that ignores a field), a changed plan fingerprint (the repr), or a mutable
entry."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eduplan.core.records import record, replace


def _body():
    # The same class body for both decorators: every kind of field the code base uses.
    class Sample:
        """A sample."""

        id: int
        name: str
        county: str | None = None
        tags: tuple[str, ...] = ()
        params: dict = dataclasses.field(default_factory=dict, compare=False)
        fingerprint: str = dataclasses.field(default="", compare=False)
        hidden: int = dataclasses.field(default=0, repr=False)
        derived: str = dataclasses.field(init=False, repr=False, compare=False)

        def __post_init__(self) -> None:
            object.__setattr__(self, "derived", f"{self.name}#{self.id}")

    return Sample


Std = dataclasses.dataclass(frozen=True, slots=True)(_body())
Rec = record(_body())
StdUnslotted = dataclasses.dataclass(frozen=True)(_body())
RecUnslotted = record(slots=False)(_body())
for _cls, _name in ((Std, "Std"), (Rec, "Rec"), (StdUnslotted, "StdUnslotted"), (RecUnslotted, "RecUnslotted")):
    _cls.__qualname__ = _cls.__name__ = _name  # module-level names, so that pickle finds them

texts = st.text(max_size=8)
values = st.fixed_dictionaries(
    {"id": st.integers(), "name": texts},
    optional={"county": st.none() | texts, "tags": st.lists(texts, max_size=3).map(tuple),
              "params": st.dictionaries(texts, st.integers(), max_size=2),
              "fingerprint": texts, "hidden": st.integers()},
)


@pytest.mark.parametrize(("std", "rec"), [(Std, Rec), (StdUnslotted, RecUnslotted)])
@given(a=values, b=values)
def test_a_record_equals_hashes_and_prints_as_the_frozen_dataclass(std, rec, a, b):
    sa, sb, ra, rb = std(**a), std(**b), rec(**a), rec(**b)
    assert repr(ra).partition("(")[2] == repr(sa).partition("(")[2]
    assert repr(ra).startswith(f"{rec.__qualname__}(")
    assert (ra == rb) == (sa == sb)
    if ra == rb:
        assert hash(ra) == hash(rb)
    assert ra.derived == sa.derived
    assert [getattr(ra, f.name) for f in dataclasses.fields(ra)] == [getattr(sa, f.name) for f in dataclasses.fields(sa)]
    # by position as well as by name
    positional = [a["id"], a["name"]]
    assert rec(*positional) == rec(**{"id": a["id"], "name": a["name"]})


def test_a_record_is_not_equal_to_another_type_with_the_same_fields():
    assert Rec(1, "x") != Std(1, "x")
    assert Rec(1, "x") != (1, "x")
    assert Rec(1, "x") == Rec(1, "x", params={"ignored": 1}, fingerprint="ignored too")
    assert Rec(1, "x") != Rec(1, "x", hidden=2)  # repr=False is still compared


@pytest.mark.parametrize("cls", [Rec, RecUnslotted])
def test_a_record_cannot_be_changed(cls):
    r = cls(1, "x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.name = "y"
    with pytest.raises(dataclasses.FrozenInstanceError):
        del r.name
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.other = 1
    assert r.name == "x"


@pytest.mark.parametrize("cls", [Rec, RecUnslotted])
def test_a_record_copies_pickles_and_replaces(cls):
    r = cls(1, "x", county="椒江区", params={"k": 1}, hidden=3)
    for twin in (pickle.loads(pickle.dumps(r)), copy.copy(r), copy.deepcopy(r)):
        assert twin == r and twin.params == r.params and twin.hidden == 3 and twin.derived == "x#1"
    changed = dataclasses.replace(r, name="y")
    assert changed.derived == "y#1" and changed.county == "椒江区" and r.name == "x"
    with pytest.raises(ValueError):
        dataclasses.replace(r, derived="no")


@pytest.mark.parametrize("cls", [Rec, RecUnslotted])
@given(a=values, b=values)
def test_records_replace_makes_what_dataclasses_replace_makes(cls, a, b):
    # (the core makes a status row this way hundreds of times a status)
    r = cls(**a)
    changes = {k: v for k, v in b.items() if k != "id"}
    quick, std = replace(r, **changes), dataclasses.replace(r, **changes)
    assert type(quick) is cls and quick == std and repr(quick) == repr(std) and quick.derived == std.derived
    assert [getattr(quick, f.name) for f in dataclasses.fields(cls)] == [getattr(std, f.name) for f in dataclasses.fields(cls)]
    assert replace(r) == r and replace(r) is not r
    for wrong in ({"derived": "no"}, {"nothing": 1}):  # not set by __init__, or not a field: as dataclasses refuses
        with pytest.raises((TypeError, ValueError)) as quick_error:
            replace(r, **wrong)
        with pytest.raises(quick_error.type):
            dataclasses.replace(r, **wrong)


def test_a_subclass_of_a_record_is_made_whole_and_stays_frozen():
    # (a record's own instances are made on a twin of the same layout and turned back:
    # a subclass's instance is not turned into its base)
    class Sub(Rec):
        __slots__ = ()

    class SubUnslotted(RecUnslotted):
        pass

    for cls in (Sub, SubUnslotted):
        s = cls(1, "x", county="椒江区")
        assert type(s) is cls and s.county == "椒江区" and s.derived == "x#1" and s.tags == ()
        with pytest.raises(dataclasses.FrozenInstanceError):
            s.name = "y"
    r = Rec(1, "x")
    assert type(r) is Rec
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.id = 2  # frozen again once made


def test_a_record_gets_a_fresh_default_from_its_factory():
    assert Rec(1, "x").params is not Rec(1, "x").params


def test_a_record_without_equality_is_equal_only_to_itself():
    @record(eq=False)
    class Problem:
        message: str

    p = Problem("m")
    assert p == p and p != Problem("m") and len({p, Problem("m")}) == 2


def test_a_required_field_after_a_default_is_refused():
    class Bad:
        a: int = 0
        b: int

    with pytest.raises((TypeError, SyntaxError)):
        record(Bad)


def test_a_keyword_only_field_is_refused_when_the_class_is_defined():
    class Bad:
        a: int = dataclasses.field(default=0, kw_only=True)

    with pytest.raises(TypeError):
        record(Bad)


def test_a_record_keeps_the_methods_its_class_defines():
    @record
    class Named:
        name: str

        def __repr__(self) -> str:
            return f"<{self.name}>"

        def __eq__(self, other):
            return isinstance(other, Named) and self.name.lower() == other.name.lower()

    assert repr(Named("A")) == "<A>"
    assert Named("A") == Named("a")
    assert hash(Named("A")) == hash(Named("A"))  # hashed by its fields, as dataclasses(frozen=True) does

    with pytest.raises(TypeError):
        @record
        class Settable:
            x: int

            def __setattr__(self, name, value):
                pass
