"""The streamed JSON arrays (log, the bulletin's month of entries) are exactly what json.dumps
writes for the whole list, indented or compact, whatever the items and however many batches."""

import dataclasses
import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from eduplan.core.documents import Remark
from eduplan.core.models import Entry, State
from eduplan.render.encoding import HOLE, json_array, json_texts, json_with_array
from eduplan.render.json_out import remark_doc, remark_json

_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


def _whole(items, pretty: bool) -> str:
    if pretty:
        return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    return json.dumps(items, ensure_ascii=False, separators=(",", ":")) + "\n"


@settings(max_examples=150)
@given(st.lists(_values, max_size=8), st.booleans())
def test_a_streamed_array_is_the_whole_array(items, pretty):
    assert "".join(json_array(iter(items), pretty=pretty)) == _whole(items, pretty)


def test_an_array_longer_than_a_batch_is_the_whole_array():
    for n in (0, 1, 499, 500, 501, 1000, 1234):
        items = [{"id": i, "note": "第一季度" if i % 2 else None, "accepted": [str(i)] * (i % 3)} for i in range(n)]
        for pretty in (True, False):
            out = "".join(json_array(iter(items), pretty=pretty))
            assert out == _whole(items, pretty)
            assert json.loads(out) == items


def test_an_array_streamed_into_a_document():
    items = [{"id": i} for i in range(1001)]
    out = "".join(json_with_array({"a": 1, "entries": HOLE, "z": [2]}, iter(items)))
    assert json.loads(out) == {"a": 1, "entries": items, "z": [2]}
    texts = (json.dumps(x, separators=(",", ":")) for x in items)
    assert "".join(json_with_array({"a": 1, "entries": HOLE, "z": [2]}, texts=texts)) == out


def test_an_array_of_written_items_is_the_whole_array():
    for n in (0, 1, 500, 501, 1234):
        items = [{"id": i, "note": "第一季度"} for i in range(n)]
        texts = (json.dumps(x, ensure_ascii=False, separators=(",", ":")) for x in items)
        assert "".join(json_texts(texts)) == _whole(items, pretty=False)


# --------------------------------------------------------------------------- an entry written directly

_figure = (st.none() | st.integers(0, 2**53) | st.floats(0, 2**53, allow_nan=False) | st.integers(2**53, 2**70)
           | st.floats(allow_nan=False))  # (an infinity: never written by eduplan, still the same text)
_words = st.none() | st.text()
_zones = st.sampled_from([dt.timezone.utc, dt.timezone(dt.timedelta(hours=8)), dt.timezone(dt.timedelta(hours=-3, minutes=-30))])


@st.composite
def _remarks(draw):
    when = draw(st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=_zones))
    if draw(st.booleans()):  # most entries: a plain figure, or a plain record, or both (written in line)
        plain_figure, plain_record = draw(st.sampled_from([(True, True), (True, False), (False, True)]))
        e = Entry(draw(st.integers(1, 2**62)), draw(st.text(min_size=1)), draw(st.dates()), draw(st.text()), when,
                  county=draw(_words), value=draw(_figure), note=draw(_words), source=draw(_words),
                  office=draw(st.text()))
        if not plain_figure:
            e = dataclasses.replace(e, added=draw(_figure), numerator=draw(_figure), denominator=draw(_figure),
                                    state=draw(st.none() | st.sampled_from(list(State))))
        if not plain_record:
            e = dataclasses.replace(e, supersedes=draw(st.none() | st.integers(1, 2**62)), void=draw(st.booleans()),
                                    reason=draw(_words), batch=draw(_words),
                                    batch_size=draw(st.none() | st.integers(1, 10**6)),
                                    accepted=tuple(draw(st.lists(st.text(), max_size=3))))
        return Remark(e, None)
    e = Entry(draw(st.integers(1, 2**62)), draw(st.text(min_size=1)), draw(st.dates()), draw(st.text()), when,
              county=draw(_words), value=draw(_figure), added=draw(_figure), numerator=draw(_figure),
              denominator=draw(_figure), state=draw(st.none() | st.sampled_from(list(State))),
              supersedes=draw(st.none() | st.integers(1, 2**62)), void=draw(st.booleans()), reason=draw(_words),
              note=draw(_words), source=draw(_words), batch=draw(_words),
              batch_size=draw(st.none() | st.integers(1, 10**6)), accepted=tuple(draw(st.lists(st.text(), max_size=3))),
              office=draw(st.text()))
    later = None
    if draw(st.booleans()):
        later = Entry(draw(st.integers(1, 2**62)), e.indicator, e.as_of, "x", when, value=1, office=e.office)
    return Remark(e, later)


@settings(max_examples=300)
@given(_remarks())
def test_an_entry_written_directly_is_what_json_dumps_writes(r):
    """log and report write each entry of a long list straight to JSON text; whatever the entry
    holds (any text: quotes, backslashes, control characters, Chinese; numbers whole, fractional,
    beyond 2^53; dates and zones), the text is exactly json.dumps of the entry's document."""
    assert remark_json(r) == json.dumps(remark_doc(r), ensure_ascii=False, separators=(",", ":"))
