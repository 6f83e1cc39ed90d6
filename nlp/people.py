"""People as the guide reads them: a name with its particles ("Vítor Martins dos Santos"),
inventors as a patent lists them ("BECKER NATHANIEL T (US)", "Surname; Given"), and
never a heading's capitalised words ("Ground Broken for First Commercial ...")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from wordfreq import zipf_frequency

# "Vítor Martins" | " dos Santos": a particle and a capitalised word go on with the name.
PARTICLE_AFTER = re.compile(
    r"^\s(?:dos|das|da|de|del|della|der|den|van|von|di|du|le|la|ten|ter)(?:\s(?:der|den|la|le))?\s[A-ZÀ-Þ][\w'’-]+"
)
# An inventors' list: a heading, then one inventor per line (or separated by " / " or ";
# " between names), each with an optional country in brackets.
_INVENTORS = re.compile(r"(?im)^\s*inventors?(?:\(s\))?\s*:\s*")
_COUNTRY = re.compile(r"\s*\([A-Z]{2}\)\s*$")
# "Kalum; Lisbeth (Raleigh, NC)": an inventor and where they live.
_LOCATED = re.compile(r"\s*([^();]+(?:;\s?[^();]+)?);?\s\(([^()]+)\)\s*[;,]?")
# A surname may start with a particle ("van Eekelen; Christiaan", "Van Der Laan; Johannes").
_PARTICLES = r"(?:(?:[vV]an|[vV]on|[dD]e|[dD]er|[dD]en|[dD]a|[dD]i|[dD]u|[dD]el|[lL]a|[lL]e|[tT]en|[tT]er)\s)*"
_NAME = re.compile(
    r"^(?:[A-ZÀ-Þ][\w'’.-]*(?:\s+[A-ZÀ-Þ][\w'’.-]*){1,4}|"
    + _PARTICLES
    + r"[A-ZÀ-Þ][\w'’-]+(?:\s[A-ZÀ-Þ][\w'’-]+)?;\s?[A-ZÀ-Þ][\w .'’-]*)$"
)


# Endings of common nouns and adjectives that names do not have ("Atomic Layer Deposition",
# "Sonic Drilling", "Runecast Analyzer"), or in a common noun no name ends with ("Tech Hubs",
# "Tuber Crops", "Max Grant Amount"): a capitalised run ending so is a term.
_TERM_END = re.compile(
    r"(?:tion|sion|ment|ness|ology|ography|ique|ical|ysis|osis|ics|ity|ive|ular|ized|ised|"
    r"ator|izer|iser|yzer|aic|[a-z]{3}ing|[a-z]{2}ogen|[a-z]{4}ate)s?$|"
    r"^(?:System|Systems|Method|Model|Network|Platform|Hubs?|Crops|Amount|Encyclop(?:a)?edia|"
    r"Library|Economy|Bioeconomy|Tools?|Technicians)$"
)


def reads_as_term(name: str, text: str) -> bool:
    """A capitalised run that is a term, not a name: it ends like a common noun, or the
    text writes it in lower case elsewhere ("Sonic Drilling" ... "sonic drilling")."""
    words = name.split()
    if words and _TERM_END.search(words[-1]):
        return True
    if any(len(w) > 1 and w.isalpha() and w.isupper() for w in words) and not name.isupper():
        return True  # "RR Lyrae", "CF Massive MIMO": an acronym among the words
    return name.lower() in text and name.lower() != name


def in_title(text: str, start: int) -> bool:
    """In the first line of a text that goes on after it (a title)."""
    first = text.find("\n")
    return 0 <= start < first


def inventors(text: str) -> Iterator[tuple[int, int, str]]:
    """Spans of the inventors a patent text lists under an "Inventors:" heading, as
    (start, end, "PERSON"), and of the places after their names as (start, end, "GPE"):
    one per line, or "Kalum; Lisbeth (Raleigh, NC); Andersen; Bente (Lyngby, DK)"."""
    for heading in _INVENTORS.finditer(text):
        position = heading.end()
        block_end = text.find("\n\n", position)
        block = text[position : block_end if block_end >= 0 else len(text)]
        for item in re.finditer(r"[^\n/]+", block):
            raw = item.group(0)
            located = list(_LOCATED.finditer(raw))
            if len(located) > 1 or (located and not _COUNTRY.search(raw)):
                for entry in located:
                    name = entry.group(1).strip()
                    if _NAME.match(name):
                        start = position + item.start() + entry.start(1)
                        yield start, start + len(name), "PERSON"
                    for place in re.finditer(r"[^,]+", entry.group(2)):
                        if place.group(0).strip():
                            at = position + item.start() + entry.start(2) + place.start()
                            at += len(place.group(0)) - len(place.group(0).lstrip())
                            yield at, at + len(place.group(0).strip()), "GPE"
                continue
            name = _COUNTRY.sub("", raw).strip().rstrip(",;")
            if not name or not _NAME.match(name):
                continue
            start = position + item.start() + (len(raw) - len(raw.lstrip()))
            yield start, start + len(name), "PERSON"


# A reference's authors, two or more in a row: "Wydra, S., Hüsing, B., Aichinger, H., et al".
_AUTHOR = r"(?:(?:van|von|de|da|del|der|den|di|du|dos) )*[A-ZÀ-Þ][\w'’-]+, (?:[A-ZÀ-Þ]\.[ -]?){1,3}"
_AUTHORS = re.compile(rf"(?<![\w-])(?:{_AUTHOR},? (?:and |& )?)+{_AUTHOR}")


def cited_authors(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the authors a reference lists as "Surname, I." (initials kept), when it
    lists at least two."""
    for run in _AUTHORS.finditer(text):
        for author in re.finditer(_AUTHOR, run.group(0)):
            yield (
                run.start() + author.start(),
                run.start() + len(author.group(0).rstrip(" -")) + author.start(),
            )


