"""The office a database belongs to: a random id made once, and a name people read.

Each case records the office where it was first recorded (cases.office_id; NULL is this
database's own office) and each audit entry the office that made it, so that a national
database merged from many offices says where every case and change came from.
"""

from __future__ import annotations

import sqlite3
import uuid

from dereg.errors import InvalidValue
from dereg.history import audit
from dereg.text import clean_name


def own_office(conn: sqlite3.Connection) -> tuple[str, str]:
    """(id, name) of this database's office."""
    return conn.execute(
        "SELECT o.id, o.name FROM meta m JOIN offices o ON o.id = m.value WHERE m.key = 'office_id'"
    ).fetchone()


def name_office(conn: sqlite3.Connection, actor: str, name: str) -> str:
    """Give this database's office a name (dereg init --office); returns the name it had."""
    try:
        name = clean_name(name, "office name")
    except InvalidValue as exc:
        raise InvalidValue(str(exc), "office") from None
    ident, old = own_office(conn)
    if name == old:
        return old
    new = ident
    if old == unnamed(ident):
        # Named for the first time: a fresh id too, so that offices that began from one copy
        # (the shipped cases.db, a colleague's file) are told apart. Only meta and offices hold
        # a database's own id (its own cases and audit entries say NULL).
        new = uuid.uuid4().hex
        conn.execute("INSERT INTO offices (id, name) VALUES (?, ?)", (new, name))
        conn.execute("UPDATE meta SET value = ? WHERE key = 'office_id'", (new,))
        conn.execute("DELETE FROM offices WHERE id = ?", (ident,))
    else:
        conn.execute("UPDATE offices SET name = ? WHERE id = ?", (name, ident))
    audit(conn, actor, "init", "office", None, {"id": ident, "name": old}, {"id": new, "name": name})
    return old


def unnamed(ident: str) -> str:
    """The name of an office no one has named yet."""
    return f"office {ident[:8]}"


def office_sql(alias: str) -> str:
    """SQL for the name of the office of the row alias (its office_id, NULL meaning this one)."""
    return (
        f"(SELECT name FROM offices WHERE id = coalesce({alias}.office_id, "
        "(SELECT value FROM meta WHERE key = 'office_id')))"
    )


def case_office(conn: sqlite3.Connection, case: int) -> str | None:
    row = conn.execute(f"SELECT {office_sql('c')} FROM cases c WHERE c.id = ?", (case,)).fetchone()
    return row[0] if row else None
