"""Build a cases database from a generated CSV without `dereg import`: `build_db.py FILE OUT.db`.

run.py uses it only while `dereg import cases` does not exist. Every value goes through
dereg's own parsers and the rows are written as schema.sql lays them out (the search column
filled by dereg.db.search_text), in one transaction. It trusts the file to be valid, as
gen.py makes it: no error reporting, no audit rows.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dereg import db, regions  # noqa: E402
from dereg.dates import parse_date  # noqa: E402
from dereg.money import parse_amount, parse_currency  # noqa: E402
from dereg.text import fold  # noqa: E402
from dereg.values import parse_choice, parse_count, parse_decision  # noqa: E402


def build(source: str, target: str) -> int:
    conn = db.connect(target)
    region_ids: dict[str, int] = {}
    election_ids: dict[str, int] = {}
    district_ids: dict[tuple, int] = {}
    case_ids: dict[tuple, int] = {}
    with db.transaction(conn), open(source, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            region = region_ids.get(row["region"])
            if region is None:
                region = region_ids[row["region"]] = regions.resolve(conn, row["region"])[0]
            election_key = fold(row["election"])
            election = election_ids.get(election_key)
            if election is None:
                election = election_ids[election_key] = conn.execute(
                    "INSERT INTO elections (name, key) VALUES (?, ?)", (row["election"].strip(), election_key)
                ).lastrowid
            district_key = (election, region, fold(row["district"]))
            district = district_ids.get(district_key)
            if district is None:
                candidates = row["district_candidates"].strip()
                district = district_ids[district_key] = conn.execute(
                    "INSERT INTO districts (election_id, region_id, name, key, seats, candidates) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (election, region, row["district"].strip(), district_key[2],
                     parse_count(row["district_seats"], "seats", 1),
                     parse_count(candidates, "candidates", 0) if candidates else None),
                ).lastrowid  # fmt: skip
            case_key = (district, fold(row["candidate"]))
            case = case_ids.get(case_key)
            if case is None:
                currency = parse_currency(row["currency"])
                amount = row["discrepancy_amount"].strip()
                text = {k: row[k].strip() or None for k in ("nominated_by", "reason", "notes")}
                case = case_ids[case_key] = conn.execute(
                    "INSERT INTO cases (district_id, candidate, candidate_key, nominated_by, decision, "
                    "decided_on, reason, amount_minor, currency, notes, search) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (district, row["candidate"].strip(), case_key[1], text["nominated_by"],
                     parse_decision(row["decision"]), parse_date(row["decided_on"]), text["reason"],
                     parse_amount(amount, currency, delimiter=",") if amount else None, currency,
                     text["notes"],
                     db.search_text(row["candidate"].strip(), text["nominated_by"], text["reason"],
                                    text["notes"], row["district"].strip())),
                ).lastrowid  # fmt: skip
            if row["appeal_court"].strip():
                filed, decided = row["appeal_filed_on"].strip(), row["appeal_decided_on"].strip()
                conn.execute(
                    "INSERT INTO appeals (case_id, court, instance, filed_on, outcome, decided_on) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (case, row["appeal_court"].strip(),
                     parse_choice(row["appeal_instance"] or "first", "instance", ("first", "appeal", "cassation")),
                     parse_date(filed) if filed else None,
                     parse_choice(row["appeal_outcome"] or "pending", "outcome",
                                  ("pending", "upheld", "reinstated", "not_heard")),
                     parse_date(decided) if decided else None),
                )  # fmt: skip
    conn.close()
    return len(case_ids)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python benchmarks/build_db.py FILE.csv OUT.db")
    print(f"{build(sys.argv[1], sys.argv[2])} cases", file=sys.stderr)
