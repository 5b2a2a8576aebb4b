"""Import cases or districts from a CSV file: streamed, checked row by row, all or nothing.

The whole import is one transaction we own. A row that fails a check writes nothing; unless
invalid rows are to be skipped (and written to a rejects file), one of them rolls the whole
import back, after every row has been checked so that every problem can be listed at once.
"""

from __future__ import annotations

import csv
import gc
import sqlite3
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TextIO

from dereg import persons, rules
from dereg.csvio.cells import RowInvalid, guard
from dereg.csvio.columns import FileKind
from dereg.csvio.districts import DistrictLoader
from dereg.csvio.reading import UNIT, ReaderProcess, Reading, reader
from dereg.csvio.source import Source, open_source  # noqa: F401 (open_source: the CLI's entry)
from dereg.db import transaction
from dereg.errors import DeregError
from dereg.files import private_output
from dereg.history import audit
from dereg.i18n import _, ngettext

MAX_LISTED = 50  # problems listed; the rest are counted
PROGRESS_EVERY = 8192  # rows between progress reports
# KiB of pages an import keeps: with SQLite's 2 MB an import of 200k rows in no order wrote its
# pages out again and again (8.0 s, against 7.3 s with 32 MB; 64 MB gained nothing more). 24 MB
# keeps an import of 1M rows under 150 MB.
IMPORT_CACHE = -24576


@dataclass
class ImportResult:
    file: str
    encoding: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    problems: list[str] = field(default_factory=list)  # the first MAX_LISTED
    problem_count: int = 0
    question_lines: list[int] = field(default_factory=list)  # the first MAX_LISTED
    question_count: int = 0
    warnings: list[str] = field(default_factory=list)  # the first MAX_LISTED: names taken as recorded ones
    warning_count: int = 0

    def counts(self) -> str:
        return _("inserted {inserted}, updated {updated}, unchanged {unchanged}, rejected {rejected}").format(
            inserted=self.inserted, updated=self.updated, unchanged=self.unchanged, rejected=self.rejected
        )


class _DryRun(Exception):
    """Ends a dry run's transaction the way an error would: rolled back."""


class InvalidRows(DeregError):
    """Rows failed their checks, so nothing was written; result lists the problems."""

    def __init__(self, result: ImportResult, *, together: bool = False):
        if together:  # rules that rows break together: no row can be skipped to mend them
            message = _("the rows of {file} break the rules above: nothing was written").format(
                file=result.file
            )
        else:
            message = ngettext(
                "{rejected} invalid row in {file}: nothing was written (fix it, or load the rest with --skip-invalid --rejects FILE)",
                "{rejected} invalid rows in {file}: nothing was written (fix them, or load the rest with --skip-invalid --rejects FILE)",
                result.rejected,
            ).format(rejected=result.rejected, file=result.file)
        super().__init__(message)
        self.result = result


class Rejects:
    """The rows left out by --skip-invalid, with why, guarded as export guards its cells (the
    import undoes it), in a file that takes its name only when the import succeeds."""

    def __init__(self, out: TextIO, header: list[str], kind: FileKind, delimiter: str):
        self.writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
        self.width = len(header)
        self.writer.writerow([guard(cell) for cell in kind.rejects_header(header)])

    def write(self, cells: list[str], messages: list[str]) -> None:
        row = cells[: self.width] + [""] * (self.width - len(cells))
        self.writer.writerow([guard(cell) for cell in (*row, "; ".join(messages))])


