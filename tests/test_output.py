"""Streamed csv and json are the same text as drawn whole; the summary's terminal table."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st

from dereg.output import narrow_table, render, write

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


def test_narrow_table_wraps_names_and_keeps_numbers_whole():
    body = [
        ["North Kazakhstan", "Қалалық округ 207, the city maslikhat of Petropavlovsk", 1, 28, "64.3"],
        ["Akmola", "округ 2", 3, None, "100.0"],
        ["total", "", 4, 28, "70.1"],
    ]
    headings = ["region", "district", "seats", "cands", "cut\n%"]
    text = narrow_table(body, headings, width=42, text_columns=2, total=True)
    lines = text.split("\n")
    assert lines[:3] == [
        "region     district      seats cands   cut",
        "                                         %",
        "---------- ------------- ----- ----- -----",
    ]  # headings top-aligned, a rule under them, one space between columns
    assert all(len(line) <= 42 and line == line.rstrip() for line in lines)
    # The long names wrap within their columns; the figures stay on the row's first line.
    assert lines[3:8] == [
        "North      Қалалық округ     1    28  64.3",
        "Kazakhstan 207, the city",
        "           maslikhat of",
        "           Petropavlovsk",
        "Akmola     округ 2           3       100.0",
    ]
    assert lines[8:] == [lines[2], "total                        4    28  70.1"]  # a rule, then the total
