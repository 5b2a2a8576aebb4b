"""Streamed csv and json are the same text as drawn whole."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st

from dereg.output import render, write

COLUMNS = ("id", "name", "amount", "flag")
rows = st.lists(
    st.fixed_dictionaries({
        "id": st.integers(0, 10**6), "name": st.text(), "amount": st.none() | st.text(max_size=8),
        "flag": st.none() | st.booleans(),
    }),
    max_size=5,
)  # fmt: skip


@given(rows)
def test_streamed_output_equals_the_whole(rows):
    for fmt in ("csv", "json", "table"):
        out = io.StringIO()
        write(iter(rows), COLUMNS, fmt, out)
        assert out.getvalue() == render(rows, COLUMNS, fmt), fmt
