"""Names listed beside organisations, or in brackets after the kind of partner they are,
are organisations.

"The FLITE consortium consists of: SkyNRG, LanzaTech, Fraunhofer, E4tech and RSB": the
recogniser knows two of the five, and a reader knows the rest from the list. A list of
three or more capitalised names, two of them organisations already (one, in a list of four
or more) and none labelled anything else, makes its unlabelled names organisations.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from wordfreq import zipf_frequency

_WORD = r"[A-Z][\w&'’.-]*[\w&]|[A-Z]"
_NAME = (
    rf"(?:{_WORD})(?:[ \t]+(?:(?:of|for|de|du|der|von|van|di)[ \t]+)?(?:{_WORD}|[0-9]\w*)){{0,4}}"
)
_SEPARATOR = r"(?:,[ \t]+(?:and[ \t]+|&[ \t]+)?|[ \t]+(?:and|&)[ \t]+)"
_LIST = re.compile(rf"(?<![\w&'’.-])(?:{_NAME})(?:{_SEPARATOR}(?:{_NAME}))+")
_ITEM = re.compile(_NAME)
_LEADING = re.compile(r"^(?:The|A|An|In|At|For|From|With|By|And|Both|Including)[ \t]+")
# A single capitalised word this common in English is a sentence's word ("Separately,
# BASF SE and Novozymes"), not a name.
_COMMON_ZIPF = 3.5
# "3 RTD (Aitiip, UCA and TuDelft), 5 SME (EvoEnzyme, BSP, SP, PLATA and ECRT)", "two
# research organisations (Imperial College of London and Max Planck Institute of Polymers)":
# a consortium's partners in brackets after their kind.
_TYPED_LIST = re.compile(
    r"\b(?:RTDs?|SMEs?|partners?|(?:large |industrial |private )?compan(?:y|ies)|"
    r"universit(?:y|ies)|research (?:centres|centers|institutes|organi[sz]ations)|institutes|"
    r"(?:full )?members?|associated(?: partners)?|end[- ]users?|beneficiaries)"
    r"[ \t]*\(([^()\n]{2,200})\)",
    re.I,
)
_LIST_SPLIT = re.compile(r",[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+")
MIN_ITEMS = 3
MIN_KNOWN = 2  # or one in a list of four or more


def _items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    for match in _ITEM.finditer(text, start, end):
        s, e = match.span()
        lead = _LEADING.match(text, s, e)
        if lead:
            s = lead.end()
        if s < e:
            out.append((s, e))
    return out


def _common(word: str) -> bool:
    return " " not in word and not word.isupper() and zipf_frequency(word, "en") >= _COMMON_ZIPF


def coordinated(
    text: str,
    mentions: list,
    make: Callable[[str, str, int, int], object | None],
    label: str = "ORG",
) -> list:
    """The mentions with the unlabelled names of lists of `label` (organisations, or
    programmes: "Horizon 2020, Horizon Europe, LIFE, EMFF, and EMFAF") given that label."""
    made = []
    for match in _LIST.finditer(text):
        if "," not in match.group(0):
            continue
        items = _items(text, *match.span())
        if len(items) < MIN_ITEMS:
            continue
        known, free = 0, []
        for s, e in items:
            over = [m for m in mentions if m.start < e and s < m.end]
            if any(m.label == label and m.start == s and m.end in (e, e - 2) for m in over):
                known += 1
            elif not over:
                free.append((s, e))
            else:
                break  # a place, a person or a product among them: not a list of names alone
        else:
            if known >= MIN_KNOWN or (known and len(items) > MIN_ITEMS):
                made += [
                    mention
                    for s, e in free
                    if not _common(text[s:e]) and (mention := make(label, text[s:e], s, e))
                ]
    return mentions + made


def typed_lists(
    text: str, mentions: list, make: Callable[[str, str, int, int], object | None]
) -> list:
    """The mentions with the names bracketed after a kind of partner made organisations:
    every item a capitalised name (not "iron&steel, cement"), none a place or a short form
    of the kind itself ("companies (SME’s)", "Institutes (MIIs)")."""
    made = []
    for match in _TYPED_LIST.finditer(text):
        start, items = match.start(1), []
        for piece in _LIST_SPLIT.split(match.group(1)):
            s = text.index(piece, start)
            start = s + len(piece)
            items.append((s, start))
        names = [text[s:e] for s, e in items]
        if not all(
            _ITEM.fullmatch(n) and "’" not in n and "'" not in n and not re.fullmatch(r"[A-Z]+s", n)
            for n in names
        ):
            continue
        over = [[m for m in mentions if m.start < e and s < m.end] for s, e in items]
        if any(m.label != "ORG" for ms in over for m in ms):
            continue
        made += [
            mention
            for (s, e), ms in zip(items, over, strict=True)
            if not ms and not _common(text[s:e]) and (mention := make("ORG", text[s:e], s, e))
        ]
    return mentions + made
