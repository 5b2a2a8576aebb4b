"""Reading a CSV file as offices write it: its encoding, its delimiter, its header, its lines.

The file is read once, as a stream: the first SNIFF_BYTES decide the encoding and the
delimiter, then the same bytes and the rest pass through one decoder, a SHA-256 and the csv
module. Nothing here holds more than a buffer of the file in memory.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import re
import sys
from collections.abc import Iterator
from typing import BinaryIO

from dereg.errors import DeregError, UsageError

SNIFF_BYTES = 1 << 16
DELIMITERS = {",": ",", ";": ";", "\t": "\t", "tab": "\t", "\\t": "\t"}

# The bytes where KZ-1048 holds the Kazakh letters Ә Ғ Қ Ң Ө Ұ Ү Һ (both cases): read as
# Windows-1251 they give Ј Є Ќ Ѕ Ґ Ў Ї Ћ, letters no office in Kazakhstan writes.
_KZ1048_LETTERS = re.compile(rb"[\x8d\x8e\x9d\x9e\xa1\xa2\xa3\xa5\xaa\xaf\xb4\xba\xbc\xbd\xbe\xbf]")

UNDECODABLE = "dereg.undecodable"


def _escape(error: UnicodeDecodeError) -> tuple[str, int]:
    """Each byte the encoding cannot read becomes a lone surrogate (U+DC80..U+DCFF), which no
    text holds: the row checks refuse it with its line and column. Unlike Python's own
    'surrogateescape' this works for every codec, UTF-16 included."""
    bad = error.object[error.start : error.end]
    return "".join(chr(0xDC00 + byte) for byte in bad), error.end


codecs.register_error(UNDECODABLE, _escape)

# What the file's encoding is called when dereg says it on stderr.
LABELS = {"utf-8": "utf-8", "utf-8-sig": "utf-8 (with BOM)", "utf-16": "utf-16",
          "cp1251": "windows-1251", "kz1048": "kz-1048"}  # fmt: skip


def detect_encoding(head: bytes, whole: bool) -> str:
    """The codec of a file that starts with head (whole: head is all of it)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=whole)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    return "kz1048" if _KZ1048_LETTERS.search(head) else "cp1251"


def detect_delimiter(header_line: str) -> str:
    """The delimiter the header uses most of: ',', ';' or TAB (',' for a one-column header)."""
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def parse_delimiter(text: str) -> str:
    delimiter = DELIMITERS.get(text if text == "\t" else text.strip().casefold())
    if delimiter is None:
        raise UsageError(f"--delimiter {text!r}: use ',', ';' or TAB")
    return delimiter


def parse_encoding(text: str) -> str:
    try:
        return codecs.lookup(text).name
    except LookupError:
        raise UsageError(f"--encoding {text!r} is not an encoding Python knows") from None


class _Replay(io.RawIOBase):
    """The bytes sniffed at the start, then the rest of the stream; each byte hashed once."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self._head = memoryview(head)
        self._rest = rest
        self.sha256 = hashlib.sha256()
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            chunk = self._head[:n]
            self._head = self._head[n:]
        else:
            chunk = self._rest.read(len(buffer))
            n = len(chunk)
        buffer[:n] = chunk
        self.sha256.update(chunk)
        self.position += n
        return n


class Source:
    """A CSV file opened for import: its name, encoding, delimiter, and rows with their lines."""

    def __init__(
        self,
        stream: BinaryIO,
        name: str,
        *,
        encoding: str | None = None,
        delimiter: str | None = None,
        size: int | None = None,
        owned: bool = False,
    ):
        self.name = name
        self._stream = stream if owned else None
        self.size = size
        head = stream.read(SNIFF_BYTES)
        whole = len(head) < SNIFF_BYTES
        self.encoding = parse_encoding(encoding) if encoding else detect_encoding(head, whole)
        self.encoding_given = bool(encoding)
        self._raw = _Replay(head, stream)
        self._text = io.TextIOWrapper(
            io.BufferedReader(self._raw, buffer_size=1 << 16),
            encoding=self.encoding, errors=UNDECODABLE, newline="",
        )  # fmt: skip
        if delimiter:
            self.delimiter = parse_delimiter(delimiter)
        else:
            first_line = head.decode(self.encoding, errors="replace").lstrip("\ufeff")
            self.delimiter = detect_delimiter(re.split(r"[\r\n]", first_line, maxsplit=1)[0])
        self.reader = csv.reader(self._text, delimiter=self.delimiter, strict=True)

    @property
    def label(self) -> str:
        return LABELS.get(self.encoding, self.encoding)

    @property
    def sha256(self) -> str:
        return self._raw.sha256.hexdigest()

    @property
    def bytes_read(self) -> int:
        return self._raw.position

    def close(self) -> None:
        self._text.close()
        if self._stream is not None:
            self._stream.close()

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def header(self) -> list[str]:
        """The header row's cells; an empty file has none, which is an error."""
        try:
            for cells in self.reader:
                if cells:
                    cells[0] = cells[0].lstrip("\ufeff")  # a BOM the given --encoding kept
                    return cells
        except csv.Error as exc:
            raise DeregError(f"{self.name}: line 1: the header cannot be read: {exc}") from None
        raise DeregError(f"{self.name} is empty: a header row naming the columns is needed")

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line, cells) for each row after the header; line is where the row starts.

        Lines are physical lines of the file, so a value holding line breaks moves the count on.
        A broken quote ends the file's reading with an error naming the line it started on.
        """
        reader = self.reader
        previous = reader.line_num
        try:
            for cells in reader:
                line, previous = previous + 1, reader.line_num
                if cells:  # a blank line is no row
                    yield line, cells
        except csv.Error as exc:
            raise DeregError(
                f"{self.name}: line {previous + 1}: {exc} (a quote that is never closed?); "
                "nothing was written"
            ) from None


def open_source(
    path: str, *, encoding: str | None = None, delimiter: str | None = None
) -> Source:
    """Open a file (or '-', standard input) for import, finding its encoding and delimiter."""
    if path == "-":
        return Source(sys.stdin.buffer, "<stdin>", encoding=encoding, delimiter=delimiter)
    try:
        stream = open(path, "rb")
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder, not a CSV file") from None
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except OSError as exc:
        raise DeregError(f"{path}: {exc.strerror}") from None
    size = os.fstat(stream.fileno()).st_size
    try:
        return Source(stream, os.path.basename(path), encoding=encoding, delimiter=delimiter,
                      size=size, owned=True)  # fmt: skip
    except BaseException:
        stream.close()
        raise
