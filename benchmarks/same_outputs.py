"""Compare dereg's outputs at another revision with this tree's: `python benchmarks/same_outputs.py REV`.

For a change that must not change behaviour (a refactor, a speed-up). It writes gen.py's
cases file (N rows, fixed seed: rows of many districts, every amount spelling, appeals), imports
it with the dereg of REV into one database, copies that database, and runs each output command
below with REV's dereg on one copy and this tree's on the other: summary in every format and
grouping, case list in every format, appeal list, district list, region list, the report in
both formats, the export in both formats (redacted too), case show and history. Every output
must be the same, byte for byte; a difference is printed with the command and the first
differing line, and the exit status is 1.

REV is checked out with `git worktree` in a temporary folder and run from there
(PYTHONPATH), so nothing needs installing. Dates that change from day to day (the report's
"made on") are the same for both, as both run on the same day.
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMANDS = [
    *(
        ["summary", "--by", by, "--format", fmt]
        for by in ("district", "region", "election")
        for fmt in ("table", "csv", "json", "markdown")
    ),
    ["summary", "--election", "2016 maslikhat", "--format", "csv"],
    *(["case", "list", "--format", fmt] for fmt in ("table", "csv", "json")),
    ["case", "list", "--search", "қасымова", "--format", "csv"],
    ["case", "list", "--min-amount", "1", "--max-amount", "100", "--format", "json"],
    *(["appeal", "list", "--format", fmt] for fmt in ("table", "csv", "json")),
    *(["district", "list", "--format", fmt] for fmt in ("table", "csv", "json")),
    *(["region", "list", "--format", fmt] for fmt in ("table", "csv", "json")),
    ["case", "show", "1"],
    ["case", "show", "7", "--format", "json"],
    ["case", "history", "1"],
    ["report", "--format", "html"],
    ["report", "--format", "markdown"],
    ["report", "--format", "markdown", "--election", "2016 maslikhat"],
    ["export", "cases", "--format", "csv"],
    ["export", "cases", "--format", "json"],
    ["export", "cases", "--format", "csv", "--redact"],
    ["check"],
]


def run(tree: Path, db: Path, args: list[str]) -> tuple[int, bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(tree),
        "DEREG_DB": str(db),
        "DEREG_ACTOR": "compare",
        "COLUMNS": "100",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }
    env.pop("DEREG_LANG", None)
    done = subprocess.run(
        [sys.executable, "-m", "dereg", *args],
        env=env,
        cwd=tree,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    return done.returncode, done.stdout


def first_difference(a: bytes, b: bytes) -> str:
    old, new = a.decode("utf-8", "replace").splitlines(), b.decode("utf-8", "replace").splitlines()
    for line in difflib.unified_diff(old, new, "before", "after", n=0, lineterm=""):
        if line.startswith(("-", "+")) and not line.startswith(("---", "+++")):
            return line[:200]
    return f"(lengths {len(a)} and {len(b)})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rev", help="the revision to compare with, e.g. HEAD~3 or main")
    parser.add_argument("--rows", type=int, default=20000, help="rows of gen.py's file (20000)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dereg-same-") as tmp:
        work = Path(tmp)
        before = work / "before"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(before), args.rev], check=True
        )
        try:
            return compare(work, before, args.rows)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before)], check=False
            )


def compare(work: Path, before: Path, rows: int) -> int:
    csv_file = work / "cases.csv"
    # REV's own generator: its data is what REV's import accepts (later rules refuse more).
    subprocess.run(
        [sys.executable, str(before / "benchmarks" / "gen.py"), str(rows), str(csv_file)], check=True
    )
    old_db, new_db = work / "before.db", work / "after.db"
    code, out = run(before, old_db, ["import", "cases", str(csv_file)])
    if code:
        print(out.decode(errors="replace"), file=sys.stderr)
        return 2
    shutil.copyfile(old_db, new_db)
    differ = 0
    for command in COMMANDS:
        old, new = run(before, old_db, command), run(ROOT, new_db, command)
        same = old == new
        differ += not same
        label = " ".join(command)
        if same:
            print(f"same      {label} ({len(old[1]):,} bytes, exit {old[0]})")
        else:
            detail = f"exit {old[0]} -> {new[0]}" if old[0] != new[0] else first_difference(old[1], new[1])
            print(f"DIFFERENT {label}: {detail}")
    print(f"{len(COMMANDS) - differ} of {len(COMMANDS)} outputs the same")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
