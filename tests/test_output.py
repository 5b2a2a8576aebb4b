"""Streamed csv and json are the same text as drawn whole; the summary's terminal table."""

from __future__ import annotations

import io
import tracemalloc

from hypothesis import given, settings
from hypothesis import strategies as st

from dereg.output import narrow_table, render, write

COLUMNS = ("id", "name", "amount", "flag")
# Text with what tables split lines at, pad and strip: notes hold line breaks.
lines = st.lists(st.sampled_from(list("ab Қә\n\r\t\u2028\x0c\u00a0-")), max_size=12).map("".join)
rows = st.lists(
    st.fixed_dictionaries(
        {
            "id": st.integers(0, 10**6),
            "name": st.text() | lines,
            "amount": st.none() | st.text(max_size=8) | lines,
            "flag": st.none() | st.booleans() | st.floats(allow_nan=False),
        }
    ),
    max_size=6,
)


@settings(max_examples=300)
@given(rows)
def test_streamed_output_equals_the_whole(rows):
    """write() draws a table itself, as rows come; render() has tabulate draw it."""
    for fmt in ("csv", "json", "table"):
        out = io.StringIO()
        write(iter(rows), COLUMNS, fmt, out)
        assert out.getvalue() == render(rows, COLUMNS, fmt), fmt


def test_a_streamed_table_holds_its_cells_on_disk_not_in_memory():
    count = 50_000
    rows = (
        {"id": n, "name": f"Қасымова Әлия {n}", "amount": "1 234,56", "flag": n % 2 == 0}
        for n in range(count)
    )

    class Lines(io.TextIOBase):
        written = 0

        def write(self, text):
            self.written += text.count("\n")
            return len(text)

    out = Lines()
    tracemalloc.start()
    try:
        write(rows, COLUMNS, "table", out)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert out.written == count + 2  # the header, its rule, a line a row
    assert peak < 2_000_000  # tabulate, given every row at once, peaked at 56 MB


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
