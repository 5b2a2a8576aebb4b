"""Files dereg writes for its user: readable by their owner alone (0600), whatever the umask."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from dereg.errors import DeregError


def create_private(path: str | os.PathLike) -> None:
    """Create path empty and private; FileExistsError if it is there already."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        os.fchmod(fd, 0o600)  # the umask may have taken bits the mode asked for
    finally:
        os.close(fd)


def open_private(path: str | os.PathLike, *, encoding: str = "utf-8", errors: str = "strict") -> TextIO:
    """Create (or empty) a text file readable by its owner alone."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # a file that existed keeps its mode unless told
    except OSError:
        os.close(fd)
        raise
    return open(fd, "w", encoding=encoding, errors=errors, newline="")


@contextmanager
def private_output(path: str | os.PathLike) -> Iterator[TextIO]:
    """A private file written in full or not at all: a temporary file beside it, on disk
    before it takes the name. Errors name path, not the temporary file."""
    path = Path(path)
    if path.is_dir():
        raise DeregError(f"{path} is a folder: name the file to write")
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    os.close(fd)  # mkstemp makes it 0600
    try:
        with open_private(temporary) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        os.unlink(temporary)
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    except BaseException:
        os.unlink(temporary)
        raise
