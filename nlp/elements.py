"""Chemical elements written by their symbols: ions with their charge ("Pb2+", "Fe3+",
"NAD+") and lists of element symbols ("Fe, Ca, Zn, Mn, Al and Cu"), which no dictionary
holds and the recogniser reads as places ("Ca") or companies ("Co")."""

from __future__ import annotations

import re
from collections.abc import Iterator

SYMBOLS = frozenset(
    [
        "H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne", "Na", "Mg", "Al", "Si", "P", "S",
        "Cl", "Ar", "K", "Ca", "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ga",
        "Ge", "As", "Se", "Br", "Kr", "Rb", "Sr", "Y", "Zr", "Nb", "Mo", "Tc", "Ru", "Rh", "Pd",
        "Ag", "Cd", "In", "Sn", "Sb", "Te", "I", "Xe", "Cs", "Ba", "La", "Ce", "Pr", "Nd", "Pm",
        "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Hf", "Ta", "W", "Re", "Os",
        "Ir", "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po", "At", "Rn", "Fr", "Ra", "Ac", "Th", "Pa",
        "U", "Np", "Pu", "Am", "Cm",
    ]
)  # fmt: skip
# Cofactors written as ions ("NAD+/NADH"): not formulas of elements, but the same kind.
_COFACTORS = frozenset(["NAD", "NADP", "FAD"])
_ELEMENT = re.compile(r"([A-Z][a-z]?)(\d*)")
_ION = re.compile(r"(?<![\w+-])((?:[A-Z][a-z]?\d*){1,5})(\d?[+−-])(?![\w+−-])")
# A charge written after a name the dictionaries found ("NH4" + "+"); not a hyphen, which
# there joins words ("NH4-N").
CHARGE = re.compile(r"[0-9]?[+−](?![\w+])")
_SYMBOL = r"[A-Z][a-z]?"
# Three or more symbols in a list: "Fe, Ca, Zn, Mn, Al, Cu, Ni, Pb, Co, Mo and Sr".
_SYMBOL_LIST = re.compile(
    rf"(?<![\w-])({_SYMBOL})(?:,\s?{_SYMBOL}){{1,}},?\s(?:and|or)\s{_SYMBOL}(?![\w-])"
    rf"|(?<![\w-])({_SYMBOL})(?:,\s?{_SYMBOL}){{2,}}(?![\w-])"
)


def _symbols(word: str) -> list[str]:
    """The element symbols a formula is written with ("NH4": N, H), or none if the word is
    not such a formula."""
    parts = _ELEMENT.findall(word)
    if "".join(s + n for s, n in parts) != word or not all(s in SYMBOLS for s, _ in parts):
        return []
    return [s for s, _ in parts]


def _formula(word: str) -> bool:
    """A formula made of element symbols with one a metal's two letters ("Pb", "Fe",
    "NH4" is left to the dictionaries): a gene marker ("HIS4+") is not."""
    return any(len(s) == 2 for s in _symbols(word))


def ion_formula(word: str) -> bool:
    """A formula of element symbols that may carry a charge ("NH4", "SO4", "Ca"); not three
    capitals in a row, as a gene marker has them ("HIS4+": a strain's marker)."""
    return bool(_symbols(word)) and not re.search(r"[A-Z]{3}", word)


def ions(text: str) -> Iterator[tuple[int, int]]:
    """An element's or cofactor's ion with its charge: "Pb2+", "Hg2+", "Ca2+", "NAD+"."""
    for match in _ION.finditer(text):
        if _formula(match.group(1)) or match.group(1) in _COFACTORS:
            yield match.span()


def symbol_lists(text: str) -> Iterator[tuple[int, int]]:
    """Each symbol of a list of three or more element symbols, two of them of two
    letters (not "B, C and N" of a list of categories)."""
    for match in _SYMBOL_LIST.finditer(text):
        found = list(re.finditer(_SYMBOL, match.group(0)))
        if (
            all(f.group(0) in SYMBOLS for f in found)
            and sum(len(f.group(0)) == 2 for f in found) >= 2
        ):
            for f in found:
                yield match.start() + f.start(), match.start() + f.end()
