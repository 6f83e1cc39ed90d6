"""Reading CORDIS open-data CSV files (project, organization, legalBasis) and their zips.

CORDIS exports are `;`-separated, quoted, UTF-8 (sometimes with a BOM), with CRLF or
LF line ends, raw newlines inside quoted objectives, `;`-lists inside quoted fields,
and decimal commas in money (`1385286,25`). Today's `project.csv` also has objectives
that open with a doubled quote (`""Deep learning ...""`), which a CSV reader splits
into extra fields at every `;` of the text: such rows are repaired by folding the
surplus fields back into the free-text column. Both the 2020 layout (`programme`,
`coordinator`, `participants` columns) and today's (`legalBasis`, separate
`legalBasis.csv`) are read by header name.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

# Columns whose text may contain `;` and therefore absorbs the surplus fields of a broken row.
FREE_TEXT_COLUMNS = ("objective", "title")
# Files of a CORDIS projects archive that the spider reads.
ARCHIVE_MEMBERS = ("project.csv", "organization.csv", "legalBasis.csv")


class CordisCsvError(ValueError):
    """A file or row that cannot be read; the message is the rejection reason."""


@dataclass
class Row:
    """One CSV record: its values by column, or the reason it could not be read."""

    line: int
    values: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    raw: str = ""


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


def read_rows(data: bytes | str) -> Iterator[Row]:
    """Rows of one CORDIS CSV file keyed by its header; unreadable rows carry an error."""
    text = _decode(data) if isinstance(data, bytes) else data
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"')
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise CordisCsvError("empty file") from None
    except csv.Error as exc:
        raise CordisCsvError(f"unreadable header: {exc}") from None
    if len(header) < 2:
        raise CordisCsvError("not a `;`-separated CORDIS file (one column in the header)")
    while True:
        line = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Row(line=line, error=f"CSV error: {exc}")
            continue
        if not fields or fields == [""]:
            continue
        raw = ";".join(fields)
        if len(fields) > len(header):
            try:
                fields = _repair(fields, header)
            except CordisCsvError as exc:
                yield Row(line=line, error=str(exc), raw=raw)
                continue
        if len(fields) < len(header):
            yield Row(line=line, error=f"{len(fields)} fields for {len(header)} columns", raw=raw)
            continue
        yield Row(
            line=line, values=dict(zip(header, (f.strip() for f in fields), strict=True)), raw=raw
        )


def read_archive(data: bytes) -> dict[str, bytes]:
    """The CORDIS files inside a projects zip, by lower-case base name."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise CordisCsvError("not a zip archive") from None
    wanted = {name.lower() for name in ARCHIVE_MEMBERS}
    files: dict[str, bytes] = {}
    with archive:
        for info in archive.infolist():
            base = info.filename.rsplit("/", 1)[-1].lower()
            if base in wanted and not info.is_dir():
                files[base] = archive.read(info)
    if "project.csv" not in files:
        raise CordisCsvError("archive has no project.csv")
    return files


def parse_amount(value: str | None) -> Decimal | None:
    """A CORDIS money value (`1385286,25`, `1500000`, `1.385.286,25`) in euros."""
    text = (value or "").strip().replace("\u00a0", "").replace(" ", "").replace("€", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    return amount.quantize(Decimal("0.01")) if amount >= 0 else None


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
