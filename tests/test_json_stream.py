"""The streamed JSON arrays (log, the bulletin's month of entries) are exactly what json.dumps
writes for the whole list, indented or compact, whatever the items and however many batches."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from eduplan.render.encoding import HOLE, json_array, json_with_array

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
