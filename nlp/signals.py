"""Typed signals found by rules over a document's text, entities and metadata.

Cues (phrases per signal type) are profile data; a signal needs its cue plus the
context its type requires: an amount for a funding round, two organisations for a
partnership, an agency for an approval. Each carries the matched text as evidence.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from spacy.language import Language
from spacy.tokens import Doc

from scintel.nlp.datafiles import read_yaml
from scintel.nlp.lines import line_bounds
from scintel.nlp.money import RateTable, find_amounts
from scintel.nlp.normalise import org_key
from scintel.nlp.signal_types import SIGNAL_TYPES
from scintel.nlp.terms import TermMatcher


class CueRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: float = Field(default=0.5, gt=0, le=1)
    window: int = Field(default=160, ge=10, le=2000)
    cues: list[str] = Field(default_factory=list)
    agencies: list[str] = Field(default_factory=list)
    # An EU act's enacting formula ("HAS ADOPTED THIS REGULATION"): it names the act's
    # authority once, for every article (regulatory approvals, policy proposals).
    formulas: list[str] = Field(default_factory=list)
    # Kinds of financing (loan, guarantee, grant): what an authority "approves" when it
    # funds, so the approval is a funding round (funding rounds).
    instruments: list[str] = Field(default_factory=list)


class SignalRules(BaseModel):
    """The profile's rule for each signal type: any type of the registry
    (nlp/signal_types.py) may have a CueRule; regulatory approvals list agencies and
    enacting formulas too, funding rounds the kinds of financing."""

    model_config = ConfigDict(extra="allow")

    @model_validator(mode="after")
    def _registry_types(self) -> SignalRules:
        extra = self.__pydantic_extra__ or {}
        for key, value in extra.items():
            if key not in SIGNAL_TYPES:
                known = ", ".join(SIGNAL_TYPES)
                raise ValueError(f"{key!r} is not a signal type (known: {known})")
            extra[key] = CueRule.model_validate(value)
        return self

    def __getattr__(self, name: str) -> Any:
        """`rules.partnership`: a registered type's rule, a default one when the profile
        gives none."""
        extra = self.__pydantic_extra__ or {}
        if name in extra:
            return extra[name]
        if name in SIGNAL_TYPES:
            return CueRule()
        return super().__getattr__(name)  # type: ignore[misc]

    def cue_lists(self) -> dict[str, list[str]]:
        """Signal type -> cue phrases; agencies, enacting formulas and kinds of financing
        under their own keys."""
        rules = {k: v for k, v in (self.__pydantic_extra__ or {}).items() if k in SIGNAL_TYPES}
        lists = {key: rule.cues for key, rule in rules.items()}
        lists["agency"] = self.regulatory_approval.agencies
        lists["formula"] = self.regulatory_approval.formulas
        lists["financing"] = self.funding_round.instruments
        return {k: v for k, v in lists.items() if v}


def load_signal_rules(path: Path) -> SignalRules:
    return read_yaml(path, SignalRules)


# --- cues, found inside the pipeline --------------------------------------------------


@Language.factory("scintel_signal_cues", default_config={"cues": {}})
def make_signal_cues(nlp: Language, name: str, cues: dict[str, list[str]]) -> SignalCues:
    """Finds the cue phrases of each signal type; the rules then read doc._.signal_cues."""
    return SignalCues(nlp, cues)


class SignalCues:
    def __init__(self, nlp: Language, cues: dict[str, list[str]]) -> None:
        if not Doc.has_extension("signal_cues"):
            Doc.set_extension("signal_cues", default=None)
        self.kinds: dict[str, list[str]] = {}
        for kind, phrases in cues.items():
            for phrase in phrases:
                self.kinds.setdefault(phrase.strip(), []).append(kind)
        self.matcher = TermMatcher(nlp, self.kinds)

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text  # built from the tokens on every access
        doc._.signal_cues = [
            (kind, start, end, text[start:end])
            for term, start, end in self.matcher.find(doc)
            for kind in self.kinds[term]
        ]
        return doc


# --- rules --------------------------------------------------------------------------


@dataclass
class FoundSignal:
    signal_type: str
    score: float
    parts: tuple[str, ...]
    evidence: dict[str, Any]
    amount_eur: Decimal | None = None

    @property
    def fingerprint(self) -> str:
        """Stable per document and type, so rerunning the rules upserts the same row."""
        return hashlib.sha1("|".join(self.parts).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Cue:
    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class OrgMention:
    key: str
    text: str
    start: int


# Words whose full stop ends no sentence: legal forms and other short forms ("Cisco Systems,
# Inc. (Cisco)", "Southern California Gas Co. of", "S.p.A. and"), so a party named with its
# legal form stays in its sentence.
_SHORT_FORMS = frozenset(
    [
        "inc",
        "co",
        "corp",
        "ltd",
        "bros",
        "no",
        "nr",
        "st",
        "dr",
        "mr",
        "ms",
        "vs",
        "etc",
        "s.a",
        "s.p.a",
        "n.v",
        "b.v",
        "a.g",
        "u.s",
        "e.g",
        "i.e",
    ]
)
_FULL_STOP = re.compile(r"\. (?=[^a-z(])")


def _stops(text: str, start: int, end: int) -> list[int]:
    """Offsets of the full stops that end a sentence in text[start:end]."""
    found = []
    for m in _FULL_STOP.finditer(text, start):
        if m.start() >= end:
            break
        words = text[max(0, m.start() - 12) : m.start()].rsplit(None, 1)
        word = words[-1].lstrip("(").casefold() if words else ""
        if word not in _SHORT_FORMS:
            found.append(m.start())
    return found


def sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence (or line) holding text[start:end]."""
    line_start, line_end = line_bounds(text, start, end)
    before = _stops(text, line_start, start)
    left = before[-1] + 2 if before else line_start
    after = _stops(text, end, line_end)
    return left, after[0] if after else line_end


