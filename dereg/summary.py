"""The lost-competition summary: rows of the views in schema.sql, filtered, with a total."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from dereg.districts import scope
from dereg.errors import InvalidValue
from dereg.i18n import N_, _, ngettext

DISTRICT_COLUMNS = (
    "election",
    "region",
    "district",
    "seats",
    "candidates",
    "deregistered",
    "reinstated",
    "remaining",
    "per_seat_before",
    "per_seat_after",
    "reduction_pct",
    "uncontested",
)
ROLLUP_COLUMNS = (
    "districts",
    "seats",
    "candidates",
    "deregistered",
    "reinstated",
    "remaining",
    "reduction_pct",
    "uncontested_districts",
    "appeals",
    "median_discrepancy_kzt",
)
COLUMNS = {
    "district": DISTRICT_COLUMNS,
    "region": ("election", "region", *ROLLUP_COLUMNS),
    "election": ("election", *ROLLUP_COLUMNS),
}
# What each view is a level of: the same view also holds the total rows a summary ends with.
LEVELS = {
    "district": "competition",
    "region": "region_rollup",
    "election": "election_rollup",
}
# The level of the total row, by whether an election and a region are given (NULL keys: all).
TOTAL_LEVELS = {
    (True, True): "region",
    (True, False): "election",
    (False, True): "region total",
    (False, False): "total",
}
BOOLEAN_COLUMNS = {"uncontested"}
DECIMALS = {"per_seat_before": 2, "per_seat_after": 2, "reduction_pct": 1}
# Short headings (two lines where a word is long) so the district table fits 80 columns.
TABLE_HEADINGS = {
    "seats": N_("seats"),
    "candidates": N_("stood"),
    "deregistered": N_("re-\nmoved"),
    "reinstated": N_("rein-\nstated"),
    "remaining": N_("left"),
    "per_seat_before": N_("per\nseat"),
    "per_seat_after": N_("after"),
    "reduction_pct": N_("cut\n%"),
    "uncontested": N_("walk-\nover"),
    "uncontested_districts": N_("walk-\nover"),
    "median_discrepancy_kzt": N_("median\nKZT"),
    "districts": N_("dis-\ntricts"),
    "appeals": N_("ap-\npeals"),
}
LEGEND = N_(
    "stood: candidates before any removal; removed: registration refused or cancelled\n"
    "reinstated: by a court; left: candidates remaining; per seat: candidates per\n"
    "seat before removals, and after; cut %: how much competition fell;\n"
    "walkover: uncontested, no more candidates left than seats\n"
)


def summary(
    conn: sqlite3.Connection,
    by: str = "district",
    election: str | None = None,
    region: str | None = None,
    *,
    levels: dict[str, str] = LEVELS,
) -> list[dict]:
    return list(streamed(conn, by, election, region, levels=levels))


def streamed(
    conn: sqlite3.Connection,
    by: str = "district",
    election: str | None = None,
    region: str | None = None,
    *,
    levels: dict[str, str] = LEVELS,
) -> Iterator[dict]:
    """summary()'s rows as they are read, for csv and json: a national summary has tens of
    thousands of districts, which need not be held at once. The filters are checked first."""
    columns = COLUMNS[by]
    where, params = _on_ids(*_scope(conn, by, election, region))
    cursor = conn.execute(
        f"SELECT {', '.join(columns)}, {DAY_ORDER} FROM {levels[by]} WHERE level = ?{where} "
        f"ORDER BY {_order(columns)}",
        (by, *params),
    )
    return (_typed(dict(zip(columns, row[:-1]))) for row in cursor)


def materialized(conn: sqlite3.Connection, rows: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """The level views worked out once, as temporary tables, for a reader that asks them many
    questions (a report asks each election's): rows names each view's levels it needs (a view
    read for some levels groups those alone). Their names, for the levels= arguments."""
    names = {}
    for by, kept in rows.items():
        names[by] = f"temp.summary_{by}"
        conn.execute(f"DROP TABLE IF EXISTS {names[by]}")
        conn.execute(
            f"CREATE TEMP TABLE summary_{by} AS SELECT * FROM {LEVELS[by]} WHERE {_in_levels(kept)}", kept
        )
    return names


def level_rows(conn: sqlite3.Connection, by: str, kept: tuple[str, ...]) -> list[tuple]:
    """The rows materialized() would keep of a level view, worked out on another connection
    (a process of its own) for with_rows(): the region and election views are few rows."""
    return conn.execute(f"SELECT * FROM {LEVELS[by]} WHERE {_in_levels(kept)}", kept).fetchall()


def with_rows(conn: sqlite3.Connection, by: str, rows: list[tuple]) -> str:
    """materialized()'s table of a level view, made of the rows level_rows() gave; its name."""
    conn.execute(f"DROP TABLE IF EXISTS temp.summary_{by}")
    conn.execute(f"CREATE TEMP TABLE summary_{by} AS SELECT * FROM {LEVELS[by]} WHERE 0")  # its columns
    width = len(conn.execute(f"SELECT * FROM temp.summary_{by}").description)
    conn.executemany(f"INSERT INTO temp.summary_{by} VALUES ({', '.join('?' * width)})", rows)
    return f"temp.summary_{by}"


def _in_levels(kept: tuple[str, ...]) -> str:
    return f"level IN ({', '.join('?' * len(kept))})"


# Where removals cut competition most first (the unknown last), then most removed.
WORST_FIRST = "reduction_pct IS NULL, reduction_pct DESC, deregistered - reinstated DESC, region, district"


def district_counts(
    conn: sqlite3.Connection, election_id: int, threshold: float, *, levels: dict[str, str] = LEVELS
) -> dict:
    """How many of an election's districts there are, have their candidates known, lost
    threshold percent or more, were made uncontested by removals, lost candidates (a cut
    above 0), and have cases but no count of candidates."""
    row = conn.execute(
        "SELECT count(*), count(candidates), coalesce(sum(reduction_pct >= ?), 0), "
        "coalesce(sum(uncontested AND seats IS NOT NULL AND candidates > seats), 0), "
        "coalesce(sum(reduction_pct > 0), 0), coalesce(sum(deregistered > 0 AND candidates IS NULL), 0) "
        f"FROM {levels['district']} WHERE level = 'district' AND election_id = ?",
        (threshold, election_id),
    ).fetchone()
    return dict(
        zip(("all", "known", "cut", "made_uncontested", "hit", "unknown_with_cases"), row, strict=True)
    )


# Elections in the order they were held (those of unknown day last), then by name.
DAY_ORDER = "coalesce(voting_day, '9999-12-31') AS day_order"


def _order(columns) -> str:
    return ", ".join(["day_order", *(c for c in ("election", "region", "district") if c in columns)])


def _on_ids(election_id: int | None, region_id: int | None) -> tuple[str, list]:
    """Filters on a level view's election and region, by the ids _scope found."""
    where, params = "", []
    for key, value in zip(("election_id", "region_id"), (election_id, region_id), strict=True):
        if value is not None:
            where += f" AND {key} = ?"
            params.append(value)
    return where, params


def _scope(
    conn: sqlite3.Connection, by: str, election: str | None, region: str | None
) -> tuple[int | None, int | None]:
    if by == "election" and region is not None:
        raise InvalidValue(_("--region cannot be used with --by election"), "region")
    return scope(conn, election, region)


def fixed_decimals(column: str, value):
    """A ratio as text with its fixed decimals (2.50, not 2.5); any other value as it is."""
    if column in DECIMALS and isinstance(value, float):
        return f"{value:.{DECIMALS[column]}f}"
    return value


def with_fixed_decimals(row: dict) -> dict:
    """The row for csv and tables: its ratios as text with their fixed decimals."""
    return {column: fixed_decimals(column, value) for column, value in row.items()}


def _typed(row: dict) -> dict:
    for column in BOOLEAN_COLUMNS & row.keys():
        if row[column] is not None:
            row[column] = bool(row[column])
    return row


def with_total(
    conn: sqlite3.Connection,
    by: str = "district",
    election: str | None = None,
    region: str | None = None,
    *,
    hardest_hit: int | None = None,
    levels: dict[str, str] = LEVELS,
) -> tuple[list[dict], dict]:
    """The rows of summary() and their total row, read in one statement (the CTE x, used twice,
    is worked out once): the total's sums and ratios are the views' own, never recomputed.
    With hardest_hit, only that many rows: those whose competition was cut most (the total
    stays that of all)."""
    election_id, region_id = _scope(conn, by, election, region)
    total_level = TOTAL_LEVELS[election_id is not None, region_id is not None]
    columns = COLUMNS[by]
    # The total row in the same columns: no names, and its count of districts as `district`.
    total_columns = [
        "NULL" if c in ("election", "region") else "districts" if c == "district" else c for c in columns
    ]
    where, params = _on_ids(election_id, region_id)
    found = conn.execute(
        f"WITH x AS (SELECT * FROM {levels[by]} WHERE level IN (?, ?)) SELECT * FROM ("
        f"SELECT * FROM (SELECT 0 AS is_total, {', '.join(columns)}, {DAY_ORDER} FROM x WHERE level = ?{where}"
        + ("" if hardest_hit is None else f" ORDER BY {WORST_FIRST} LIMIT {int(hardest_hit)}")
        + ") UNION ALL "
        f"SELECT 1, {', '.join(total_columns)}, NULL FROM x "
        f"WHERE level = ? AND election_id IS ? AND region_id IS ?) "
        f"ORDER BY is_total, {_order(columns) if hardest_hit is None else WORST_FIRST}",
        (by, total_level, by, *params, total_level, election_id, region_id),
    ).fetchall()
    rows = [_typed(dict(zip(columns, row[1:-1]))) for row in found if not row[0]]
    sums = next((dict(zip(columns, row[1:-1])) for row in found if row[0]), {})
    return rows, _total(sums, by)


def _total(sums: dict, by: str) -> dict:
    """The total row as the tables show it (no districts in scope: no sums, no row shown)."""
    total = {column: sums.get(column) for column in COLUMNS[by]} | {"election": _("total")}
    total.pop("region", None)
    if by == "district":
        count = sums.get("district") or 0
        total["district"] = ngettext("{count} district", "{count} districts", count).format(count=count)
        total["uncontested"] = f"{sums.get('uncontested') or 0}"
    else:
        total["median_discrepancy_kzt"] = None  # a median of medians is no median
    return total
