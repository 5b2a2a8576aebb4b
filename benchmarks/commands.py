"""Every command at scale, in time and memory: `python benchmarks/commands.py [--sizes 200k,1M]`.

Each command runs as a whole process on a database of gen.py's first N cases (built as users
build theirs, with `dereg import cases`), its output to a file or to /dev/null; the figures are
the median wall time and the process's own peak resident memory (os.wait4) over --rounds runs.
The last lines give, for each command, the ratio of its peak memory at the largest size to
that at the smallest (the target: within 1.3x, memory flat in the cases), the larger of two
ratios: of its largest process's peak, and of all its processes' together (PSS sampled every
50 ms: check and report have helpers); and the targets of the issue on speed: `report` and
`check` under 10 s at 1M cases.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import Failed, bench_env, cases_database, dereg_command, parse_size, run, size_label  # noqa: E402

# (name, arguments after `dereg --db DB`, whether it writes -o OUT)
COMMANDS = [
    ("summary --by district", ["summary", "--format", "csv"], False),
    ("summary --by region", ["summary", "--by", "region", "--format", "csv"], False),
    ("case list --format csv", ["case", "list", "--format", "csv"], False),
    ("case list --format json", ["case", "list", "--format", "json"], False),
    ("case list (table)", ["case", "list"], False),
    ("export cases --format csv", ["export", "cases", "--format", "csv", "-o"], True),
    ("export cases --format json", ["export", "cases", "--format", "json", "-o"], True),
    ("report --format html", ["report", "--format", "html", "-o"], True),
    ("report --format markdown", ["report", "--format", "markdown", "-o"], True),
    ("check", ["check"], False),
    ("backup", ["backup", "--force"], True),
]
UNDER_10_S = {"report --format html", "report --format markdown", "check"}


def measure(
    database: Path, args: list[str], writes: bool, rounds: int, out: Path
) -> tuple[float, float, float]:
    """Median seconds, the largest process's peak memory, and the peak of all its processes'
    together (PSS, sampled: check and report share their work with helper processes)."""
    samples = []
    for _ in range(rounds):
        argv = [*dereg_command(), "--db", str(database), *args]
        if writes:
            out.unlink(missing_ok=True)
            argv.append(str(out))
        samples.append(run(argv, bench_env(), tree=True))  # a failure (check's problems too) stops the run
    return (
        statistics.median(s.seconds for s in samples),
        max(s.rss_mb for s in samples),
        max(s.tree_mb for s in samples),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="200k,1M", help="cases, e.g. 200k,1M")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", default=None, help="commands whose name starts with this (comma-separated)")
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "dereg-bench", help="kept between runs"
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    chosen = [c for c in COMMANDS if not args.only or any(c[0].startswith(o) for o in args.only.split(","))]
    figures: dict[str, dict[int, tuple[float, float, float]]] = {}
    for cases in sizes:
        database = cases_database(args.work, cases)
        out = args.work / "commands-out"
        for name, command, writes in chosen:
            seconds, rss, tree = measure(database, command, writes, args.rounds, out)
            figures.setdefault(name, {})[cases] = (seconds, rss, tree)
            print(
                f"  {name:<30} {size_label(cases):>5} cases  {seconds:8.2f} s  {rss:8.1f} MB"
                f"  (all processes {tree:.1f} MB)",
                flush=True,
            )
        out.unlink(missing_ok=True)
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        print(f"\n{'command':<30} {'time ' + size_label(large):>10} {'memory ' + size_label(large):>22} "
              f"{'memory ratio':>13}  targets")  # fmt: skip
        for name, by_size in figures.items():
            seconds, rss, tree = by_size[large]
            # Both the largest process's peak (wait4) and all processes' sampled PSS must be flat.
            ratio = max(rss / by_size[small][1], tree / by_size[small][2])
            verdicts = ["memory " + ("met" if ratio <= 1.3 else "MISSED")]
            if name in UNDER_10_S and large >= 1_000_000:
                verdicts.append("under 10 s " + ("met" if seconds < 10 else "MISSED"))
            memory = f"{rss:.1f} MB / all {tree:.1f} MB"
            print(f"{name:<30} {seconds:>8.2f} s {memory:>22} {ratio:>12.2f}x  {', '.join(verdicts)}")


if __name__ == "__main__":
    try:
        main()
    except Failed as exc:
        sys.exit(f"a benchmark failed: {exc}")
