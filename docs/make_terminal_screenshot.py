"""Remake docs/case-list-80.png: `dereg case list` in a terminal 80 columns wide.

Runs the command in tmux (80x24), captures the pane, and has Chromium draw the text in a
monospace font. Needs tmux and Debian's chromium (apt-get install -y tmux chromium).

    python docs/make_terminal_screenshot.py DB
"""

import html
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "case-list-80.png"
COMMAND = "dereg case list --limit 18"


def capture(db: str) -> str:
    session = f"dereg-shot-{os.getpid()}"
    shell = f"export DEREG_DB={shlex.quote(db)} PS1='$ '; clear; echo '$ {COMMAND}'; {COMMAND}"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24", "bash", "--norc"], check=True
    )
    try:
        subprocess.run(["tmux", "send-keys", "-t", session, shell, "Enter"], check=True)
        time.sleep(3)
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", session], check=True, capture_output=True, text=True
        ).stdout
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    text = capture(os.path.abspath(sys.argv[1]))
    page = (
        "<html><body style='margin:0;background:#1e1e1e'><pre style='margin:8px;color:#ddd;"
        'font:15px/1.25 "DejaVu Sans Mono",monospace\'>' + html.escape(text) + "</pre></body></html>"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False, encoding="utf-8") as file:
        file.write(page)
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--window-size=760,470", f"--screenshot={TARGET}", f"file://{file.name}"],
        check=True, capture_output=True,
    )  # fmt: skip
    os.unlink(file.name)
    print(f"{TARGET.relative_to(ROOT)}: written")