def _context(text: str, cue: Cue, window: int) -> tuple[int, int]:
    """The sentence around a cue, cut to `window` characters on either side."""
    left, right = sentence(text, cue.start, cue.end)
    return max(left, cue.start - window), min(right, cue.end + window)


def _inside(position: int, bounds: tuple[int, int]) -> bool:
    return bounds[0] <= position < bounds[1]


def snippet(text: str, start: int, end: int, pad: int = 80) -> str:
    left, right = max(0, start - pad), min(len(text), end + pad)
    return ("…" if left else "") + text[left:right].strip() + ("…" if right < len(text) else "")


def parties(
    orgs: list[OrgMention], cue: Cue, bounds: tuple[int, int], skip: Cue | None = None
) -> list[str]:
    """The organisations in a cue's context, nearest first (but not the `skip` span, such as
    the approving agency): the parties of its event, which the impact step reads to tell
    uptake by a project's partner from a mere mention."""
    found: dict[str, str] = {}
    for org in sorted(orgs, key=lambda o: abs(o.start - cue.start)):
        if skip and skip.start < org.start + len(org.text) and org.start < skip.end:
            continue
        if _inside(org.start, bounds) and org.key not in found:
            found[org.key] = org.text
    return list(found.values())[:4]


def funding_round(
    text: str,
    cues: list[Cue],
    rule: CueRule,
    rates: RateTable,
    published: date | None,
    orgs: list[OrgMention] = (),
) -> FoundSignal | None:
    amounts = [a for a in find_amounts(text) if not a.unit]  # prices are not sums
    for cue in cues:
        bounds = _context(text, cue, rule.window)
        near = [a for a in amounts if _inside(a.start, bounds)]
        if not near:
            continue
        amount = max(near, key=lambda a: a.value)
        converted = rates.to_eur(amount.value, amount.currency, published)
        eur = converted.eur if converted else None
        size = math.log10(float(eur) / 1e6) / 10 if eur and eur >= 10**6 else 0.0
        evidence: dict[str, Any] = {
            "cue": cue.text,
            "amount": str(amount.value),
            "currency": amount.currency,
            "amount_text": amount.text,
            "snippet": snippet(text, min(cue.start, amount.start), max(cue.end, amount.end)),
            "organisations": parties(orgs, cue, bounds),
        }
        if converted:
            evidence |= {"eur_rate": str(converted.rate), "rate_date": str(converted.rate_date)}
        else:
            evidence["eur_rate"] = None
        return FoundSignal(
            "funding_round",
            round(min(1.0, rule.score + size), 3),
            (amount.currency, str(amount.value.normalize())),
            evidence,
            amount_eur=eur,
        )
    return None


