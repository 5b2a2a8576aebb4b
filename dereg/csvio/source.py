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
from dereg.i18n import N_, _

SNIFF_BYTES = 1 << 16
DELIMITERS = {",": ",", ";": ";", "\t": "\t", "tab": "\t", "\\t": "\t"}

# The letters of Russian and Kazakh text. A single-byte file is read with the code page that
# gives the fewest letters outside them: the three pages agree on А-я and differ in where
# (and whether) they hold Ә Ғ Қ Ң Ө Ұ Ү Һ І, which the others read as Ѓ Ќ Њ Ћ Ў Ї µ ± ‰ ...
_KAZAKH_RUSSIAN = set("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюяӘәҒғҚқҢңӨөҰұҮүҺһІі")
SINGLE_BYTE_PAGES = ("cp1251", "kz1048", "ptcp154")  # Windows-1251 first: it wins a tie

UNDECODABLE = "dereg.undecodable"


def _escape(error: UnicodeDecodeError) -> tuple[str, int]:
    """Each byte the encoding cannot read becomes a lone surrogate (U+DC80..U+DCFF), which no
    text holds: the row checks refuse it with its line and column. Unlike Python's own
    'surrogateescape' this works for every codec, UTF-16 included."""
    bad = error.object[error.start : error.end]
    return "".join(chr(0xDC00 + byte) for byte in bad), error.end


codecs.register_error(UNDECODABLE, _escape)

# What the file's encoding is called when dereg says it on stderr.
LABELS = {
    "utf-8": "utf-8",
    "utf-8-sig": N_("utf-8 (with BOM)"),
    "utf-16": "utf-16",
    "cp1251": "windows-1251",
    "kz1048": "kz-1048",
    "ptcp154": "pt154",
}


def detect_encoding(head: bytes, whole: bool) -> str:
    """The codec of a file that starts with head (whole: head is all of it).

    UTF-8 is never demoted for a bad byte: text whose non-ASCII bytes mostly form UTF-8
    letters is UTF-8, and the bad byte is refused with its line. Otherwise the single-byte
    page that reads the most Russian and Kazakh letters and the fewest others.
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if not whole:
        head = head[: len(head) - 3]  # a letter cut in two at the end is not a bad byte
    text = head.decode("utf-8", errors="surrogateescape")
    letters = sum(1 for c in text if c > "\x7f" and not "\udc80" <= c <= "\udcff")
    bad = sum(1 for c in text if "\udc80" <= c <= "\udcff")
    if bad == 0 or letters >= bad:
        return "utf-8"
    return min(SINGLE_BYTE_PAGES, key=lambda page: _foreign_letters(head.decode(page, "replace")))


def _foreign_letters(text: str) -> int:
    """Letters (and signs in their place) that no Russian or Kazakh text holds."""
    return len(foreign_letters(text))


def foreign_letters(text: str) -> list[str]:
    """Letters (and signs in their place) that no Russian or Kazakh text holds."""
    return [c for c in text if c > "\x7f" and c not in _KAZAKH_RUSSIAN and (c.isalpha() or c in "¤µ¦±‡‰")]


def detect_delimiter(header_line: str) -> str:
    """The delimiter the header uses most of: ',', ';' or TAB (',' for a one-column header)."""
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def parse_delimiter(text: str) -> str:
    delimiter = DELIMITERS.get(text if text == "\t" else text.strip().casefold())
    if delimiter is None:
        raise UsageError(_("--delimiter {text!r}: use ',', ';' or TAB").format(text=text))
    return delimiter


# Codecs that Python calls text encodings but no spreadsheet writes a file in.
_NOT_FILE_ENCODINGS = {"punycode", "idna", "unicode-escape", "raw-unicode-escape"}


def parse_encoding(text: str) -> str:
    try:
        info = codecs.lookup(text)
    except LookupError:
        raise UsageError(_("--encoding {text!r} is not an encoding Python knows").format(text=text)) from None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_FILE_ENCODINGS:
        raise UsageError(
            _("--encoding {text!r} is not a character set: use e.g. utf-8, windows-1251, kz-1048").format(
                text=text
            )
        )
    return info.name


def _refuse_a_doubtful_guess(name: str, label: str, text: str) -> None:
    """No code page reads this file as Russian or Kazakh: say what the best guess gave."""
    odd = sorted(set(foreign_letters(text)))
    if odd:
        line = text[: text.index(odd[0]) if odd[0] in text else 0].count("\n") + 1
        raise DeregError(
            _(
                "{name}: line {line}: the encoding is unclear: read as {label} it holds {odd}, letters no Russian or Kazakh text has; name it with --encoding"
            ).format(name=name, line=line, label=label, odd=" ".join(odd[:6]))
        )


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
        if not encoding and self.encoding in SINGLE_BYTE_PAGES:
            _refuse_a_doubtful_guess(name, self.label, head.decode(self.encoding, "replace"))
        self._raw = _Replay(head, stream)
        self._text = io.TextIOWrapper(
            io.BufferedReader(self._raw, buffer_size=1 << 16),
            encoding=self.encoding,
            errors=UNDECODABLE,
            newline="",
        )
        if delimiter:
            self.delimiter = parse_delimiter(delimiter)
        else:
            first_line = head.decode(self.encoding, errors="replace").lstrip("\ufeff")
            self.delimiter = detect_delimiter(re.split(r"[\r\n]", first_line, maxsplit=1)[0])
        self.reader = csv.reader(self._text, delimiter=self.delimiter, strict=True)

    @property
    def label(self) -> str:
        return _(LABELS.get(self.encoding, self.encoding))

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
            raise DeregError(
                _("{name}: line 1: the header cannot be read: {exc}").format(name=self.name, exc=exc)
            ) from None
        raise DeregError(
            _("{name} is empty: a header row naming the columns is needed").format(name=self.name)
        )

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
                _(
                    "{name}: line {previous}: {exc} (a quote that is never closed?); nothing was written"
                ).format(name=self.name, previous=previous + 1, exc=exc)
            ) from None


def open_source(path: str, *, encoding: str | None = None, delimiter: str | None = None) -> Source:
    """Open a file (or '-', standard input) for import, finding its encoding and delimiter."""
    if path == "-":
        if sys.stdin is None:
            raise UsageError(_("standard input is closed: name the FILE to import, or pipe it in"))
        return Source(sys.stdin.buffer, "<stdin>", encoding=encoding, delimiter=delimiter)
    try:
        stream = open(path, "rb")
    except IsADirectoryError:
        raise UsageError(_("{path} is a folder, not a CSV file").format(path=path)) from None
    except FileNotFoundError:
        raise UsageError(_("{path}: no such file").format(path=path)) from None
    except OSError as exc:
        raise DeregError(f"{path}: {exc.strerror}") from None
    size = os.fstat(stream.fileno()).st_size
    try:
        return Source(
            stream, os.path.basename(path), encoding=encoding, delimiter=delimiter, size=size, owned=True
        )
    except BaseException:
        stream.close()
        raise
