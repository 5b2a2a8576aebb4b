"""Files dereg writes for its user: readable by their owner alone (0600), whatever the umask."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from dereg.errors import DeregError
from dereg.i18n import _


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


def refuse_database(path: str | os.PathLike, database: str | os.PathLike) -> None:
    """No file dereg writes may be the database or its -wal, -shm or -journal: not by its name,
    nor through a symbolic link, nor as a hard link to it."""
    for name, suffix in (
        (_("the database"), ""),
        (_("the database's -wal"), "-wal"),
        (_("the database's -shm"), "-shm"),
        (_("the database's -journal"), "-journal"),
    ):
        own = Path(f"{database}{suffix}")
        if os.path.realpath(path) == os.path.realpath(own) or _same_file(path, own):
            raise DeregError(_("'{path}' is {name}: name another file to write").format(path=path, name=name))


def _same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False  # one of them does not exist


@contextmanager
def private_output(
    path: str | os.PathLike,
    *,
    database: str | os.PathLike | None,
    encoding: str = "utf-8",
    errors: str = "strict",
) -> Iterator[TextIO]:
    """A private file written in full or not at all: a temporary file beside it, on disk
    before it takes the name, which it takes from a symbolic link too (the link is replaced,
    the file it pointed to left alone). Never the database (see refuse_database). Errors
    name path, not the temporary file."""
    path = Path(path)
    if database is not None:
        refuse_database(path, database)
    if path.is_dir():
        raise DeregError(_("{path} is a folder: name the file to write").format(path=path))
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    os.close(fd)  # mkstemp makes it 0600
    try:
        with open_private(temporary, encoding=encoding, errors=errors) as out:
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
