"""`dereg report` without -o: refused on a terminal, and a reader that stops early stops it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pty_session

ROOT = Path(__file__).resolve().parent.parent


def test_the_html_report_is_not_poured_onto_a_terminal(tmp_path):
    shutil.copy(ROOT / "cases.db", tmp_path / "cases.db")
    status, screen = pty_session.run("report", env={"DEREG_DB": str(tmp_path / "cases.db")})
    assert status == 2
    assert "<" not in screen and "-o report.html" in screen and "> report.html" in screen
    status, screen = pty_session.run("report", "-f", "markdown", env={"DEREG_DB": str(tmp_path / "cases.db")})
    assert status == 0 and screen.startswith("# ")


def test_a_reader_that_stops_early_ends_the_report_quietly(tmp_path):
    db = tmp_path / "cases.db"
    rows = "".join(
        f"2016 maslikhat,Almaty,okrug {n},Candidate number {n},refused,2016-03-01,{n}.78\n"
        for n in range(1500)
    )
    source = tmp_path / "many.csv"
    source.write_text("election,region,district,candidate,decision,decided_on,discrepancy_amount\n" + rows)
    env = {**os.environ, "DEREG_DB": str(db)}
    subprocess.run(
        [sys.executable, "-m", "dereg", "import", "cases", str(source)],
        env=env,
        check=True,
        capture_output=True,
    )
    # Reads one byte and leaves: the report (far over a pipe's 64 KB) meets a closed pipe.
    report = subprocess.Popen(
        [sys.executable, "-m", "dereg", "report"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert report.stdout.read(1) == b"<"
    report.stdout.close()
    assert report.wait(timeout=60) == 141
    assert report.stderr.read() == b""
