"""Reading CORDIS open-data CSV files (project, organization, legalBasis) and their zips.

CORDIS exports are `;`-separated, quoted, UTF-8 (sometimes with a BOM), with CRLF or
LF line ends, raw newlines inside quoted objectives, `;`-lists inside quoted fields,
and decimal commas in money (`1385286,25`). Today's `project.csv` also has objectives
that open with a doubled quote (`""Deep learning ...""`), which a CSV reader splits
into extra fields at every `;` of the text: such rows are repaired by folding the
surplus fields back into the free-text column. Both the 2020 layout (`programme`,
`coordinator`, `participants` columns) and today's (`legalBasis`, separate
`legalBasis.csv`) are read by header name.

An archive comes off the network and may be corrupt, cut short or a zip bomb. Each member
is inflated once without being kept (zipfile checks its CRC, the inflated bytes of the whole
archive count against a cap, the encoding is settled) before one row of it is read, and then
streamed: a bad member costs only itself, a bomb stops at the cap, no member is ever held
whole in memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import lzma
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from types import TracebackType
from typing import IO, Self

# Columns whose text may contain `;` and therefore absorbs the surplus fields of a broken row.
FREE_TEXT_COLUMNS = ("objective", "title")
# What zipfile raises for an archive whose directory it cannot read: cut short, corrupt,
# a version or a name it does not know, offsets outside the file.
ARCHIVE_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,
    ValueError,
    EOFError,
    OSError,
)
# What it raises for a member it cannot inflate: corrupt or cut-short data, a bad CRC, an
# encrypted member, a compression method it does not know, offsets outside the file.
MEMBER_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
    ValueError,
)
CHUNK = 1 << 20
CENT = Decimal("0.01")


class CordisCsvError(ValueError):
    """A file or row that cannot be read; the message is the rejection reason."""


class MemberError(CordisCsvError):
    """One member of an archive that cannot be read; the archive's other members still can."""


@dataclass
class Row:
    """One CSV record: its values by column, or the reason it could not be read; where it
    was (member, first line) and its text as received, for its reject."""

    line: int
    values: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    raw: str = ""
    member: str = ""


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older extracts were written in Windows-1252; decoding never fails with it.
        return data.decode("cp1252", errors="replace")


def _repair(fields: list[str], header: list[str]) -> list[str]:
    """Fold surplus fields of a row split inside a doubled-quote text back into that text."""
    surplus = len(fields) - len(header)
    target = next((header.index(c) for c in FREE_TEXT_COLUMNS if c in header), None)
    if target is None:
        raise CordisCsvError(f"{len(fields)} fields for {len(header)} columns")
    text = ";".join(fields[target : target + surplus + 1]).replace('""', '"').strip('"')
    return [*fields[:target], text, *fields[target + surplus + 1 :]]


