"""Remake docs/report.png (and report-ru.png, report-kk.png: the same report in Russian and
Kazakh): the report of the test suite's generated 180-district election.

The picture is the one the Chromium test takes (tests/test_report.py), so it shows what the
tests check. Needs Debian's chromium (apt-get install -y chromium) and the test extras.

    python docs/make_screenshot.py
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "report.png"

if __name__ == "__main__":
    before = TARGET.stat().st_mtime_ns if TARGET.exists() else None
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rs",
            str(ROOT / "tests" / "test_report.py"),
            "-k",
            "chromium",
        ],
        env={**os.environ, "DEREG_REPORT_PNG": str(TARGET)},
        cwd=ROOT,
    )
    if result.returncode or not TARGET.exists() or TARGET.stat().st_mtime_ns == before:
        sys.exit("no screenshot made: is chromium installed?")
    print(f"{TARGET.relative_to(ROOT)}: written")
