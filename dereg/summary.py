"""The lost-competition summary: rows of the views in schema.sql, filtered, with a total."""

from __future__ import annotations

import sqlite3

from dereg.districts import scope
from dereg.errors import InvalidValue

DISTRICT_COLUMNS = (
    "election", "region", "district", "seats", "candidates", "deregistered", "reinstated",
    "remaining", "per_seat_before", "per_seat_after", "reduction_pct", "uncontested",
)  # fmt: skip
ROLLUP_COLUMNS = (
    "districts", "seats", "candidates", "deregistered", "reinstated", "remaining",
    "reduction_pct", "uncontested_districts", "appeals", "median_discrepancy_kzt",
)  # fmt: skip
COLUMNS = {
    "district": DISTRICT_COLUMNS,
    "region": ("election", "region", *ROLLUP_COLUMNS),
    "election": ("election", *ROLLUP_COLUMNS),
}
VIEWS = {
    "district": "district_competition",
    "region": "region_competition",
    "election": "election_competition",
}
BOOLEAN_COLUMNS = {"uncontested"}
DECIMALS = {"per_seat_before": 2, "per_seat_after": 2, "reduction_pct": 1}
# Short headings (two lines where a word is long) so the district table fits 80 columns.
TABLE_HEADINGS = {
    "seats": "seats",
    "candidates": "cands",
    "deregistered": "re-\nmoved",
    "reinstated": "rein-\nstated",
    "remaining": "left",
    "per_seat_before": "per\nseat",
    "per_seat_after": "after",
    "reduction_pct": "cut\n%",
    "uncontested": "alone",
    "uncontested_districts": "alone",
    "median_discrepancy_kzt": "median\nKZT",
    "districts": "dis-\ntricts",
    "appeals": "ap-\npeals",
}
LEGEND = (
    "cands: candidates who stood; removed: refused or cancelled; left: remaining\n"
    "reinstated: by a court; per seat: candidates per seat before removals, and after\n"
    "cut %: how much competition fell; alone: uncontested (candidates <= seats)\n"
)


def summary(
    conn: sqlite3.Connection,
    by: str = "district",
    election: str | None = None,
    region: str | None = None,
) -> list[dict]:
    columns = COLUMNS[by]
    where, params = _scope_on_names(conn, by, election, region)
    order = ", ".join(c for c in ("election", "region", "district") if c in columns)
    rows = conn.execute(
        f"SELECT {', '.join(columns)} FROM {VIEWS[by]} WHERE {where} ORDER BY {order}", params
    ).fetchall()
    return [_typed(dict(zip(columns, row))) for row in rows]


def _scope_on_names(
    conn: sqlite3.Connection, by: str, election: str | None, region: str | None
) -> tuple[str, list]:
    """Filters on a view's election and region names, checked like everywhere else."""
    if by == "election" and region is not None:
        raise InvalidValue("--region cannot be used with --by election", "region")
    election_id, region_id = scope(conn, election, region)
    clauses, params = ["1"], []
    if election_id is not None:
        clauses.append("election = (SELECT name FROM elections WHERE id = ?)")
        params.append(election_id)
    if region_id is not None:
        clauses.append("region = (SELECT name FROM regions WHERE id = ?)")
        params.append(region_id)
    return " AND ".join(clauses), params


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


def total(rows: list[dict], by: str) -> dict:
    """The total row: sums, with ratios over the districts whose candidates are known."""
    out: dict = {"election": "total"}
    if by == "district":
        known = [row for row in rows if row["candidates"] is not None]
        removed = sum(row["deregistered"] - row["reinstated"] for row in known)
        candidates = sum(row["candidates"] for row in known) if known else None
        known_seats = [row["seats"] for row in rows if row["seats"] is not None]
        seats = sum(known_seats) if known_seats else None  # never 0 for "not known"
        seats_known = sum(row["seats"] for row in known if row["seats"] is not None)
        out |= {
            "district": f"{len(rows)} districts",
            "seats": seats,
            "candidates": candidates,
            "deregistered": sum(row["deregistered"] for row in rows),
            "reinstated": sum(row["reinstated"] for row in rows),
            "remaining": None if candidates is None else candidates - removed,
            "per_seat_before": _ratio(candidates, seats_known, 2),
            "per_seat_after": None if candidates is None else _ratio(candidates - removed, seats_known, 2),
            "reduction_pct": None if candidates is None else _ratio(100 * removed, candidates, 1),
            "uncontested": f"{sum(1 for row in rows if row['uncontested'])}",
        }
        return out
    for column in ("districts", "seats", "candidates", "deregistered", "reinstated", "remaining",
                   "uncontested_districts", "appeals"):  # fmt: skip
        values = [row[column] for row in rows if row[column] is not None]
        out[column] = sum(values) if values else None
    removed_known = (
        None if out["candidates"] is None else out["candidates"] - out["remaining"]
    )
    out["reduction_pct"] = (
        None if removed_known is None else _ratio(100 * removed_known, out["candidates"], 1)
    )
    out["median_discrepancy_kzt"] = None
    return out


def _ratio(numerator: int | None, denominator: int | None, decimals: int) -> float | None:
    """numerator / denominator rounded half up, as the views do, in integers."""
    if numerator is None or not denominator or numerator < 0:
        return None
    scale = 10**decimals
    return (numerator * scale * 2 + denominator) // (2 * denominator) / scale
