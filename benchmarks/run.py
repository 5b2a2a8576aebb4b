"""dereg's speed, measured side by side with its floors: `python benchmarks/run.py [--quick]`.

Every figure is a whole process (start-up, work, exit) timed with its floor in the same run:
the contenders of a measure take turns (the order rotating each round), and a ratio is the
median of the ratios of each round's pair, so a noisy, shared machine moves both sides alike.
Peak memory is each process's own maximum resident set (os.wait4); for dereg's import, which
reads in a second process, also both processes' proportional set size, sampled.

    import    dereg import cases vs the Python floor (floor.py), sqlite3 .import and
              sqlite-utils insert --csv --no-detect-types, at 200k and 1M rows
    query     dereg summary (--by district, region, election) and case list --search at
              10k, 100k and 1M cases vs the sqlite3 shell running the same view
    startup   dereg --help and dereg summary on the shipped cases.db vs a Typer app that
              does nothing (noop_typer.py) and python -c pass

Generated files and databases are kept in --work (keyed by size and schema) between runs.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = sys.executable
# Hundreds of hits; the same name typed in Latin (found through the transliteration key); none.
SEARCH_TERMS = ("ҚАСЫМОВА ӘЛИЯ", "qasymova aliya", "no such words here")
BYS = ("district", "region", "election")
ORDER = {"district": "election, region, district", "region": "election, region", "election": "election"}


# --- processes ---------------------------------------------------------------------------


@dataclass
class Sample:
    seconds: float
    rss_mb: float
    tree_mb: float = 0.0  # peak of the process and its children together (PSS), when sampled


class Failed(Exception):
    pass


def run(argv: list[str], env: dict | None = None, tree: bool = False) -> Sample:
    """Run one process to its end: wall time and its own peak resident memory (os.wait4: for a
    process with children, the largest of their peaks). tree: also sample, every 50 ms, the
    proportional set size of the process and its children together (pages they share counted
    once), for dereg's import, which reads in a second process."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors, env=env
        )
        peak = 0.0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG if tree else 0)
            if pid:
                break
            peak = max(peak, tree_pss_mb(proc.pid))
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            errors.seek(0)
            text = errors.read().decode(errors="replace")[-2000:]
            raise Failed(f"{shlex.join(argv)} exited {proc.returncode}:\n{text}")
    return Sample(seconds, usage.ru_maxrss / 1024, peak)