def import_file(
    conn: sqlite3.Connection,
    source: Source,
    loader_class: type,
    *,
    actor: str,
    command: str,
    dry_run: bool = False,
    rejects: Path | None = None,
    database: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Load every row of source; raises InvalidRows, unless rejects is given, if any is invalid.

    The rejects file (never the database) is written only by a real import, and only kept
    when it succeeds; a dry run writes no file at all.
    """
    header = source.header()
    index = loader_class.kind.index(header, source.name)
    result = ImportResult(source.name, source.label)
    with ExitStack() as files:
        sink = None
        if rejects is not None and not dry_run:
            out = files.enter_context(
                private_output(rejects, database=database, encoding="utf-8-sig", errors="replace")
            )
            sink = Rejects(out, header, loader_class.kind, source.delimiter)
        _import_rows(
            conn,
            source,
            loader_class,
            index,
            header,
            result,
            sink,
            skip_invalid=rejects is not None,
            actor=actor,
            command=command,
            dry_run=dry_run,
            progress=progress,
        )
    return result


def _import_rows(
    conn,
    source,
    loader_class,
    index,
    header,
    result,
    sink,
    *,
    skip_invalid,
    actor,
    command,
    dry_run,
    progress,
) -> None:
    """The import's one transaction: every row loaded or checked, then committed or rolled back."""
    # A row makes no reference cycles, but millions of young tuples would set the cyclic
    # collector scanning every live object again and again: it once took 80% of an import.
    collecting = gc.isenabled()
    gc.disable()
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {IMPORT_CACHE}")
    try:
        with transaction(conn):
            loader = loader_class(conn, index, delimiter=source.delimiter, actor=actor, command=command)
            reading = _load_rows(source, loader, header, result, sink, progress)
            loader.finish()
            _person_warnings(conn, loader)
            result.warnings, result.warning_count = loader.warnings, loader.warning_count
            _check_rules(conn, loader, result)
            if result.rejected and not skip_invalid:
                raise InvalidRows(result)
            if dry_run:
                raise _DryRun
            audit(
                conn,
                actor,
                command,
                "import",
                None,
                None,
                {
                    "file": source.name,
                    "sha256": reading.sha256,
                    "encoding": source.label,
                    "rows": result.rows,
                    "inserted": result.inserted,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "rejected": result.rejected,
                    "new_case_ids": loader.new_case_ids,
                },
            )
    except _DryRun:
        pass  # rolled back: the counts are what the import would have done
    finally:
        conn.execute(f"PRAGMA cache_size = {cache}")
        if collecting:
            gc.enable()


def _person_warnings(conn: sqlite3.Connection, loader) -> None:
    """Each new case whose person key matches a case recorded before, in the same election, is a
    warning on the line that named it: likely one person in two alphabets."""
    new = getattr(loader, "new_case_ids", None)
    if not new:
        return
    for case, candidate, recorded, name in persons.new_likely_duplicates(conn, new["first"]):
        (line,) = conn.execute(
            "SELECT min(line) FROM temp.import_lines WHERE case_id = ?", (case,)
        ).fetchone()
        loader.warn(line, persons.may_be(candidate, recorded, name))


def _check_rules(conn: sqlite3.Connection, loader, result: ImportResult) -> None:
    """The domain's rules over what the import wrote, where a row's own check cannot see it: a
    district's removals against its candidates, one appeal against another, and recorded cases
    an update changed. A problem here undoes the whole import."""
    today = date.today()
    districts = f"district_id IN ({TOUCHED_DISTRICTS})"
    if loader.touched_cases is not None:
        districts += (
            f" OR district_id IN (SELECT district_id FROM cases WHERE id IN ({loader.touched_cases}))"
        )
    problems = list(rules.removals(conn, today, districts))
    problems += rules.places(
        conn, today, f"d.id IN (SELECT district_id FROM district_removals WHERE {districts})"
    )
    if loader.touched_cases is not None:
        problems += rules.appeal_order(conn, today, f"a.case_id IN ({loader.touched_cases})")
        updated = loader.updated_cases
        problems += rules.case_dates(conn, today, f"c.id IN ({updated})")
        problems += rules.appeal_dates(conn, today, f"a.case_id IN ({updated})")
    if not problems:
        return
    messages = []
    for problem in problems:
        kind, ident = problem.at
        line = _line_of(conn, kind, ident, has_cases=loader.touched_cases is not None)
        column = {"appeal": f"appeal_{problem.field}", "district": loader.district_column(problem.field)}.get(
            kind, problem.field
        )
        where = _("line {line}: ").format(line=line) if line else ""
        messages.append(
            f"{where}{column}: {problem.as_error()}" if column else f"{where}{problem.as_error()}"
        )
    result.problem_count += len(messages)
    result.problems.extend(messages[: MAX_LISTED - len(result.problems)])
    raise InvalidRows(result, together=True)


TOUCHED_DISTRICTS = "SELECT district_id FROM temp.import_figures"


def _line_of(conn: sqlite3.Connection, kind: str, ident: int, *, has_cases: bool) -> int | None:
    """The first line of the file that named this case, or gave this district figures (else named
    one of its cases)."""
    if kind != "district":
        return conn.execute("SELECT min(line) FROM temp.import_lines WHERE case_id = ?", (ident,)).fetchone()[
            0
        ]
    row = conn.execute("SELECT line FROM temp.import_figures WHERE district_id = ?", (ident,)).fetchone()
    if row or not has_cases:
        return row[0] if row else None
    return conn.execute(
        "SELECT min(l.line) FROM temp.import_lines l JOIN cases c ON c.id = l.case_id WHERE c.district_id = ?",
        (ident,),
    ).fetchone()[0]


def _load_rows(source, loader, header, result, sink, progress) -> Reading | ReaderProcess:
    """The loop every row goes through: checks common to all files and what the row says
    (reading.py, in a process of its own when it can), then the loader's writes, here, in
    the import's transaction. What the reading side found is what the rows
    give, in their order: the counts, problems and rejects are the same either way."""
    write, load = getattr(loader, "write", None), loader.load
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    rows = 0
    with reader(source, loader, header) as reading:
        for line, cells, verdict, question in reading:
            rows += 1
            if progress is not None and not rows % PROGRESS_EVERY:
                progress(rows, reading.bytes_read)
            if question:
                result.question_count += 1
                if len(result.question_lines) < MAX_LISTED:
                    result.question_lines.append(line)
            if verdict.__class__ is not list:  # a list: the problems the reading side found
                try:
                    # None: a value the reading side found invalid; load() lists the row's problems
                    counts[load(line, cells) if verdict is None else write(line, verdict)] += 1
                    continue
                except RowInvalid as exc:
                    verdict = exc.problems
                    if cells.__class__ is str:  # as the reading process sent a row it read
                        cells = cells.split(UNIT)
            messages = [
                _("line {line}: ").format(line=line) + (f"{column}: {message}" if column else message)
                for column, message in verdict
            ]
            result.rejected += 1
            result.problem_count += len(messages)
            result.problems.extend(messages[: MAX_LISTED - len(result.problems)])
            if sink is not None:
                sink.write(cells, messages)
    if progress is not None:
        progress(rows, reading.bytes_read)
    result.rows = rows
    result.inserted, result.updated, result.unchanged = (
        counts["inserted"],
        counts["updated"],
        counts["unchanged"],
    )
    return reading


def import_cases(conn: sqlite3.Connection, source: Source, **options) -> ImportResult:
    from dereg.csvio.cases import CaseLoader

    return import_file(conn, source, CaseLoader, command="import cases", **options)


def import_districts(conn: sqlite3.Connection, source: Source, **options) -> ImportResult:
    return import_file(conn, source, DistrictLoader, command="import districts", **options)
