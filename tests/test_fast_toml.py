"""The fast reader of the tool's own [[entries]] blocks (store/toml.py ``entry_table``) gives
exactly what the reference parser gives, or None (and the block goes to the reference parser).
Never a value where tomli raises. SYNTHETIC data."""

from __future__ import annotations

import datetime as dt

import pytest
import tomli
import tomli_w
from hypothesis import HealthCheck, example, given, settings, strategies as st

from eduplan.store.toml import entry_table

KEYS = ("id", "indicator", "county", "as_of", "value", "added", "numerator", "denominator", "state", "supersedes",
        "void", "for_city", "reason", "note", "source", "batch", "batch_size", "accepted", "by", "recorded_at")


def _typed(v):
    """A value with everything equality forgets: its type, a zone's offset, a float's sign."""
    if isinstance(v, dict):
        return {k: _typed(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_typed(x) for x in v]
    if isinstance(v, dt.datetime):
        return ("datetime", v.isoformat(), v.utcoffset(), type(v.tzinfo).__name__)
    if isinstance(v, float):
        return ("float", repr(v))
    return (type(v).__name__, v)


def agrees(text: str) -> dict | None:
    """Check the fast reader against tomli on one block; return the fast result."""
    fast = entry_table(text)
    try:
        ref = tomli.loads(text)
    except tomli.TOMLDecodeError:
        assert fast is None, f"fast read {fast!r} where tomli raises: {text!r}"
        return None
    if fast is not None:
        assert list(ref) == ["entries"] and len(ref["entries"]) == 1, text
        assert _typed(fast) == _typed(ref["entries"][0]), text
        assert list(fast) == list(ref["entries"][0])  # and in the same order
    return fast


zones = st.builds(lambda m: dt.timezone(dt.timedelta(minutes=m)), st.integers(-23 * 60 - 59, 23 * 60 + 59))
stamps = st.builds(lambda d, tz: d.replace(tzinfo=tz),
                   st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)), zones)
stamps_whole = stamps.map(lambda d: d.replace(microsecond=0))
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
values = st.one_of(
    st.integers(), st.integers(-10**6, 10**7), st.floats(allow_nan=False), st.floats(0, 1e7),
    st.booleans(), texts, st.sampled_from(["椒江区", "synthetic", "a \"q\"", "back\\slash", "tab\tin", ""]),
    st.dates(), stamps, stamps_whole, st.datetimes(), st.lists(st.text(max_size=3), max_size=2),
)
rows = st.dictionaries(st.sampled_from(KEYS + ("other", "x-y")), values, max_size=10)
# values as entries carry them (most read fast): the property is then tested on the fast path itself
plain_values = st.one_of(
    st.integers(-10**20, 10**20), st.integers(0, 10**6), st.floats(-1e6, 1e20), st.floats(0, 100).map(lambda x: round(x, 2)),
    st.booleans(), st.text(st.characters(min_codepoint=32, max_codepoint=0x9fff, blacklist_characters='\x7f', blacklist_categories=("Cs",)),
                           max_size=12), st.dates(), stamps_whole)
plain_rows = st.dictionaries(st.sampled_from(KEYS), plain_values, max_size=12)
# entries as the tool writes them: keys in the order written, each with the type it has (sometimes another)
plain_texts = st.text(st.characters(min_codepoint=32, max_codepoint=0x9fff, blacklist_characters='\x7f',
                                    blacklist_categories=("Cs",)), max_size=12)
numbers = st.one_of(st.integers(-10**19, 10**19), st.floats(-1e6, 1e17), st.floats(0, 100).map(lambda x: round(x, 2)))
typed = {"id": st.integers(-5, 10**19), "as_of": st.dates(), "value": numbers, "added": numbers, "numerator": numbers,
         "denominator": numbers, "supersedes": st.one_of(st.integers(-5, 10**6), plain_texts), "void": st.booleans(),
         "for_city": st.booleans(), "batch_size": st.integers(-5, 10**6), "accepted": st.lists(plain_texts, max_size=3),
         "recorded_at": st.one_of(stamps_whole, stamps)}


@st.composite
def entry_rows(draw):
    row = {}
    for key in KEYS:
        if draw(st.booleans()):
            row[key] = draw(st.one_of(typed.get(key, plain_texts), plain_values) if draw(st.integers(0, 9)) == 0
                            else typed.get(key, plain_texts))
    return row


def canonical(row: dict) -> str:
    """The block ``tomli_w`` writes for this table (as ``render_entries`` does for a whole entry;
    a short table it would inline, so the header is written here)."""
    return "[[entries]]\n" + tomli_w.dumps(row)


