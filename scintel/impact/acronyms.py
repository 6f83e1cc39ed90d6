"""When a project acronym in a text names the project, and when it is only a word.

A project acronym is often an ordinary word ("START", "FOREST", "NOVA") or another
project's or product's name ("REACT", "CLEVER"). Found on its own it proves nothing: on real
Horizon Europe records most acronym hits were such words. The text must show the project
as its consortium writes it: the acronym in the project's own spelling, beside a word that
makes it a project ("the SCALE-UP project", "START Newsletter"), or after the project's
own title ("Next Generation BiOactiVe NAnocoatings - NOVA"). Funding words elsewhere in the
sentence are not enough: a funding statement lists other funders' contracts beside an EU
project ("the ANR contracts DOCFLUC, HYFONT ... and the EU-FP7 project SE2ND"). An acronym
followed by a different expansion
in brackets ("CLEVER (Children COVID Early Treatment)") is another thing of that name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from wordfreq import zipf_frequency

MIN_LENGTH = 3
# Zipf frequency (log10 of uses per billion words) from which a word is ordinary: 3 is about
# once per million words ("namaste" 2.7, "ignition" 3.7, "nova" 5.7 in Portuguese).
ORDINARY_ZIPF = 3.0
LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pt")
# Words that make the acronym beside them a project's name, within ADJACENT words; an
# acronym that is an ordinary word needs one of the STRICT ones ("the START project", not
# "START action").
PROJECT_NOUNS = re.compile(
    r"^(?:project|projects|consortium|newsletter|initiative|action|programme|partners?)$", re.I
)
STRICT_NOUNS = re.compile(r"^(?:project|projects|consortium|newsletter)$", re.I)
ADJACENT = 2
TITLE_SHARE = 0.6  # of the project title's words near the acronym
TITLE_WORD = re.compile(r"[^\W\d_]{3,}")
STOP = {"the", "and", "for", "with", "from", "into", "towards", "through", "based", "new"}
EXPANSION = re.compile(r"\s*\(([^()]{8,120})\)")


@lru_cache(maxsize=4096)
def is_ordinary_word(acronym: str) -> bool:
    """Whether the acronym, or each part of a hyphenated one, is a common word in a language
    of the field's texts ("SCALE-UP", "START", "NOVA" are; "BIOSURF" is not)."""
    parts = [p for p in re.split(r"[-\s]", acronym.lower()) if p]
    if not parts:
        return False
    whole = max(zipf_frequency(acronym.lower(), lang) for lang in LANGUAGES)
    if whole >= ORDINARY_ZIPF:
        return True
    return all(max(zipf_frequency(p, lang) for lang in LANGUAGES) >= ORDINARY_ZIPF for p in parts)


def _words(text: str) -> list[re.Match[str]]:
    return list(re.finditer(r"[\w][\w-]*", text))


def _title_words(title: str, acronym: str) -> set[str]:
    return {
        w.lower()
        for w in TITLE_WORD.findall(title)
        if w.lower() not in STOP and w.lower() != acronym.lower()
    }


@dataclass(frozen=True)
class AcronymContext:
    """Why an acronym occurrence names the project ('rule') and the words that show it."""

    rule: str
    shown_by: str


def acronym_context(
    text: str,
    start: int,
    end: int,
    acronym: str,
    title: str | None,
) -> AcronymContext | None:
    """The project context of the acronym at text[start:end], or None if it is only a word."""
    found = text[start:end]
    sentence_start = max(text.rfind(". ", 0, start) + 2, text.rfind("\n", 0, start) + 1, 0)
    sentence_end = min(
        [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0] or [len(text)]
    )
    sentence = text[sentence_start:sentence_end]
    shouting = sentence.upper() == sentence
    if len(acronym) < MIN_LENGTH or (found != acronym and not shouting):
        return None  # not the consortium's spelling ("Forest" for FOREST, "react" for REACT)
    expansion = EXPANSION.match(text, end)
    title_words = _title_words(title or "", acronym)
    if expansion and title_words:
        given = {w.lower() for w in TITLE_WORD.findall(expansion.group(1))}
        if len(given & title_words) < TITLE_SHARE * min(len(given), len(title_words)):
            return None  # "CLEVER (Children COVID Early Treatment)": another CLEVER
    words = _words(text)
    index = next((i for i, w in enumerate(words) if w.start() >= start), None)
    if index is not None:
        near = words[max(0, index - ADJACENT) : index] + words[index + 1 : index + 1 + ADJACENT]
        nouns = STRICT_NOUNS if is_ordinary_word(acronym) else PROJECT_NOUNS
        noun = next((w.group() for w in near if nouns.match(w.group())), None)
        if noun:
            return AcronymContext("acronym_project_word", noun)
    if len(title_words) >= 2:
        window = text[max(0, start - 300) : end + 300]
        present = {w.lower() for w in TITLE_WORD.findall(window)} & title_words
        if len(present) >= max(2, TITLE_SHARE * len(title_words)):
            return AcronymContext("acronym_title", " ".join(sorted(present)))
    return None