# A citation's surnames in running text: "Wang et al., 2019", "Lenz et al. World J.
# Microbiol.", and a pair with its year, "Adamseged and Grundmann (2020)", "(Lorenz &
# Cysewski 2000)". A pair must be rarer than English words ("Science, Technology and
# Innovation 2012", "October and December 2022").
_SURNAME = r"[A-ZÀ-Þ][a-zß-ÿ'’]+(?:-[A-ZÀ-Þ][a-zß-ÿ'’]+)?"
_ET_AL = re.compile(rf"(?<![\w-])({_SURNAME})(?= et al\b)")
_CITED_PAIR = re.compile(
    rf"(?<![\w-])({_SURNAME}) (?:and|&) ({_SURNAME})"
    r"(?=,? \((?:19|20)\d\d[a-z]?\)|,? (?:19|20)\d\d[a-z]?\))"
)
MAX_CITED_PAIR_ZIPF = 4.0


def cited_surnames(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the surnames a citation names in running text ("Quinn et al., 2003")."""
    for match in _ET_AL.finditer(text):
        yield match.span(1)
    for match in _CITED_PAIR.finditer(text):
        if all(zipf_frequency(name.lower(), "en") < MAX_CITED_PAIR_ZIPF for name in match.groups()):
            yield match.span(1)
            yield match.span(2)


# One form of address or several ("Prof Dr Rainer Fischer").
_TITLES = r"(?:(?:Dr|Prof|Professors?|Mr|Mrs|Ms|Sir|Dame)\.?\s+)+"
FORM_OF_ADDRESS = re.compile(rf"^{_TITLES}(?=[A-ZÀ-Þ])")
# A name after a form of address ("said Dr Stefano Amaducci from", "Dr. Craig Criddle, an
# environmental engineer"): up to three capitalised words or initials, and no fourth.
_ADDRESSED = re.compile(
    rf"(?<![\w-]){_TITLES}"
    r"([A-ZÀ-Þ][\w'’-]+(?:\s(?:[A-ZÀ-Þ]\.|[A-ZÀ-Þ][\w'’-]+)){0,2})(?![\w'’-]|\s[A-ZÀ-Þ])"
)


def addressed(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the names a form of address introduces (the title itself left out)."""
    for match in _ADDRESSED.finditer(text):
        yield match.span(1)


# A part of a document, not a person: "Annex B.", "Article 5".
NUMBERED_PART = re.compile(r"^(?:Annex|Article|Section|Chapter|Part|Table|Figure|Appendix)\s")
# A release's credits: "Photo by Dennis Schroeder/NREL", "Media Contact: Jennifer Martin, (202)".
_CREDIT = re.compile(
    r"(?:\bPhotos? (?:by|courtesy of)|\b(?:Media |Press )?Contacts?:)[ \t]+"
    r"([A-ZÀ-Þ][a-zà-ÿ'’-]+(?: [A-ZÀ-Þ]\.)?(?: [A-ZÀ-Þ][a-zà-ÿ'’-]+){1,2})(?=\s*[/,(\n]|$)"
)
# A citation's journal after its authors: "(Lenz et al. World J. Microbiol. Biotechnol.",
# "(Manna et al., J. Immunol., 164". A recogniser reads "J. Immunol" as a person.
_AFTER_ET_AL = re.compile(r"et al\.?,?[ \t]+(?:[A-ZÀ-Þ][a-z]*\.?[ \t]+){0,2}$")


def cited_journal(text: str, start: int, end: int) -> bool:
    """Whether the words at start:end, ending at a full stop just after a citation's "et
    al.", abbreviate its journal's name."""
    return text[end : end + 1] == "." and (
        _AFTER_ET_AL.search(text, max(0, start - 40), start) is not None
    )


# People a grant's page lists by their role, surname first: "Investigators: Baumert, Joseph
# L , Goodman, Richard E.", "EPA Project Officer: Aja, Hayley".
_ROLE_LIST = re.compile(
    r"\b(?:(?:Principal |Co-)?Investigators?|Project Officers?|Project Managers?):[ \t]+"
)
_SURNAME_FIRST = re.compile(
    r"[A-ZÀ-Þ][a-zà-ÿ'’-]+, [A-ZÀ-Þ][a-zà-ÿ'’-]+(?: [A-ZÀ-Þ](?:\.|(?![\w'’-])))?"
)
_LIST_GAP = re.compile(r"[ \t]*,[ \t]*")
# A title before a surname: "Agriculture Secretary Vilsack", "Commissioner Kyriakides",
# "President Biden’s goal".
_TITLED = re.compile(
    r"\b(?:President|Secretary|Minister|Commissioner|Senator|Governor|Mayor|Ambassador|"
    r"Chancellor|Administrator|Premier|Congressman|Congresswoman|Representative)\s"
    r"([A-ZÀ-Þ][a-zà-ÿ-]{2,})(?![\w-])(?!\s[A-ZÀ-Þ][a-z]+\s+of\b)"
)
# Words that go on a title, not a name ("Secretary General", "Minister President"); a
# surname is no common word either ("Secretary Young" is rare, "Secretary General" is not).
_OFFICE_WORDS = frozenset(
    ["General", "Deputy", "Executive", "Vice", "Assistant", "Chief", "Director", "President",
     "Secretary", "Minister", "Commissioner", "Emeritus", "Elect", "Designate"]
)  # fmt: skip
MAX_SURNAME_ZIPF = 5.0
RARE_SURNAME_ZIPF = 2.5
_NAME_AFTER = re.compile(r"[ \t]+([A-ZÀ-Þ][\w'’-]*)")


def particles_after(text: str, end: int) -> int:
    """How far a name goes on past `end` with a particle ("... dos Santos"), else 0."""
    match = PARTICLE_AFTER.match(text[end : end + 40])
    return len(match.group(0)) if match else 0


def credited(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the people a release credits for a photo or names as its press contact,
    those a grant's page lists by their role, and surnames after an office holder's
    title."""
    for match in _CREDIT.finditer(text):
        yield match.span(1)
    for match in _ROLE_LIST.finditer(text):
        at = match.end()
        while name := _SURNAME_FIRST.match(text, at):
            yield name.span()
            gap = _LIST_GAP.match(text, name.end())
            if gap is None:
                break
            at = gap.end()
    for match in _TITLED.finditer(text):
        name = match.group(1)
        zipf = zipf_frequency(name.lower(), "en")
        # a capitalised word after it: a given name before the surname ("Secretary Tom
        # Vilsack"), unless the word is rare enough to be a surname ("Vilsack Announces")
        after = _NAME_AFTER.match(text, match.end(1))
        if after and zipf_frequency(after.group(1).lower(), "en") < RARE_SURNAME_ZIPF:
            continue  # "Vice-President Margrethe Vestager": the model's full name stands
        if name not in _OFFICE_WORDS and zipf < (RARE_SURNAME_ZIPF if after else MAX_SURNAME_ZIPF):
            yield match.span(1)


def surname_places(text: str, surnames: set[str]) -> Iterator[tuple[int, int]]:
    """Every place the text writes one of these surnames alone ("said Vilsack")."""
    for surname in surnames:
        for match in re.finditer(rf"(?<![\w'’-]){re.escape(surname)}(?![\w-])", text):
            yield match.span()