class _Lines:
    """The physical lines a CSV reader takes, kept until the record they make is handed out,
    so a rejected record carries its text as received."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self._taken: list[str] = []

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self._taken.append(line)
        return line

    def record(self) -> str:
        raw = "".join(self._taken).rstrip("\r\n")
        self._taken.clear()
        return raw


def read_rows(data: bytes | str | IO[str], member: str = "") -> Iterator[Row]:
    """Rows of one CORDIS CSV file keyed by its header; unreadable rows carry an error.

    `data` is the whole file or a text stream opened with `newline=""`, read as it goes;
    `member` names the file in the rows.
    """
    if isinstance(data, bytes):
        data = _decode(data)
    lines = _Lines(io.StringIO(data, newline="") if isinstance(data, str) else data)
    reader = csv.reader(lines, delimiter=";", quotechar='"')
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise CordisCsvError("empty file") from None
    except csv.Error as exc:
        raise CordisCsvError(f"unreadable header: {exc}") from None
    if len(header) < 2:
        raise CordisCsvError("not a `;`-separated CORDIS file (one column in the header)")
    lines.record()
    while True:
        line = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Row(line=line, error=f"CSV error: {exc}", raw=lines.record(), member=member)
            continue
        raw = lines.record()
        if not fields or fields == [""]:
            continue
        if len(fields) > len(header):
            try:
                fields = _repair(fields, header)
            except CordisCsvError as exc:
                yield Row(line=line, error=str(exc), raw=raw, member=member)
                continue
        if len(fields) < len(header):
            reason = f"{len(fields)} fields for {len(header)} columns"
            yield Row(line=line, error=reason, raw=raw, member=member)
            continue
        values = dict(zip(header, (f.strip() for f in fields), strict=True))
        yield Row(line=line, values=values, raw=raw, member=member)


class CordisArchive:
    """A CORDIS projects zip: its members by lower-case base name, each read as rows only
    after it inflated whole, with a good CRC, within the archive's cap on inflated bytes."""

    def __init__(self, data: bytes, max_inflated: int) -> None:
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
        except ARCHIVE_ERRORS as exc:
            if data.startswith(b"PK\x03\x04"):  # a zip's first member, but no directory at the end
                raise CordisCsvError(f"zip archive cut short or corrupt: {_why(exc)}") from None
            raise CordisCsvError("not a zip archive") from None
        self.max_inflated = max_inflated
        self.inflated = 0
        self.members: dict[str, zipfile.ZipInfo] = {}
        for info in self._zip.infolist():
            if not info.is_dir():
                self.members.setdefault(info.filename.rsplit("/", 1)[-1].lower(), info)
        if "project.csv" not in self.members:
            self._zip.close()
            raise CordisCsvError("archive has no project.csv")

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._zip.close()

    def rows(self, base: str) -> Iterator[Row]:
        """The rows of member `base`, streamed; MemberError when the member cannot be inflated
        whole within the cap or has no readable header (before any row), or, rarely, when
        zipfile fails on a second read of a member it read whole once (after the rows so far).
        """
        info = self.members[base]
        encoding = self._check(info)
        return self._stream(info, encoding)

    def _stream(self, info: zipfile.ZipInfo, encoding: str) -> Iterator[Row]:
        line = 0
        try:
            with (
                self._zip.open(info) as member,
                io.TextIOWrapper(member, encoding=encoding, errors="replace", newline="") as text,
            ):
                for row in read_rows(text, info.filename):
                    line = row.line
                    yield row
        except CordisCsvError as exc:  # its header
            raise MemberError(f"{info.filename} unreadable: {exc}") from None
        except MEMBER_ERRORS as exc:
            raise MemberError(
                f"{info.filename} unreadable after line {line}: {_why(exc)}"
            ) from None

    def _check(self, info: zipfile.ZipInfo) -> str:
        """Inflate the member once without keeping it: its bytes count against the cap as
        they come (the header's sizes are not trusted), zipfile checks its CRC at the end,
        and a strict UTF-8 decoder settles its encoding."""
        cap = f"the cap of {self.max_inflated} inflated bytes (SCINTEL_MAX_INFLATED_BYTES)"
        if self.inflated > self.max_inflated:
            raise MemberError(f"{info.filename} not read: the archive already passed {cap}")
        utf8: codecs.IncrementalDecoder | None = codecs.getincrementaldecoder("utf-8-sig")()
        try:
            with self._zip.open(info) as member:
                while chunk := member.read(CHUNK):
                    self.inflated += len(chunk)
                    if self.inflated > self.max_inflated:
                        break
                    utf8 = _still_utf8(utf8, chunk)
                else:
                    utf8 = _still_utf8(utf8, b"", final=True)
        except MEMBER_ERRORS as exc:
            raise MemberError(f"{info.filename} unreadable: {_why(exc)}") from None
        if self.inflated > self.max_inflated:
            raise MemberError(f"{info.filename} inflates past {cap}")
        return "utf-8-sig" if utf8 else "cp1252"


def _why(exc: Exception) -> str:
    return str(exc) or type(exc).__name__


def _still_utf8(
    decoder: codecs.IncrementalDecoder | None, chunk: bytes, final: bool = False
) -> codecs.IncrementalDecoder | None:
    """The decoder while the text so far is UTF-8, None from the first byte that is not."""
    if decoder is None:
        return None
    try:
        decoder.decode(chunk, final)
    except UnicodeDecodeError:
        return None
    return decoder


def parse_amount(value: str | None) -> Decimal | None:
    """A CORDIS money value (`1385286,25`, `1500000`, `1.385.286,25`) in euros; None when
    empty, CordisCsvError for anything that is not a finite amount of 0 or more (`NaN`,
    `true`, `-5`): a wrong amount is a reason to reject its row, never a silent blank."""
    text = (value or "").strip().replace("\u00a0", "").replace(" ", "").replace("€", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(text)
        if amount.is_finite() and amount >= 0:
            return amount.quantize(CENT)
    except InvalidOperation:  # not a number, or too large to be counted in cents
        pass
    raise CordisCsvError(f"not an amount: {str(value)[:40]!r}")


def parse_date(value: str | None) -> date | None:
    """A CORDIS date (`2020-05-01`, `2024-11-01 18:00:13`, `01/05/2020`)."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        if "/" in text:
            day, month, year = text.split(" ")[0].split("/")
            return date(int(year), int(month), int(day))
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def split_list(value: str | None) -> list[str]:
    """A `;`-list inside one quoted field (programmes, participants, countries)."""
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def normalise_code(code: str) -> str:
    """A programme / legal-basis code without the trailing dot CORDIS sometimes writes."""
    return code.strip().rstrip(".")


def code_matches(code: str, wanted: Iterable[str]) -> str | None:
    """The profile code that `code` falls under (equal or a sub-programme of it), if any."""
    norm = normalise_code(code)
    for want in wanted:
        base = normalise_code(want)
        if norm == base or norm.startswith(base + "."):
            return want
    return None
