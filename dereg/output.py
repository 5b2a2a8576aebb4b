"""Rows to text: the one place output is drawn, as table, csv, json or markdown."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import TextIO

from dereg.i18n import _


def render(
    rows: Sequence[dict],
    columns: Sequence[str],
    fmt: str,
    total: dict | None = None,
    headings: Sequence[str] | None = None,
) -> str:
    """Draw rows; total (a last row of sums) shows in markdown only. headings (a table's and
    markdown's, for a person) default to the column keys; csv and json always use the keys."""
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
    names = list(headings or columns)
    if not body:
        return _("(none)") + "\n" if fmt == "table" else tabulate([], headers=names, tablefmt=style) + "\n"
    text = tabulate(body, headers=names, tablefmt=style, disable_numparse=True)
    return text + "\n"


def write(
    rows: Iterable[dict], columns: Sequence[str], fmt: str, out: TextIO, headings: Sequence[str] | None = None
) -> None:
    """Draw rows onto out as they come, in memory that does not grow with their number.

    A table must see every row to size its columns: its cells wait in a temporary file.
    """
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_csv_cell(row[column]) for column in columns] for row in rows)
    elif fmt == "json":
        write_json_array((_json_row(row, columns) for row in rows), out)
    elif fmt == "table":
        _write_table(rows, columns, out, headings)
    else:
        out.write(render(list(rows), columns, fmt, headings=headings))


def write_json_array(objects: Iterable[dict], out: TextIO) -> int:
    """The text of json.dumps(list(objects), indent=2), one object at a time; how many."""
    count = 0
    for count, obj in enumerate(objects, 1):
        text = json.dumps(obj, ensure_ascii=False, indent=2)
        out.write(("[" if count == 1 else ",") + "\n  " + text.replace("\n", "\n  "))
    out.write("\n]\n" if count else "[]\n")
    return count


def _write_table(
    rows: Iterable[dict], columns: Sequence[str], out: TextIO, headings: Sequence[str] | None = None
) -> None:
    """The text render() has tabulate draw (its 'simple' table), drawn here from a temporary
    file of the cells: tabulate holds every row several times over, 5 GB for 1M cases."""
    import pickle
    import tempfile

    import tabulate

    with tempfile.TemporaryFile() as spool:
        names = list(headings or columns)
        widths = [len(name) + tabulate.MIN_PADDING for name in names]  # tabulate's headers
        count, multiline, plain = 0, False, True
        for row in rows:
            cells = [_table_cell(row[column]) for column in columns]
            pickle.dump(cells, spool, pickle.HIGHEST_PROTOCOL)
            count += 1
            for i, cell in enumerate(cells):
                if "\n" in cell or "\r" in cell:  # even at an end, where strip() takes it
                    multiline = True
                widths[i] = max(widths[i], _width(cell.strip()))
                # tabulate gives ANSI codes no width, and draws a rule for a row of "\x01"
                plain = plain and "\x1b" not in cell and tabulate.SEPARATING_LINE not in cell
        spool.seek(0)
        cells_again = (pickle.load(spool) for _ in range(count))
        if not plain or tabulate.WIDE_CHARS_MODE:  # widths that only tabulate counts right
            out.write(
                render([dict(zip(columns, cells)) for cells in cells_again], columns, "table", headings=names)
            )
            return
        if count == 0:
            out.write(_("(none)") + "\n")
            return
        out.write(_table_line(names, widths) + "\n")
        out.write("  ".join("-" * width for width in widths) + "\n")
        for cells in cells_again:
            cells = [cell.strip() for cell in cells]
            if not multiline:
                out.write(_table_line(cells, widths) + "\n")
                continue
            lines = [cell.splitlines() for cell in cells]  # as tabulate splits them
            for k in range(max(map(len, lines))):
                line = [cell[k] if k < len(cell) else "" for cell in lines]
                out.write(_table_line(line, widths) + "\n")


def _width(cell: str) -> int:
    """A cell's width as tabulate measures it: its longest line between CR and LF."""
    if "\n" in cell or "\r" in cell:
        import re

        return max(map(len, re.split("[\r\n]", cell)))
    return len(cell)


def _table_line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip()


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


def narrow_table(body: list[list], headings: list[str], *, width: int, text_columns: int, total: bool) -> str:
    """A table with one-space gaps whose first text_columns wrap to fit width characters.

    The numbers keep their full width and align right; a rule sets off a total last row.
    Drawn here line by line rather than by tabulate, which took 12 s over 86,000 districts.
    """
    cells = [[_table_cell(value) for value in row] for row in body]
    numeric_widths = [
        max([len(line) for line in headings[i].split("\n")] + [len(row[i]) for row in cells])
        for i in range(text_columns, len(headings))
    ]
    room = width - sum(numeric_widths) - (len(headings) - 1)
    natural = _text_widths([row[:text_columns] for row in [headings, *cells]], room)
    rows = [
        [_wrap(cell, natural[i]) if i < text_columns else [cell] for i, cell in enumerate(row)]
        for row in cells
    ]
    header = [heading.split("\n") for heading in headings]
    widths = [max(len(line) for cell in column for line in cell) for column in zip(header, *rows)]
    rule = " ".join("-" * w for w in widths)
    lines = [*_lines(header, widths, text_columns), rule]
    for number, row in enumerate(rows, 1):
        if total and number == len(rows):
            lines.append(rule)
        lines.extend(_lines(row, widths, text_columns))
    return "\n".join(lines)


def _lines(row: list[list[str]], widths: list[int], text_columns: int) -> list[str]:
    """One row as lines: cells side by side, top-aligned, text left and numbers right."""
    lines = []
    for k in range(max(len(cell) for cell in row)):
        parts = []
        for i, (cell, width) in enumerate(zip(row, widths)):
            text = cell[k] if k < len(cell) else ""
            parts.append(text.ljust(width) if i < text_columns else text.rjust(width))
        lines.append(" ".join(parts).rstrip())
    return lines


def _wrap(cell: str, width: int) -> list[str]:
    """A text cell as stripped lines of at most width characters, broken between words."""
    if len(cell) <= width and cell.isprintable():
        return [cell.strip()]  # most cells: one line, without textwrap's cost
    import textwrap

    return [
        part.strip() for line in cell.splitlines() if line.strip() for part in textwrap.wrap(line, width)
    ] or [""]


def _text_widths(rows: list[list[str]], room: int) -> list[int]:
    """Widths for the text columns within room: whole words first, then the rest shared out."""
    longest = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    if sum(longest) <= room:
        return longest
    words = [max(len(word) for row in rows for word in row[i].split() or [""]) for i in range(len(longest))]
    spare = max(room - sum(words), 0)
    wanted = [full - word for full, word in zip(longest, words)]
    return [max(word + spare * want // max(sum(wanted), 1), 6) for word, want in zip(words, wanted)]