def org_event(
    kind: str, text: str, cues: list[Cue], orgs: list[OrgMention], rule: CueRule, min_orgs: int
) -> FoundSignal | None:
    """A partnership or acquisition: its cue with enough organisations nearby."""
    for cue in cues:
        bounds = _context(text, cue, rule.window)
        nearby: dict[str, OrgMention] = {}
        for org in sorted(orgs, key=lambda o: abs(o.start - cue.start)):
            if _inside(org.start, bounds) and org.key not in nearby:
                nearby[org.key] = org
        if len(nearby) >= min_orgs:
            keys = sorted(nearby)[:4]
            return FoundSignal(
                kind,
                round(min(1.0, rule.score + 0.1 * (len(nearby) - min_orgs)), 3),
                tuple(keys),
                {
                    "cue": cue.text,
                    "organisations": [nearby[k].text for k in keys],
                    "snippet": snippet(text, cue.start, cue.end),
                },
            )
    return None


def regulatory_approval(
    text: str,
    cues: list[Cue],
    agencies: list[Cue],
    rule: CueRule,
    orgs: list[OrgMention] = (),
) -> FoundSignal | None:
    for cue in cues:
        bounds = _context(text, cue, rule.window)
        near = [a for a in agencies if _inside(a.start, bounds)]
        if near:
            agency = min(near, key=lambda a: abs(a.start - cue.start))
            return FoundSignal(
                "regulatory_approval",
                rule.score,
                (org_key(agency.text),),
                {
                    "cue": cue.text,
                    "agency": agency.text,
                    "organisations": parties(orgs, cue, bounds, agency),
                    "snippet": snippet(
                        text, min(cue.start, agency.start), max(cue.end, agency.end)
                    ),
                },
            )
    return None


_DEADLINE = re.compile(
    r"(?i:deadline)[^.;\n]{0,40}?(\d{4}-\d{2}-\d{2}|\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z][a-z]+ \d{1,2}, \d{4})"
)


def parse_deadline(text: str) -> date | None:
    """The first date that follows the word 'deadline' in the text."""
    match = _DEADLINE.search(text)
    if not match:
        return None
    raw = match.group(1)
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y"):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


def funding_call(
    text: str,
    cues: list[Cue],
    rule: CueRule,
    identifier: str | None,
    deadline: date | None,
    status: str | None,
    budget_eur: Decimal | None,
) -> FoundSignal | None:
    """A call item that is open or forthcoming, or a text announcing a call."""
    if identifier is None and not cues:
        return None
    if status and status.lower() in ("closed", "cancelled"):
        return None
    deadline = deadline or parse_deadline(text)
    evidence: dict[str, Any] = {
        "identifier": identifier,
        "deadline": deadline.isoformat() if deadline else None,
        "status": status,
    }
    if cues:
        evidence |= {"cue": cues[0].text, "snippet": snippet(text, cues[0].start, cues[0].end)}
    score = rule.score if identifier else rule.score * 0.75
    return FoundSignal(
        "funding_call",
        round(score, 3),
        (identifier or "", evidence["deadline"] or ""),
        evidence,
        amount_eur=budget_eur,
    )