def tree_pss_mb(pid: int) -> float:
    """The proportional set size of a process and its children, in MB (0 once it is gone)."""
    total = 0
    pids = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            pids += [int(child) for child in (task / "children").read_text().split()]
    except OSError:
        return 0.0
    for each in pids:
        try:
            for line in Path(f"/proc/{each}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            pass
    return total / 1024


def dereg_command() -> list[str]:
    script = Path(PYTHON).parent / "dereg"
    return [str(script)] if script.exists() else [PYTHON, "-m", "dereg"]


@dataclass
class Contender:
    name: str
    argv: list[str]
    before: object = None  # called before each run, untimed (e.g. remove the output file)
    tree: bool = False  # sample the memory of its children too (run())
    samples: list[Sample] = field(default_factory=list)


def rounds(contenders: list[Contender], repetitions: int, env: dict | None = None) -> None:
    """Each round runs every contender once, in an order that rotates round by round."""
    for number in range(repetitions):
        turn = number % len(contenders)
        for contender in contenders[turn:] + contenders[:turn]:
            if contender.before:
                contender.before()
            contender.samples.append(run(contender.argv, env, contender.tree))


def warmed_rounds(contenders: list[Contender], repetitions: int, env: dict, warm_up: int = 1) -> None:
    """rounds() after warm_up untimed ones (page cache, .pyc files), whose samples are dropped."""
    rounds(contenders, warm_up, env)
    for contender in contenders:
        contender.samples.clear()
    rounds(contenders, repetitions, env)


def paired_ratio(numerator: Contender, denominator: Contender, what: str = "seconds") -> float:
    """The median over rounds of numerator / denominator, each round's own pair."""
    return statistics.median(
        getattr(a, what) / getattr(b, what) for a, b in zip(numerator.samples, denominator.samples)
    )


def median(contender: Contender, what: str = "seconds") -> float:
    return statistics.median(getattr(sample, what) for sample in contender.samples)


# --- the table ---------------------------------------------------------------------------


@dataclass
class Row:
    measure: str
    value: str
    ratio: float | None = None
    target: str = ""  # e.g. "<= 1.3" (a ratio) or "< 1 s"; empty: for information
    against: str = ""
    checked: float | None = None  # what the target bounds, when not the ratio (seconds)

    def verdict(self) -> str:
        measured = self.ratio if self.checked is None else self.checked
        if not self.target or measured is None:
            return ""
        operator, bound = self.target.split()[:2]
        ok = measured <= float(bound) if operator == "<=" else measured < float(bound)
        return "met" if ok else "MISSED"


class Report:
    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.notes: list[str] = []

    def add(self, row: Row) -> None:
        self.rows.append(row)
        shown = f"{row.ratio:.2f}x" if row.ratio is not None else ""
        print(f"  {row.measure:<52} {row.value:<30} {shown:>8} {row.target:>8} {row.verdict()}", flush=True)

    def markdown(self) -> str:
        lines = ["| measure | dereg | ratio | against | target | |", "|---|---|---:|---|---:|---|"]
        for row in self.rows:
            ratio = f"{row.ratio:.2f}×" if row.ratio is not None else ""
            target = row.target.replace("<=", "≤").replace("<", "<")
            lines.append(
                f"| {row.measure} | {row.value} | {ratio} | {row.against} | {target} | {row.verdict()} |"
            )
        return "\n".join(lines)

    def text(self) -> str:
        header = f"{'measure':<52} {'dereg':<30} {'ratio':>8} {'target':>8}  {'against'}"
        lines = [header, "-" * len(header)]
        for row in self.rows:
            ratio = f"{row.ratio:.2f}x" if row.ratio is not None else ""
            lines.append(
                f"{row.measure:<52} {row.value:<30} {ratio:>8} {row.target:>8}  {row.against} {row.verdict()}"
            )
        return "\n".join(lines)


# --- inputs ------------------------------------------------------------------------------


def size_label(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def parse_size(text: str) -> int:
    text = text.strip().lower()
    scale = {"k": 1000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * scale)


def csv_file(work: Path, count: int, unit: str = "rows", *, scatter: bool = False) -> Path:
    """gen.py's file of count rows, or of the rows of count cases; scattered: in no order."""
    path = work / f"{size_label(count)}-{unit}{'-scattered' if scatter else ''}.csv"
    if not path.exists():
        print(f"  generating {path.name} ...", flush=True)
        partial = path.with_suffix(".part")
        flags = (["--cases"] if unit == "cases" else []) + (["--scatter"] if scatter else [])
        subprocess.run([PYTHON, str(BENCH / "gen.py"), str(count), str(partial), *flags], check=True)
        partial.rename(path)
    return path


def schema_key() -> str:
    """Databases are rebuilt when schema.sql changes."""
    return hashlib.sha256((ROOT / "schema.sql").read_bytes()).hexdigest()[:10]


def cases_database(work: Path, cases: int) -> Path:
    """A database of gen.py's first `cases` cases, built as users build theirs."""
    path = work / f"{size_label(cases)}-cases-{schema_key()}.db"
    if path.exists():
        return path
    source = csv_file(work, cases, "cases")
    partial = path.with_name(path.name + ".part")
    for stale in work.glob(partial.name + "*"):
        stale.unlink()
    print(f"  building {path.name} ...", flush=True)
    run([*dereg_command(), "--db", str(partial), "import", "cases", str(source)], bench_env())
    conn = sqlite3.connect(partial)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    partial.rename(path)
    return path


def bench_env() -> dict:
    """The environment of every timed process: as a user's, with bytecode caching on.

    Without .pyc files (PYTHONDONTWRITEBYTECODE, set on some CI machines) every run would
    compile dereg's modules anew, while installed packages such as typer ship compiled.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "DEREG_ACTOR": "benchmark", "COLUMNS": "100"}


def remover(path: Path):
    def remove() -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)

    return remove


# --- the three measures ------------------------------------------------------------------


def bench_import(report: Report, work: Path, sizes: list[int], repetitions: int) -> None:
    print(f"import ({repetitions} rounds)", flush=True)
    sqlite_utils = Path(PYTHON).parent / "sqlite-utils"
    by_size: dict[int, dict[str, Contender]] = {}
    for rows in sizes:
        # Rows in no order (as a merged or re-sorted spreadsheet has them): the harder case.
        source = csv_file(work, rows, scatter=True)
        grouped = csv_file(work, rows)  # district by district, as commissions report them
        out = {name: work / f"import-{name}.db" for name in ("dereg", "floor", "shell", "utils", "grouped")}
        contenders = [
            Contender(
                "dereg",
                [*dereg_command(), "--db", str(out["dereg"]), "import", "cases", str(source)],
                remover(out["dereg"]),
                tree=True,
            ),
            Contender(
                "floor",
                [PYTHON, str(BENCH / "floor.py"), str(source), str(out["floor"])],
                remover(out["floor"]),
            ),
            Contender(
                "grouped",
                [*dereg_command(), "--db", str(out["grouped"]), "import", "cases", str(grouped)],
                remover(out["grouped"]),
            ),
            Contender(
                "shell",
                ["sqlite3", "-csv", str(out["shell"]), f".import '{source}' cases"],
                remover(out["shell"]),
            ),
            Contender(
                "utils",
                [
                    str(sqlite_utils),
                    "insert",
                    str(out["utils"]),
                    "cases",
                    str(source),
                    "--csv",
                    "--no-detect-types",
                ],
                remover(out["utils"]),
            ),
        ]
        rounds(contenders, repetitions, bench_env())
        named = {c.name: c for c in contenders}
        by_size[rows] = named
        label = size_label(rows)
        floor = named["floor"]

        def rate(c: Contender, rows: int = rows) -> str:
            return f"{rows / median(c) / 1000:,.0f}k rows/s, {median(c, 'rss_mb'):.0f} MB"

        dereg = named["dereg"]
        report.add(
            Row(
                f"import {label} (rows in no order): dereg vs Python floor",
                rate(dereg),
                paired_ratio(dereg, floor),
                "<= 3.0",
                f"floor {rate(floor)}",
            )
        )
        report.add(
            Row(
                f"import {label}: dereg vs sqlite-utils insert",
                rate(dereg),
                paired_ratio(dereg, named["utils"]),
                "<= 0.5",
                f"sqlite-utils {rate(named['utils'])}",
            )
        )
        report.add(
            Row(
                f"import {label} grouped by district: dereg vs Python floor",
                rate(named["grouped"]),
                paired_ratio(named["grouped"], floor),
                "",
                f"floor {rate(floor)} (on the file in no order)",
            )
        )
        # The same file again, into the database the last round filled: every row unchanged.
        again = Contender(
            "again", [*dereg_command(), "--db", str(out["dereg"]), "import", "cases", str(source)]
        )
        rounds([again], 1, bench_env())
        report.add(
            Row(
                f"import {label} again, all unchanged, vs the first import",
                rate(again),
                again.samples[0].seconds / median(dereg),
                "< 1",
                "dereg's first import, median",
            )
        )
        report.add(
            Row(
                f"import {label}: dereg's peak memory, both processes",
                f"{median(dereg, 'tree_mb'):.0f} MB",
                None,
                "< 150",
                f"the issue on speed: under 150 MB (the larger process alone: {median(dereg, 'rss_mb'):.0f} MB)",
                checked=median(dereg, "tree_mb"),
            )
        )
        report.add(
            Row(
                f"import {label}: sqlite3 .import vs Python floor",
                rate(named["shell"]),
                paired_ratio(named["shell"], floor),
                "",
                "measured elsewhere ≈ 0.68",
            )
        )
        report.add(
            Row(
                f"import {label}: sqlite-utils vs Python floor",
                rate(named["utils"]),
                paired_ratio(named["utils"], floor),
                "",
                "measured elsewhere ≈ 6.6",
            )
        )
        for path in out.values():
            remover(path)()
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        growth = large / small
        a, b = by_size[large]["dereg"], by_size[small]["dereg"]  # memory: both processes
        report.add(
            Row(
                f"import time {size_label(large)} / {size_label(small)} (linear: {growth:.0f})",
                f"{median(a):.2f} s / {median(b):.2f} s",
                median(a) / median(b),
                f"<= {growth * 1.1:g}",  # the issue on speed: 1M / 200k <= 5.5
                "rows grow ×" + f"{growth:g}",
            )
        )
        report.add(
            Row(
                f"import peak memory {size_label(large)} / {size_label(small)}",
                f"{median(a, 'tree_mb'):.0f} MB / {median(b, 'tree_mb'):.0f} MB",
                median(a, "tree_mb") / median(b, "tree_mb"),
                "<= 1.3",
                "flat",
            )
        )


def bench_query(report: Report, work: Path, sizes: list[int], repetitions: int) -> None:
    print(f"query ({repetitions} rounds)", flush=True)
    from_dereg = _search_sql()
    for cases in sizes:
        database = cases_database(work, cases)
        label = size_label(cases)
        conn = sqlite3.connect(database)
        districts = conn.execute("SELECT count(*) FROM districts").fetchone()[0]
        conn.close()
        for by in BYS:
            view = f"{by}_competition"
            dereg = Contender(
                "dereg", [*dereg_command(), "--db", str(database), "summary", "--by", by, "--format", "csv"]
            )
            shell = Contender(
                "shell",
                ["sqlite3", "-csv", "-header", str(database), f"SELECT * FROM {view} ORDER BY {ORDER[by]}"],
            )
            warmed_rounds([dereg, shell], repetitions, bench_env())  # page cache warm
            target = "<= 2.5" if cases >= 1_000_000 else ""  # smaller: start-up outweighs the view
            report.add(
                Row(
                    f"summary --by {by}, {label} cases ({districts:,} districts)",
                    f"{median(dereg):.3f} s",
                    paired_ratio(dereg, shell),
                    target,
                    f"sqlite3 shell {median(shell):.3f} s",
                )
            )
        # What a terminal shows by default: the same view drawn as a wrapped table (information).
        table = Contender("table", [*dereg_command(), "--db", str(database), "summary", "--by", "district"])
        shell = Contender(
            "shell",
            [
                "sqlite3",
                "-csv",
                "-header",
                str(database),
                f"SELECT * FROM district_competition ORDER BY {ORDER['district']}",
            ],
        )
        warmed_rounds([table, shell], repetitions, bench_env())
        report.add(
            Row(
                f"summary --by district as a table, {label} cases",
                f"{median(table):.3f} s",
                paired_ratio(table, shell),
                "",
                f"sqlite3 shell {median(shell):.3f} s",
            )
        )
        for term in SEARCH_TERMS:
            dereg = Contender(
                "dereg",
                [
                    *dereg_command(),
                    "--db",
                    str(database),
                    "case",
                    "list",
                    "--search",
                    term,
                    "--format",
                    "csv",
                ],
            )
            shell = Contender("shell", ["sqlite3", "-csv", "-header", str(database), from_dereg(term)])
            warmed_rounds([dereg, shell], repetitions, bench_env())
            target = "< 1 s" if cases >= 1_000_000 else ""
            report.add(
                Row(
                    f"case list --search '{term}', {label} cases",
                    f"{median(dereg):.3f} s",
                    paired_ratio(dereg, shell),
                    target,
                    f"sqlite3 shell scan {median(shell):.3f} s",
                    checked=median(dereg),
                )
            )


def _search_sql():
    """What a shell user runs for --search: a scan of the folded search column."""
    sys.path.insert(0, str(ROOT))
    from dereg.text import fold

    def sql(term: str) -> str:
        quoted = fold(term).replace("'", "''")
        return (
            f"SELECT o.* FROM case_overview o JOIN cases c ON c.id = o.id "
            f"WHERE instr(c.search, '{quoted}') > 0 ORDER BY o.id"
        )

    return sql


def bench_startup(report: Report, work: Path, repetitions: int) -> None:
    print(f"startup ({repetitions} rounds)", flush=True)
    shipped = ROOT / "cases.db"
    copy = work / "shipped.db"
    remover(copy)()
    if shipped.exists():
        shutil.copyfile(shipped, copy)
        report.notes.append("Startup ran on the shipped cases.db.")
    else:
        shutil.copyfile(cases_database(work, 300), copy)
        report.notes.append("There is no cases.db in the repository yet: startup used 300 cases.")
    env = {**bench_env(), "DEREG_DB": str(copy)}
    python = Contender("python", [PYTHON, "-c", "pass"])
    typer_app = Contender("typer", [PYTHON, str(BENCH / "noop_typer.py")])
    helps = Contender("help", [*dereg_command(), "--help"])
    summary = Contender("summary", [*dereg_command(), "summary"])
    # The same in Russian and Kazakh: the catalog is read, the words are longer.
    in_russian = Contender("summary ru", [*dereg_command(), "--lang", "ru", "summary"])
    in_kazakh = Contender("summary kk", [*dereg_command(), "--lang", "kk", "summary"])
    everything = [python, typer_app, helps, summary, in_russian, in_kazakh]
    warmed_rounds(everything, repetitions, env, warm_up=2)

    def ms(c: Contender) -> str:
        return f"{median(c) * 1000:.0f} ms, {median(c, 'rss_mb'):.0f} MB"

    report.add(
        Row(
            "dereg --help vs a do-nothing Typer command",
            ms(helps),
            paired_ratio(helps, typer_app),
            "<= 1.3",
            f"Typer app {ms(typer_app)}",
        )
    )
    report.add(
        Row(
            f"dereg summary ({'cases.db' if shipped.exists() else '300 cases'}) vs do-nothing Typer",
            ms(summary),
            paired_ratio(summary, typer_app),
            "<= 1.3",
            f"Typer app {ms(typer_app)}",
        )
    )
    for language, contender in (("ru", in_russian), ("kk", in_kazakh)):
        report.add(
            Row(
                f"dereg --lang {language} summary vs do-nothing Typer",
                ms(contender),
                paired_ratio(contender, typer_app),
                "<= 1.3",
                f"Typer app {ms(typer_app)}",
            )
        )
    report.add(
        Row(
            "do-nothing Typer command vs python -c pass",
            ms(typer_app),
            paired_ratio(typer_app, python),
            "",
            f"python {ms(python)}; elsewhere ≈ 13",
        )
    )
    report.add(
        Row(
            "dereg summary vs python -c pass",
            ms(summary),
            paired_ratio(summary, python),
            "",
            f"python {ms(python)}",
        )
    )


# --- the machine -------------------------------------------------------------------------


def machine() -> list[str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f"{int(memory) / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        memory = "?"
    from importlib.metadata import PackageNotFoundError, version

    def v(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "absent"

    shell = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True, check=False)
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    shell_version = shell.stdout.split()[0] if shell.stdout else "absent"
    return [
        (
            f"{platform.node()}: {platform.platform()}, {cpu}, {os.cpu_count()} CPUs, {memory} RAM, "
            f"load {os.getloadavg()[0]:.2f} at the start"
        ),
        (
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version} (Python) / "
            f"{shell_version} (shell), typer {v('typer')}, sqlite-utils {v('sqlite-utils')}, "
            f"pydantic {v('pydantic')}, tabulate {v('tabulate')}"
        ),
        f"dereg at {commit or '?'}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="about a minute: import at 10k and 100k, queries at 10k and 100k, fewer rounds",
    )
    parser.add_argument("--only", default="import,query,startup", help="which measures (comma-separated)")
    parser.add_argument("--import-sizes", default=None, help="rows, e.g. 200k,1M (default)")
    parser.add_argument("--query-sizes", default=None, help="cases, e.g. 10k,100k,1M (default)")
    parser.add_argument("--import-rounds", type=int, default=None, help="default 3 (quick: 1)")
    parser.add_argument("--query-rounds", type=int, default=None, help="default 5 (quick: 3)")
    parser.add_argument("--startup-rounds", type=int, default=None, help="default 20 (quick: 10)")
    parser.add_argument(
        "--work",
        type=Path,
        default=Path(tempfile.gettempdir()) / "dereg-bench",
        help="where generated files and databases are kept between runs",
    )
    parser.add_argument("--results", type=Path, help="also write the report here (Markdown)")
    args = parser.parse_args()
    quick = args.quick
    import_sizes = [
        parse_size(s) for s in (args.import_sizes or ("10k,100k" if quick else "200k,1M")).split(",")
    ]
    query_sizes = [
        parse_size(s) for s in (args.query_sizes or ("10k,100k" if quick else "10k,100k,1M")).split(",")
    ]
    import_rounds = args.import_rounds or (1 if quick else 3)
    query_rounds = args.query_rounds or (3 if quick else 5)
    startup_rounds = args.startup_rounds or (10 if quick else 20)
    only = set(args.only.split(","))
    if shutil.which("sqlite3") is None:
        sys.exit("the sqlite3 shell is needed: apt-get install -y sqlite3")
    args.work.mkdir(parents=True, exist_ok=True)

    lines = machine()
    print("\n".join(lines), flush=True)
    report = Report()
    started = time.perf_counter()
    try:
        if "startup" in only:
            bench_startup(report, args.work, startup_rounds)
        if "query" in only:
            bench_query(report, args.work, query_sizes, query_rounds)
        if "import" in only:
            bench_import(report, args.work, import_sizes, import_rounds)
    except Failed as exc:
        sys.exit(f"a benchmark failed: {exc}")
    took = time.perf_counter() - started
    command = shlex.join(["python", "benchmarks/run.py", *sys.argv[1:]])
    print(f"\n{report.text()}\n")
    for note in report.notes:
        print(f"note: {note}")
    print(f"{command}: {took:.0f} s")
    if args.results:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        args.results.write_text(
            f"# Benchmark results\n\nThe latest run, {stamp}, {took:.0f} s:\n\n```sh\n{command}\n```\n\n"
            + "\n".join(f"- {line}" for line in lines)
            + "\n\n"
            + report.markdown()
            + "\n\n"
            + "".join(f"- {note}\n" for note in report.notes)
            + "\nRatios are medians over rounds of each round's own pair. README.md says how they are\n"
            + "measured, what was changed for them, and why the targets missed are missed.\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