def test_canonical_is_what_the_tool_writes():
    from eduplan.core.models import Entry
    from eduplan.store.ledgerfile import entry_to_dict, render_entries

    e = Entry(3, "investment", dt.date(2023, 5, 31), "synthetic-clerk-2",
              dt.datetime(2023, 6, 1, 9, 0, 1, tzinfo=dt.timezone(dt.timedelta(hours=8))), county="椒江区", value=1.5,
              note="synthetic", accepted=("outlier",))
    assert render_entries([e]) == "\n" + canonical(entry_to_dict(e))


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
@given(rows)
def test_generated_entries_read_as_tomli_reads_them(row):
    agrees(canonical(row))
    agrees(canonical(row) + "\n")  # a block as split: the blank line before the next one


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
@given(plain_rows)
def test_plain_values_read_fast_as_tomli_reads_them(row):
    agrees(canonical(row))
    agrees(canonical(row) + "\n")


@settings(max_examples=3000, suppress_health_check=[HealthCheck.too_slow])
@given(entry_rows())
def test_entries_as_written_read_fast_as_tomli_reads_them(row):
    agrees(canonical(row))
    agrees(canonical(row) + "\n")  # a block as split: the blank line before the next one


ENTRY = ('[[entries]]\nid = 7\nindicator = "investment"\ncounty = "玉环市"\nas_of = 2023-02-28\nvalue = 12.5\n'
         'numerator = 3\ndenominator = 40\nstate = "done"\nsupersedes = 6\nvoid = false\nfor_city = true\n'
         'reason = "typo"\nnote = "synthetic"\nbatch_size = 12\nby = "synthetic-clerk-1"\n'
         'recorded_at = 2023-03-01 12:03:10-09:30\n\n')


def test_the_tools_own_form_is_read_fast():
    row = agrees(ENTRY)
    assert row is not None and row["recorded_at"].utcoffset() == -dt.timedelta(hours=9, minutes=30)
    assert agrees(ENTRY.replace("+08:00", "+00:00").replace("-09:30", "+00:00"))["recorded_at"].tzinfo is dt.timezone.utc


@pytest.mark.parametrize("change", [
    ("= 7", "= 07"), ("= 7", "= +7"), ("= 7", "= 7_0"), ("= 7", "= 0x7"), ("= 7", "= 7 # c"), ("= 7", "= 7 "),
    ("= 7", "=7"), ("id =", "id  ="), ("id =", '"id" ='), ("12.5", "1e5"), ("12.5", "12."), ("12.5", "inf"),
    ("12.5", "nan"), ("12.5", "-0.0"), ("12.5", "01.5"), ("12.5", "1_2.5"), ("2023-02-28", "2023-02-30"),
    ("2023-02-28", "2023-2-28"), ("2023-02-28", "0000-01-01"), ("2023-02-28", "2023-02-28T00:00:00"),
    ("-09:30", "Z"), ("-09:30", "z"), ("-09:30", "+24:00"), ("-09:30", "+23:60"), ("-09:30", "+00:60"),
    ("-09:30", "-00:00"), ("-09:30", ""), ("12:03:10", "12:03"), ("12:03:10", "12:03:10.5"), ("12:03:10", "24:00:00"),
    ("12:03:10", "12:60:00"), ("12:03:10", "12:03:60"), ("2023-03-01 12", "2023-03-01T12"), ("typo", "ty\\po"),
    ("typo", "ty\\\"po"), ("typo", "ty\tpo"), ("typo", "ty\x7fpo"), ("typo", "ty\x00po"), ("typo", "ty\u2028po"),
    ('"typo"', "'typo'"), ('"typo"', '"""typo"""'), ("\n", "\r\n"), ("false", "False"), ("false", "falsey"),
    ("true", "1"), ("id = 7\n", "id = 7\nid = 8\n"), ("[[entries]]", "[[entries]] "), ("[[entries]]", "[entries]"),
    ("\n\n", "\n[other]\nx = 1\n"), ("\n\n", "\n# a comment\n"), ("\n\n", "\n  \n"), ("batch_size = 12", "accepted = []"),
    ("batch_size = 12", "accepted = [\"r\"]"), ("batch_size = 12", "point = {x = 1}"), ("batch_size = 12", "a.b = 1"),
    ("batch_size = 12", "other = 1"), ("= 7", "= 123456789012345678901234567890"), ("= 7", "= -0"), ("= 7", "= -7"),
])
def test_other_forms_are_left_to_tomli(change):
    old, new = change
    assert old in ENTRY
    agrees(ENTRY.replace(old, new, 1))


@settings(max_examples=3000, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.data())
@example(None)
def test_mutated_blocks_never_read_otherwise_than_tomli(data):
    if data is None:
        agrees(ENTRY)
        return
    text = data.draw(st.sampled_from([ENTRY, canonical({"id": 1, "value": 0.5, "recorded_at": dt.datetime(
        2023, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))})]))
    alphabet = st.sampled_from(list('"\\\'#=[]{}.,+-_:TZ ez0123456789\t\r\n\x00\x7f\u3000椒') + ["true", "false", " = "])
    for _ in range(data.draw(st.integers(1, 4))):
        k = data.draw(st.integers(0, len(text)))
        what = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = data.draw(alphabet)
        if what == "insert":
            text = text[:k] + piece + text[k:]
        elif what == "delete":
            text = text[:k] + text[k + data.draw(st.integers(1, 5)):]
        else:
            text = text[:k] + piece + text[k + len(piece):]
    agrees(text)
