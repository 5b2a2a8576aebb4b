"""`dereg publish`: a redacted copy for Datasette; and Datasette itself serving it and the
working database with examples/datasette.json, read through its JSON API."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
METADATA = ROOT / "examples" / "datasette.json"


@pytest.fixture
def working(tmp_path, run, monkeypatch):
    """The repository's three cases, plus a district whose figures give a reduction."""
    path = tmp_path / "cases.db"
    shutil.copy(ROOT / "cases.db", path)
    monkeypatch.setenv("DEREG_DB", str(path))
    district = ("--election", "2016 maslikhat", "--region", "ВКО", "--district", "Округ № 7")
    assert run("district", "add", *district, "--seats", "1", "--candidates", "4").exit_code == 0
    for name, amount in (("Қасымова Әйгерім", "12.5"), ("Secret Person", "150000")):
        result = run(
            "case", "add", *district, "--candidate", name, "--decision", "refused",
            "--decided-on", "2016-03-01", "--amount", amount, "--notes", "private note", "--no-input",
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
    return path


def test_the_copy_is_redacted_private_and_keeps_the_views(run, working, tmp_path):
    out = tmp_path / "published.db"
    result = run("publish", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"published 5 case(s) to '{out}': names pseudonymous, no notes, no audit log\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("published")] == ["published.db"]
    data = out.read_bytes()
    for secret in ("Secret Person", "Қасымова", "private note", "Nistoly"):
        assert secret.encode() not in data, secret  # not in a free page either
    copy = sqlite3.connect(out)
    tables = {name for (name,) in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "audit_log" not in tables and {"summary_by_district", "summary_by_region"} <= tables
    assert copy.execute("SELECT count(*) FROM meta WHERE key = 'redaction_secret'").fetchone() == (0,)
    assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    redacted = run("export", "cases", "--redact", "--format", "json").stdout
    names = [case["candidate"] for case in json.loads(redacted)]
    assert [name for (name,) in copy.execute("SELECT candidate FROM case_overview ORDER BY id")] == names
    assert copy.execute("SELECT count(*) FROM case_overview WHERE notes IS NOT NULL").fetchone() == (0,)
    summary = json.loads(run("summary", "--format", "json").stdout)
    rows = copy.execute("SELECT * FROM district_competition ORDER BY election, region, district").fetchall()
    assert [row[:8] for row in rows] == [tuple(s.values())[:8] for s in summary]
    assert (
        copy.execute("SELECT * FROM summary_by_district").fetchall()
        == copy.execute("SELECT * FROM district_competition").fetchall()
    )


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_the_copy_is_never_the_database(run, working, suffix):
    result = run("publish", f"{working}{suffix}")
    assert result.exit_code == 1
    assert "name another file to write" in result.stderr
    assert not Path(f"{working}-shm-x").exists()


def test_publish_never_creates_a_database(run, tmp_path, monkeypatch):
    monkeypatch.setenv("DEREG_DB", str(tmp_path / "none.db"))
    result = run("publish", str(tmp_path / "out.db"))
    assert (
        result.exit_code == 1 and not (tmp_path / "none.db").exists() and not (tmp_path / "out.db").exists()
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, None


@pytest.fixture
def datasette(working, run, tmp_path):
    pytest.importorskip("datasette")
    assert run("publish", str(tmp_path / "published.db")).exit_code == 0
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", "-i", str(tmp_path / "published.db"), str(working),
         "-m", str(METADATA), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/-/versions.json", timeout=5).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(server.stderr.read().decode()) from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_datasette_serves_the_summaries_as_dereg_gives_them(datasette, run):
    def rows(path: str) -> list[dict]:
        status, body = get(f"{datasette}{path}.json?_shape=array&_size=max")
        assert status == 200, path
        return [{k: v for k, v in row.items() if k != "rowid"} for row in body]  # a table's, not a view's

    def as_view(summary: list[dict]) -> list[dict]:  # the view has 1/0 where JSON has true/false
        return [{k: int(v) if isinstance(v, bool) else v for k, v in row.items()} for row in summary]

    def ordered(found: list[dict], keys: tuple) -> list[dict]:
        return sorted(found, key=lambda row: tuple(str(row[k]) for k in keys))

    district = as_view(json.loads(run("summary", "--format", "json").stdout))
    keys = ("election", "region", "district")
    for database in ("published", "cases"):
        assert ordered(rows(f"/{database}/district_competition"), keys) == ordered(district, keys)
    assert ordered(rows("/published/summary_by_district"), keys) == ordered(district, keys)
    assert [row for row in district if row["reduction_pct"] == 50.0]
    region = as_view(json.loads(run("summary", "--by", "region", "--format", "json").stdout))
    served = [
        {k: v for k, v in row.items() if k != "median_discrepancy_tiyn"}
        for row in rows("/published/region_competition")
    ]
    assert ordered(served, keys[:2]) == ordered(region, keys[:2])
    lost = rows("/published/districts_that_lost_a_quarter")
    assert [row["district"] for row in lost] == ["Округ № 7"]
    cheap = rows("/published/cases_under_100_tenge")
    assert [row["discrepancy_amount"] for row in cheap] == ["0.78", "12.50", "83.00"]


def test_datasette_keeps_the_secret_and_the_audit_log_of_the_working_database(datasette):
    assert get(f"{datasette}/cases/meta.json")[0] == 403
    assert get(f"{datasette}/cases/audit_log.json")[0] == 403
    assert get(f"{datasette}/cases.json?sql=select+*+from+meta")[0] in (400, 403)
    status, tables = get(f"{datasette}/cases.json")
    assert status == 200
    assert not {"meta", "audit_log"} & {t["name"] for t in tables["tables"] if not t["hidden"]}
    status, body = get(f"{datasette}/published/meta.json?_shape=array")
    assert status == 200 and "redaction_secret" not in {row["key"] for row in body}
