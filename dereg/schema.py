"""The database's own layout against schema.sql, for `dereg check` (dereg.check): its views,
triggers and indexes, and its tables' columns. They change only outside dereg.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date

from dereg.i18n import _
from dereg.migrations import schema_statements
from dereg.rules import Problem


def schema_objects(conn: sqlite3.Connection, today: date) -> Iterator[Problem]:
    # SQL text, not sqlite-utils' introspection: its Index has no WHERE or expressions to compare.
    shipped = sqlite3.connect(":memory:")
    for statement in schema_statements():
        shipped.execute(statement)
    query = "SELECT type, name, sql FROM sqlite_master WHERE type IN ('view', 'trigger', 'index') AND sql IS NOT NULL"
    expected = {(kind, name): sql for kind, name, sql in shipped.execute(query)}
    shipped.close()
    present = {(kind, name): sql for kind, name, sql in conn.execute(query)}
    for (kind, name), sql in sorted(expected.items()):
        if (kind, name) not in present:
            consequence = _(" (the audit log can be changed)") if name.startswith("audit_log_no") else ""
            yield Problem(
                _("database"),
                _("{kind} {name} is missing{consequence}").format(
                    kind=kind, name=name, consequence=consequence
                ),
            )
        elif present[(kind, name)] != sql:
            yield Problem(
                _("database"), _("{kind} {name} differs from schema.sql").format(kind=kind, name=name)
            )


def table_columns(conn: sqlite3.Connection, today: date) -> Iterator[Problem]:
    """Each table's columns (name, type, NOT NULL, key) as schema.sql makes them: a column added,
    dropped or retyped outside dereg. sqlite-utils reads the layout of both databases alike."""
    from sqlite_utils import Database

    def layout(database: Database) -> dict[str, list[tuple]]:
        return {
            table.name: [(c.name, c.type.upper(), bool(c.notnull), c.is_pk) for c in table.columns]
            for table in database.tables
        }

    shipped = sqlite3.connect(":memory:")
    for statement in schema_statements():
        shipped.execute(statement)
    expected, present = layout(Database(shipped)), layout(Database(conn))
    shipped.close()
    for table, columns in sorted(expected.items()):
        if table not in present:
            yield Problem(_("database"), _("table {table} is missing").format(table=table))
            continue
        have = {column[0]: column for column in present[table]}
        for column in columns:
            if column[0] not in have:
                yield Problem(
                    _("database"),
                    _("table {table} has no column {column} (changed outside dereg?)").format(
                        table=table, column=column[0]
                    ),
                )
            elif have[column[0]] != column:
                yield Problem(
                    _("database"),
                    _("table {table}: column {column} differs from schema.sql").format(
                        table=table, column=column[0]
                    ),
                )
        for extra in sorted(set(have) - {column[0] for column in columns}):
            yield Problem(
                _("database"),
                _("table {table} has a column {extra} that schema.sql does not").format(
                    table=table, extra=extra
                ),
            )
