"""Span rules after the recognisers, from the annotation guide: evidence for organisations,
abbreviations that take their long form's label, strains kept inside organism spans,
project acronyms, `EU` as a polity.

Each rule reads the whole text: a recogniser sees tokens, not that "POI" was defined as
"protein of interest (POI)" three sentences earlier.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from scintel.nlp.normalise import LEGAL_SUFFIXES, UNIVERSITY_WORDS, country_code, entity_key, tokens

# Words that make a name an organisation (guide: companies, universities, institutes,
# agencies, offices, consortia, EU institutions).
ORG_HEADS = (
    frozenset(
        [
            "university",
            "universities",
            "institute",
            "institut",
            "instituto",
            "istituto",
            "institution",
            "agency",
            "office",
            "department",
            "commission",
            "council",
            "laboratory",
            "laboratories",
            "lab",
            "labs",
            "centre",
            "center",
            "centro",
            "foundation",
            "fundacion",
            "association",
            "consortium",
            "company",
            "companies",
            "group",
            "bank",
            "ministry",
            "authority",
            "college",
            "school",
            "hospital",
            "administration",
            "service",
            "services",
            "board",
            "network",
            "alliance",
            "society",
            "organisation",
            "organization",
            "partners",
            "industries",
            "fund",
            "directorate",
            "parliament",
            "academy",
            "observatory",
            "cooperative",
            "federation",
            "committee",
            "secretariat",
            "bureau",
            "unit",
            "division",
        ]
    )
    | LEGAL_SUFFIXES
    | UNIVERSITY_WORDS
)
# Verbs that show a name acting right after it ("Evonik starts", "Novozymes said").
ACTS = re.compile(
    r"^\s*(?:,[^,]{0,60},\s*)?(?:has |have |will |had |is |was |also |today |recently )?"
    r"(?:announce[sd]?|said|says|sign(?:s|ed)|acquire[sd]?|raise[sd]?|open(?:s|ed)|launch(?:es|ed)|"
    r"partner(?:s|ed)|invest(?:s|ed)|award(?:s|ed)|select(?:s|ed)|plan(?:s|ned)|develop(?:s|ed)|"
    r"produce[sd]?|receive[sd]?|secure[sd]?|join(?:s|ed)|lead(?:s)?|led|coordinate[sd]?|"
    r"start(?:s|ed)|complete[sd]?|agree[sd]?|buy(?:s)?|bought|build(?:s)?|built|operate[sd]?|"
    r"manufacture[sd]?|funds?|funded|provide[sd]?|reported|reports|expects|employs|is a |is an )",
    re.I,
)
_ADJECTIVE = re.compile(r"-(?:funded|supported|based|wide|led|financed)$")
_SHORT_COUNTRIES = frozenset(["UK", "US", "USA", "U.S.", "U.K."])  # not "GE", "AS": words too
POLITIES = {"eu": "EU", "european union": "European Union", "europe": "Europe"}
_SHORT = re.compile(r"\(([A-Za-z][A-Za-z0-9&/.\-]{1,11})\)")
_STRAIN = re.compile(
    r"^(?:\s+(?:strain\s+|sp\.\s+|subsp\.\s+\w+\s+)?(?:[A-Z]{1,6}[- ]?\d[\w.\-]*|\d+[A-Z][\w\-]*|[A-Z]+\d*-\d+))+"
)
_ACRONYM = r"[A-Z][A-Za-z0-9\-]*[A-Z][A-Za-z0-9\-]*(?:\s[A-Z]{2,})?"
_PROJECT = re.compile(
    rf"\b({_ACRONYM})\s+(?:project|consortium|partners)\b|"
    rf"\b(?:project|consortium|EU-funded|EU funded|H2020|Horizon 2020)\s+({_ACRONYM})\b|"
    rf"(?:Report Summary|Reporting for period \d+)\s+[-–]\s+({_ACRONYM})\s+\("
)
# A consortium listed as "AINIA (Project coordinator, Spain), TNO (The Netherlands)".
_PARTNER = re.compile(
    r"(?<![\w-])([A-Z][\w&.'’-]*(?: [A-Z][\w&.'’-]*){0,5}) \((?:[^()\n]{0,40},\s*)?([A-Z][A-Za-z .'-]{2,30})\)"
)
# A name with a legal form is an organisation, whatever the recogniser made of it.
_LEGAL = re.compile(
    r"(?<![\w&-])((?:[A-Z][\w&'’-]*[ \t]+){1,4}?(?:GmbH|AG|SE|S\.A\.|B\.V\.|BV|N\.V\.|A/S|ApS|Oy|Oyj|AB|LLC|"
    r"Ltd\.?|Limited|Inc\.?|Corp\.?|Corporation|plc|S\.p\.A\.|SpA|S\.L\.|SAS|S\.r\.l\.|Srl|KG|e\.V\.))(?![\w/])"
)
_NOT_NAME = frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "For",
        "By",
        "With",
        "From",
        "And",
        "Of",
        "To",
        "As",
        "Its",
        "Their",
        "Our",
        "This",
        "That",
        "These",
        "Those",
        "Today",
        "New",
        "When",
        "While",
        "After",
        "Before",
        "Since",
        "During",
        "Under",
        "Over",
        "About",
        "Between",
        "Both",
        "Each",
    ]
)
LINKED_LABELS = ("ORG", "CHEMICAL", "TECHNOLOGY", "ORGANISM", "PROGRAMME")
# "E. coli", "B. amyloliquefaciens": an abbreviated binomial is an organism.
_BINOMIAL = re.compile(r"(?<![\w.])[A-Z]\.\s?[a-z]{4,}(?:\s(?:subsp|var)\.\s[a-z]{3,})?\b")
# A person's name: capitalised words, or "Surname; Given" as inventors are listed.
_PERSON = re.compile(
    r"^(?:[A-ZÀ-Þ][\w'’.\-]+(?:\s+(?:de|da|dos|van|von|der|del|la|le|di)?\s*[A-ZÀ-Þ][\w'’.\-]*)+|[A-ZÀ-Þ][\w'’\-]+;\s?[A-ZÀ-Þ][\w .'’\-]*)$"
)


@dataclass(frozen=True)
class Abbreviation:
    short: str
    long_start: int
    long_end: int
    short_start: int


def find_abbreviations(text: str) -> list[Abbreviation]:
    """'long form (SHORT)' pairs: the long form is the nearest run of words before the
    bracket that starts with the short form's first letter (after Schwartz and Hearst)."""
    found = []
    for match in _SHORT.finditer(text):
        short = match.group(1)
        if not any(c.isupper() for c in short) or short.isdigit():
            continue
        before = text[max(0, match.start() - 160) : match.start()].rstrip()
        base = match.start() - (
            len(text[max(0, match.start() - 160) : match.start()]) - len(before)
        )
        words = list(re.finditer(r"[\w'’\-/]+", before))
        limit = min(len(short) + 5, 2 * len(short) + 1)
        first = short[0].lower()
        for word in reversed(words[-limit:]):
            if word.group(0)[0].lower() == first:
                start = base - len(before) + word.start()
                found.append(Abbreviation(short, start, base, match.start() + 1))
                break
    return found


