"""Rows to text: the one place output is drawn, as table, csv, json or markdown."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

FORMATS = ("table", "csv", "json")
SUMMARY_FORMATS = ("table", "csv", "json", "markdown")


def render(rows: Sequence[dict], columns: Sequence[str], fmt: str, total: dict | None = None) -> str:
    """Draw rows; total (a last row of sums) shows in table and markdown only."""
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
    if total is not None and rows and fmt == "table":
        lines = text.split("\n")
        lines.insert(len(lines) - 1, lines[1])  # a rule above the total, like the header's
        text = "\n".join(lines)
    return text + "\n"


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
