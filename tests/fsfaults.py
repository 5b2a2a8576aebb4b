"""Real file-system faults for the tests: a tiny disk that fills up, a folder that turns read-only.

Root ignores file modes, so for root a read-only folder is a tmpfs remounted read-only, and a
full disk is a small tmpfs; where mounting is not allowed, those tests are skipped.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path

import pytest

IS_ROOT = os.geteuid() == 0


def _mount_tmpfs(folder: Path, size_kb: int) -> bool:
    folder.mkdir(exist_ok=True)
    if not IS_ROOT:
        return False
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=0755", "tmpfs", str(folder)],
        capture_output=True,
    )
    return mounted.returncode == 0


def _unmount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB file system of its own, which fill_disk() fills."""
    folder = tmp_path / "disk"
    if not _mount_tmpfs(folder, 2048):
        pytest.skip("a full disk needs root to mount a small tmpfs")
    yield folder
    _unmount(folder)


@pytest.fixture
def lockable_folder(tmp_path):
    """A folder read_only() can lock: a tmpfs for root (who ignores modes), else a plain folder."""
    folder = tmp_path / "lockable"
    folder.mkdir()
    if IS_ROOT and not _mount_tmpfs(folder, 8192):
        pytest.skip("a read-only folder for root needs a tmpfs mount")
    yield folder
    if IS_ROOT:
        _unmount(folder)


def fill_disk(folder: Path) -> Path:
    """Write a filler file until the disk is full; deleting it frees the space again."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as file:  # unbuffered: nothing left to flush at close
        for chunk in (1 << 16, 1 << 12, 1 << 9, 1):
            try:
                while True:
                    file.write(b"\0" * chunk)
            except OSError:
                pass
    return filler


@contextlib.contextmanager
def read_only(folder: Path):
    """Make folder and the files in it read-only to us for the duration."""
    if IS_ROOT:
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        try:
            yield
        finally:
            subprocess.run(["mount", "-o", "remount,rw", str(folder)], check=True)
        return
    modes = {path: path.stat().st_mode for path in [folder, *folder.iterdir()]}
    for path in modes:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield
    finally:
        for path, mode in modes.items():
            path.chmod(mode)