def _put(mentions: list, made) -> list:  # type: ignore[no-untyped-def]
    """The mentions with `made` in place of every mention it overlaps."""
    if made is None:
        return mentions
    return [m for m in mentions if not (m.start < made.end and made.start < m.end)] + [made]


def _name_start(text: str, start: int, end: int) -> int:
    """Where a capitalised run really starts: past leading words such as "The" or "In"."""
    for word in re.finditer(r"\S+", text[start:end]):
        if word.group(0) not in _NOT_NAME:
            return start + word.start()
    return end


def _whole_words(text: str, surface: str) -> Iterable[tuple[int, int]]:
    for match in re.finditer(rf"(?<![\w-]){re.escape(surface)}(?![\w-])", text):
        yield match.start(), match.end()


class Refiner:
    """Applies the span rules to one text's mentions; `make` builds a mention of a label."""

    def __init__(self, make: Callable[[str, str, int, int], object | None]) -> None:
        self.make = make

    def __call__(self, text: str, mentions: list) -> list:
        mentions = [
            self._polity(m)
            for m in (_tidy(m) for m in mentions)
            if m is not None and "\n" not in m.text
        ]
        mentions = self._binomials(text, mentions)
        mentions = self._legal_names(text, mentions)
        mentions = [p for m in mentions if (p := self._person(m, mentions)) is not None]
        abbreviations = find_abbreviations(text)
        mentions = self._abbreviations(text, mentions, abbreviations)
        mentions = self._projects(text, mentions)
        mentions = self._partners(text, mentions)
        evidenced = {m.key for m in mentions if m.label == "ORG" and self._org_evidence(text, m)}
        mentions = [m for m in mentions if m.label != "ORG" or m.key in evidenced]
        mentions = [self._strain(text, m) if m.label == "ORGANISM" else m for m in mentions]
        mentions = [_typed(text, m) if m.label == "TECHNOLOGY" else m for m in mentions]
        return _without_overlaps(mentions)

    @staticmethod
    def _polity(m):  # type: ignore[no-untyped-def]
        """`EU` and countries are places; `EU-funded` is a place and an adjective."""
        if m.label == "LOC":  # the guide's GPE holds continents and regions too
            return replace(m, label="GPE", name=POLITIES.get(m.text.casefold(), m.name))
        if m.label != "ORG":
            return m
        text = m.text
        if _ADJECTIVE.search(text):
            text = _ADJECTIVE.sub("", text)
            m = replace(m, text=text, end=m.start + len(text), key=entity_key("ORG", text))
        if text.casefold() in POLITIES or (
            (len(text) > 3 or text in _SHORT_COUNTRIES) and country_code(text)
        ):
            name = POLITIES.get(text.casefold(), text)
            return replace(m, label="GPE", key=entity_key("GPE", text), name=name)
        return m

    def _legal_names(self, text: str, mentions: list) -> list:
        for match in _LEGAL.finditer(text):
            e = match.end(1)
            s = _name_start(text, match.start(1), e)
            if len(text[s:e].split()) < 2 or any(
                m.label == "ORG" and m.start <= s and e <= m.end for m in mentions
            ):
                continue
            mentions = _put(mentions, self.make("ORG", text[s:e], s, e))
        return mentions

    def _binomials(self, text: str, mentions: list) -> list:
        for match in _BINOMIAL.finditer(text):
            s, e = match.span()
            if any(m.label == "ORGANISM" and m.start <= s and e <= m.end for m in mentions):
                continue
            mentions = _put(mentions, self.make("ORGANISM", match.group(0), s, e))
        return mentions

    def _person(self, m, mentions: list):  # type: ignore[no-untyped-def]
        """A model PERSON must read as a name: an organisation word makes it an ORG,
        digits or a single word (unless another person's surname) make it nothing."""
        if m.label != "PERSON" or m.origin != "model":
            return m
        name = m.text.split("/")[0].strip()
        if any(w in ORG_HEADS for w in tokens(name)):
            return self.make("ORG", m.text, m.start, m.end)
        if any(c.isdigit() for c in name) or name.isupper():
            return None
        if name != m.text:
            m = replace(m, text=name, end=m.start + len(name))
        if _PERSON.match(name):
            return m
        surnames = {
            o.text.split()[-1]
            for o in mentions
            if o is not m and o.label == "PERSON" and " " in o.text
        }
        return m if name in surnames else None

    def _abbreviations(self, text: str, mentions: list, pairs: list[Abbreviation]) -> list:
        for pair in pairs:
            long_form = next(
                (
                    m
                    for m in mentions
                    if m.start <= pair.long_start < m.end
                    or (pair.long_start <= m.start < pair.long_end and m.end >= pair.long_end - 1)
                ),
                None,
            )
            at = list(_whole_words(text, pair.short))
            if long_form is not None and long_form.label in LINKED_LABELS:
                label = long_form.label
                mentions = [
                    m for m in mentions if not any(m.start < e and s < m.end for s, e in at)
                ]
                for s, e in at:
                    made = self.make(label, pair.short, s, e)
                    if made is not None:
                        mentions.append(made)
            elif text[pair.long_start].islower():  # a common noun's short form is no name
                mentions = [
                    m
                    for m in mentions
                    if not (m.label in ("ORG", "PERSON", "GPE") and (m.start, m.end) in at)
                ]
        return mentions

    def _projects(self, text: str, mentions: list) -> list:
        names = {
            g for match in _PROJECT.finditer(text) for g in match.groups() if g and len(g) >= 3
        }
        for name in names:
            at = list(_whole_words(text, name))
            mentions = [m for m in mentions if not any(m.start < e and s < m.end for s, e in at)]
            for s, e in at:
                made = self.make("ORG", name, s, e)
                if made is not None:
                    mentions.append(made)
        return mentions

    def _partners(self, text: str, mentions: list) -> list:
        for match in _PARTNER.finditer(text):
            if not country_code(match.group(2)):
                continue
            e = match.end(1)
            s = _name_start(text, match.start(1), e)
            if s == e or any(
                m.label in ("ORG", "PERSON") and m.start <= s and e <= m.end for m in mentions
            ):
                continue
            mentions = _put(mentions, self.make("ORG", text[s:e], s, e))
        return mentions

    @staticmethod
    def _org_evidence(text: str, m) -> bool:  # type: ignore[no-untyped-def]
        """Evidence that a name is an organisation; a name with evidence at one place is
        kept at every place the text repeats it."""
        if m.origin != "model":
            return True
        words = tokens(m.text)
        if len(words) == 1 and words[0] in ORG_HEADS:  # "LLC", "Board": a form, not a name
            return False
        if any(w in ORG_HEADS for w in words):
            return True
        if m.text.islower() or not any(c.isalpha() for c in m.text):
            return False
        return bool(ACTS.match(text[m.end : m.end + 80]))

    def _strain(self, text: str, m):  # type: ignore[no-untyped-def]
        match = _STRAIN.match(text[m.end : m.end + 60])
        if not match:
            return m
        end = m.end + len(match.group(0).rstrip(".,;:"))
        return replace(m, end=end, text=text[m.start : end])


