"""Reading an import's rows and checking what needs no database: here, or in a process of its own.

Every row passes the checks common to all files (its width, control characters, bytes the
encoding could not read, a '?' where a code page lost a letter) and the loader's parse(),
which reads its values without the database. On Linux a forked ReaderProcess does this while
the importing process writes (pipeline.py): an import then takes the time of the slower side,
not of both. Either way the rows come in their order, with the same verdicts.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import traceback
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection

from dereg.csvio.columns import column_name
from dereg.csvio.source import Source
from dereg.errors import DeregError
from dereg.i18n import _
from dereg.text import CONTROL_CHARACTERS

# C0 and C1 controls (TAB, LF and CR are judged per column) and the lone surrogates that
# source.py puts where bytes were not valid in the file's encoding.
_FORBIDDEN = re.compile(f"[{CONTROL_CHARACTERS}\udc00-\udcff]")
# Excel writes '?' for a letter its code page lacks: 'Қасымова' saved as Windows-1251 is '?асымова'.
_CYRILLIC_QUESTION = re.compile(r"\?(?=[\u0400-\u04ff])|(?<=[\u0400-\u04ff])\?(?=\w)")


def _screened(
    source: Source, parse: Callable | None, header: list[str], joined: bool = False
) -> Iterator[tuple]:
    """(line, cells, verdict, question) for each row: verdict is the row's problems (a list)
    if it breaks the checks common to all files, else what parse() made of it (None: a value
    is invalid, or there is no parse); question: '?' in a Cyrillic word. Nothing here reads
    the database, so another process can do it. joined: the cells of a row parse() read come
    as one string, joined by UNIT (one object to send, not one a cell), which no such row
    holds: the control characters are refused above."""
    width = len(header)
    for line, cells in source.rows():
        if len(cells) != width:
            message = _("{count} fields, but the header has {width}").format(count=len(cells), width=width)
            yield line, cells, [(None, message)], False
            continue
        text = "".join(cells)
        if not text.isprintable() and _FORBIDDEN.search(text):
            yield line, cells, _forbidden(cells, header, source), False
            continue
        question = "?" in text and _CYRILLIC_QUESTION.search(text) is not None
        parsed = None if parse is None else parse(cells)
        if joined and parsed is not None:
            cells = UNIT.join(cells[:width])  # parse() may add to cells (columns.row_reader)
        yield line, cells, parsed, question


class Reading:
    """The rows of a file as _screened() gives them, read in this process; bytes_read and
    sha256 say how much of the file was read, and the hash of all of it once every row is."""

    def __init__(self, source: Source, parse: Callable | None, header: list[str]):
        self.source = source
        self._rows = _screened(source, parse, header)

    @property
    def bytes_read(self) -> int:
        return self.source.bytes_read

    @property
    def sha256(self) -> str:
        return self.source.sha256

    def __iter__(self) -> Iterator[tuple]:
        return self._rows

    def __enter__(self) -> Reading:
        return self

    def __exit__(self, *exc) -> None:
        self._rows.close()


ROWS, END, FAILED, CRASHED = range(4)  # what the reading process sends
BATCH_ROWS = 1024  # rows each message from the reading process carries
UNIT = "\x1f"  # between the cells of a row the reading process read (_screened)
PIPE_BYTES = 1 << 20  # a batch at one write, not in 64 KB pieces (Linux's F_SETPIPE_SZ)


class ReaderProcess:
    """The same rows, read and checked by a process of their own while this one writes: an
    import then takes the time of the slower side rather than of both. The child is forked
    (it has the file open, its header read, and the loader's readers), never touches the
    database, and sends the rows in batches through a pipe, in order, then the file's hash.

    Whatever stops this side early (an error, Ctrl-C, a full write) kills the child, and it is
    always waited for. If this process is killed, the child's next send finds the pipe closed
    and it ends too; the transaction it fed was never committed."""

    def __init__(self, source: Source, parse: Callable | None, header: list[str]):
        self.source = source
        self.bytes_read = 0
        self.sha256 = ""
        receive, send = os.pipe()
        import fcntl  # Linux's, as this class is (reader())

        try:
            fcntl.fcntl(send, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        except OSError:  # above /proc/sys/fs/pipe-max-size: the default works, in more pieces
            pass
        # Ctrl-C reaches both processes; the child ignores it, and must not meet it before it can.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            self.pid = os.fork()
            if self.pid == 0:
                code = 1
                try:
                    signal.signal(signal.SIGINT, signal.SIG_IGN)
                    signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
                    os.close(receive)
                    code = _read_for_parent(source, parse, header, Connection(send, readable=False))
                finally:
                    os._exit(code)  # no exit handlers: the database connection is the parent's
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        os.close(send)
        self.channel = Connection(receive, writable=False)
        self.finished = False

    def __iter__(self) -> Iterator[tuple]:
        while True:
            try:
                message = self.channel.recv()
            except EOFError:
                raise DeregError(
                    _("{file}: the process reading it stopped before the end").format(file=self.source.name)
                ) from None
            kind = message[0]
            if kind == ROWS:
                self.bytes_read = message[2]
                yield from message[1]
            elif kind == END:
                self.sha256, self.bytes_read = message[1], message[2]
                self.finished = True
                return
            elif kind == FAILED:
                raise DeregError(message[1])
            else:
                raise RuntimeError(f"the process reading {self.source.name} failed:\n{message[1]}")

    def __enter__(self) -> ReaderProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.channel.close()
        if not self.finished:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os.waitpid(self.pid, 0)


def _read_for_parent(source: Source, parse: Callable | None, header: list[str], channel: Connection) -> int:
    """The reading process's work: every row screened and sent, in batches; its exit code."""
    batch: list[tuple] = []
    try:
        try:
            for item in _screened(source, parse, header, joined=True):
                batch.append(item)
                if len(batch) >= BATCH_ROWS:
                    channel.send((ROWS, batch, source.bytes_read))
                    batch = []
            channel.send((ROWS, batch, source.bytes_read))
            channel.send((END, source.sha256, source.bytes_read))
        except DeregError as exc:  # a broken quote: the rows before it, then the error
            channel.send((ROWS, batch, source.bytes_read))
            channel.send((FAILED, str(exc)))
        except Exception:
            channel.send((CRASHED, traceback.format_exc()))
    except OSError:  # the parent stopped reading: it has stopped the import
        return 1
    return 0


def reader(source: Source, loader, header: list[str]) -> Reading | ReaderProcess:
    """The rows of source, screened in a process of their own where the loader can read a row
    without the database, on Linux (elsewhere fork is unsafe or missing, and Python spawns);
    DEREG_IMPORT_PROCESSES=1: in this one."""
    parse = getattr(loader, "parse", None)
    if parse is not None and sys.platform == "linux" and os.environ.get("DEREG_IMPORT_PROCESSES") != "1":
        return ReaderProcess(source, parse, header)
    return Reading(source, parse, header)


def _forbidden(cells: list[str], header: list[str], source: Source) -> list[tuple[str | None, str]]:
    """Which values hold a control character or bytes the file's encoding cannot read."""
    problems: list[tuple[str | None, str]] = []
    for position, cell in enumerate(cells):
        bad = _FORBIDDEN.search(cell)
        if bad is None:
            continue
        column = column_name(header[position])
        if "\udc00" <= bad.group() <= "\udcff":
            hint = "" if source.encoding_given else _("; name the file's encoding with --encoding")
            message = _("byte 0x{group:02X} is not {label} text{hint}").format(
                group=ord(bad.group()) - 0xDC00, label=source.label, hint=hint
            )
        else:
            message = _("a control character (U+{group:04X}) in {cell!r}").format(
                group=ord(bad.group()), cell=cell
            )
        problems.append((column, message))
    return problems
