"""The report: the summary's figures, charts and tables as one HTML page or Markdown text.

figures.py gathers each election's figures from dereg.summary (the views in schema.sql) and
case_overview, so a report and `dereg summary` agree by construction; charts.py draws them as
SVG; html.py and markdown.py lay them out. Nothing here prints or writes a file.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from dereg.report import html, markdown
from dereg.report.sources import gather


def build(
    conn: sqlite3.Connection,
    election: str | None = None,
    fmt: str = "html",
    *,
    redact: bool = False,
    today: date | None = None,
) -> str:
    """The report as text: HTML (one self-contained page) or Markdown."""
    reports = gather(conn, election)
    render = markdown.render if fmt == "markdown" else html.render
    return render(reports, redact=redact, today=today or date.today())
