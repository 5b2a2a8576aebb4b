"""Rows to text: the one place output is drawn, as table, csv, json or markdown."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import TextIO


def render(rows: Sequence[dict], columns: Sequence[str], fmt: str, total: dict | None = None) -> str:
    """Draw rows; total (a last row of sums) shows in markdown only."""
    if fmt == "json":
        return json.dumps([_json_row(row, columns) for row in rows], ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_csv_cell(row[column]) for column in columns] for row in rows)
        return out.getvalue()
    from tabulate import tabulate  # only the commands that draw a table pay for it

    body = [[_table_cell(row[column]) for column in columns] for row in rows]
    if total is not None and rows:
        body.append([_table_cell(total.get(column, "")) for column in columns])
    style = "github" if fmt == "markdown" else "simple"
    if not body:
        return "(none)\n" if fmt == "table" else tabulate([], headers=list(columns), tablefmt=style) + "\n"
    text = tabulate(body, headers=list(columns), tablefmt=style, disable_numparse=True)
    return text + "\n"


def write(rows: Iterable[dict], columns: Sequence[str], fmt: str, out: TextIO) -> None:
    """Draw rows onto out as they come: csv and json stream, whatever the number of rows.

    A table must see every row to size its columns, so it is drawn whole by render().
    """
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_csv_cell(row[column]) for column in columns] for row in rows)
    elif fmt == "json":  # the same text as json.dumps(list, indent=2), one row at a time
        opening = "["
        for row in rows:
            text = json.dumps(_json_row(row, columns), ensure_ascii=False, indent=2)
            out.write(opening + "\n  " + text.replace("\n", "\n  "))
            opening = ","
        out.write("[]\n" if opening == "[" else "\n]\n")
    else:
        out.write(render(list(rows), columns, fmt))


def _json_row(row: dict, columns: Sequence[str]) -> dict:
    return {column: row[column] for column in columns}


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _table_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def narrow_table(
    body: list[list], headings: list[str], *, width: int, text_columns: int, total: bool
) -> str:
    """A table with one-space gaps whose first text_columns wrap to fit width characters.

    The numbers keep their full width and align right; a rule sets off a total last row.
    """
    import tabulate as tabulation

    cells = [[_table_cell(value) for value in row] for row in body]
    numeric_widths = [
        max([len(line) for line in headings[i].split("\n")] + [len(row[i]) for row in cells])
        for i in range(text_columns, len(headings))
    ]
    room = width - sum(numeric_widths) - (len(headings) - 1)
    natural = _text_widths([row[:text_columns] for row in [headings, *cells]], room)
    if "narrow" not in tabulation.multiline_formats:
        rows = tabulation.DataRow("", " ", "")
        tabulation._table_formats["narrow"] = tabulation.TableFormat(
            lineabove=None, linebelowheader=tabulation.Line("", "-", " ", ""),
            linebetweenrows=None, linebelow=None, headerrow=rows, datarow=rows,
            padding=0, with_header_hide=None,
        )  # fmt: skip
        tabulation.multiline_formats["narrow"] = "narrow"
    padding, tabulation.MIN_PADDING = tabulation.MIN_PADDING, 0  # headings need no extra room
    try:
        text = tabulation.tabulate(
            cells, headers=headings, tablefmt="narrow", disable_numparse=True,
            maxcolwidths=natural + [None] * len(numeric_widths),
            colalign=["left"] * text_columns + ["right"] * len(numeric_widths),
        )  # fmt: skip
    finally:
        tabulation.MIN_PADDING = padding
    if total:
        lines = text.split("\n")
        rule = next(line for line in lines if line and set(line) <= {"-", " "})
        last_row_lines = max(len(cell.split("\n")) for cell in _wrapped(cells[-1], natural))
        lines.insert(len(lines) - last_row_lines, rule)
        text = "\n".join(lines)
    return text


def _text_widths(rows: list[list[str]], room: int) -> list[int]:
    """Widths for the text columns within room: whole words first, then the rest shared out."""
    longest = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    if sum(longest) <= room:
        return longest
    words = [max(len(word) for row in rows for word in row[i].split() or [""]) for i in range(len(longest))]
    spare = max(room - sum(words), 0)
    wanted = [full - word for full, word in zip(longest, words)]
    return [max(word + spare * want // max(sum(wanted), 1), 6) for word, want in zip(words, wanted)]


def _wrapped(row: list[str], widths: list[int]) -> list[str]:
    """The cells as tabulate wraps them: the first len(widths) to those widths."""
    import textwrap

    return [
        "\n".join(textwrap.wrap(cell, widths[i])) or cell if i < len(widths) else cell
        for i, cell in enumerate(row)
    ]