# A technology keeps its type (guide: `fed-batch fermentation`, `integrated biorefinery`):
# "dilute acid pretreatment", "animal cell culture". (Taking a following "technology" or
# "system" into the span as well lost more than it won on dev.)
_TECH_TYPE = re.compile(
    r"\b(animal|thermochemical|cellulosic|lignocellulosic|synthetic|integrated|continuous|anaerobic|"
    r"aerobic|enzymatic|hydrothermal|dilute acid|alkaline|acid|steam|biological|catalytic|microbial|"
    r"submerged|solid-state|high-throughput|whole-cell|cell-free|single-cell|post-genomic)[ -]$",
    re.I,
)


def _typed(text: str, m):  # type: ignore[no-untyped-def]
    start, end = m.start, m.end
    kind = _TECH_TYPE.search(text[max(0, start - 25) : start])
    if kind and not m.text[:1].isupper():
        start -= len(kind.group(0))
    if (start, end) == (m.start, m.end):
        return m
    return replace(
        m, start=start, end=end, text=text[start:end], key=entity_key("TECHNOLOGY", text[start:end])
    )


def _tidy(m):  # type: ignore[no-untyped-def]
    """A span without the punctuation a recogniser glued on: a trailing comma, an unbalanced
    bracket, a hyphen ("xylose-" of "xylose- and glucose-rich")."""
    text, start, end = m.text, m.start, m.end
    while text and (text[-1] in ",;:-–" or (text[-1] == ")" and text.count("(") < text.count(")"))):
        text, end = text[:-1].rstrip(), start + len(text[:-1].rstrip())
    while text and (text[0] in ",;:" or (text[0] == "(" and text.count("(") > text.count(")"))):
        stripped = text[1:].lstrip()
        start += len(text) - len(stripped)
        text = stripped
    if not text or not any(c.isalnum() for c in text):
        return None
    return m if (start, end) == (m.start, m.end) else replace(m, text=text, start=start, end=end)


def _without_overlaps(mentions: list) -> list:
    """Longest first where two mentions overlap; order by position."""
    kept: list = []
    for m in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start)):
        if not any(m.start < k.end and k.start < m.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: (m.start, m.end))
