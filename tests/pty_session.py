"""dereg run in a real pseudo-terminal of a given width, driven by keystrokes, read as a screen."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time


class Terminal:
    """`python -m dereg ARGS` with stdin, stdout and stderr on one pty of columns x rows."""

    def __init__(self, *args: str, columns: int = 80, rows: int = 40, env: dict | None = None):
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        environment = {**os.environ, "COLUMNS": str(columns), "TERM": "xterm", **(env or {})}
        environment.pop("CI", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dereg", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=environment,
            start_new_session=True,
        )
        os.close(slave)
        self.output = b""
        self.seen = 0

    def read_until(self, text: str, timeout: float = 20) -> str:
        """Everything shown so far, once text has appeared after what the last call found
        (AssertionError if it never does)."""
        deadline = time.monotonic() + timeout
        while (found := self.output.find(text.encode(), self.seen)) < 0:
            if time.monotonic() > deadline or not self._read(deadline - time.monotonic()):
                raise AssertionError(f"{text!r} never came; the screen so far:\n{self.text}")
        self.seen = found + len(text.encode())
        return self.text

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def finish(self, timeout: float = 20) -> int:
        """Read to the end; the exit status."""
        deadline = time.monotonic() + timeout
        while self._read(max(deadline - time.monotonic(), 0)):
            pass
        status = self.process.wait(timeout=max(deadline - time.monotonic(), 1))
        os.close(self.master)
        return status

    @property
    def text(self) -> str:
        return self.output.decode("utf-8", "replace").replace("\r\n", "\n")

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], max(timeout, 0))
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: the other side closed
            return False
        self.output += chunk
        return bool(chunk)


def run(*args: str, columns: int = 80, env: dict | None = None) -> tuple[int, str]:
    terminal = Terminal(*args, columns=columns, env=env)
    status = terminal.finish()
    return status, terminal.text
