"""Time and peak memory of `dereg merge` (issue 15): `python benchmarks/merge.py [--cases N]`.

Office databases are built from gen.py's first N cases (the same seed, so a smaller office's
cases are a prefix of a larger one's) with `dereg import cases`, then merged, each merge a
process of its own (peak memory is its maximum resident set, os.wait4):

    new     an empty database <- N cases            every case, district and appeal added
    half    N/2 cases <- N cases                    half added, half matched and unchanged
    again   the result of `half` <- N cases again   every case matched, nothing added
    small   an empty database <- N/10 cases         for memory growth against `new`

Generated files and databases are kept in --work (reused while schema.sql is unchanged).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def dereg(*args: str) -> list[str]:
    script = Path(PYTHON).parent / "dereg"
    return [*([str(script)] if script.exists() else [PYTHON, "-m", "dereg"]), *args]


def measured(argv: list[str]) -> tuple[float, float, str]:
    """(seconds, peak MB, stdout) of one process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(argv)} failed:\n{err.read().decode()[-2000:]}")
        out.seek(0)
        return seconds, usage.ru_maxrss / 1024, out.read().decode().strip()


def office(work: Path, cases: int, name: str) -> Path:
    """A database of gen.py's first `cases` cases, built once per schema."""
    path = work / f"office-{cases}.db"
    if not path.exists():
        csv = work / f"cases-{cases}.csv"
        subprocess.run(
            [PYTHON, str(ROOT / "benchmarks" / "gen.py"), str(cases), str(csv), "--cases"], check=True
        )
        subprocess.run(dereg("--db", str(path), "init", "--office", name), check=True, capture_output=True)
        # gen.py spells some regions the map refuses (e.g. 'TÜRKISTAN' before 2018): left out
        rejects = ["--skip-invalid", "--rejects", str(work / f"rejects-{cases}.csv")]
        subprocess.run(
            dereg("--db", str(path), "import", "cases", str(csv), *rejects), check=True, capture_output=True
        )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "dereg-bench-merge")
    args = parser.parse_args()
    schema = hashlib.sha256((ROOT / "schema.sql").read_bytes()).hexdigest()[:12]
    work = args.work / schema
    work.mkdir(parents=True, exist_ok=True)
    n = args.cases
    big, half, small = (
        office(work, n, "Big office"),
        office(work, n // 2, "Half office"),
        office(work, n // 10, "Small office"),
    )
    runs = work / "runs"
    shutil.rmtree(runs, ignore_errors=True)
    runs.mkdir()
    rows = []

    def merge(label: str, into: Path | None, other: Path) -> None:
        target = runs / f"{label}.db"
        if into is not None:
            shutil.copyfile(into, target)
        else:
            subprocess.run(
                dereg("--db", str(target), "init", "--office", "National"), check=True, capture_output=True
            )
        seconds, peak, said = measured(dereg("--db", str(target), "merge", str(other)))
        rows.append((label, seconds, peak, said))
        print(f"{label}: {seconds:.2f} s, {peak:.0f} MB: {said}", flush=True)

    merge("new", None, big)
    merge("half", half, big)
    merge("again", runs / "half.db", big)
    merge("small", None, small)
    print()
    print("| merge | seconds | peak MB | dereg says |")
    print("|---|---:|---:|---|")
    for label, seconds, peak, said in rows:
        print(f"| {label} | {seconds:.2f} | {peak:.0f} | {said.split(': ', 1)[1]} |")


if __name__ == "__main__":
    main()
