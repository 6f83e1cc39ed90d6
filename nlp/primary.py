"""The one primary signal of a text, typed by what happened (the annotation guide's types).

Cues found in the pipeline vote for their type; a vote counts double in the title and
lead, and a type needs its context (an amount or an award word for a funding round, two
organisations for a partnership or an acquisition, an agency for an approval). A call is
a call by its kind; papers and patents report research, not events. The parties are the
organisations of the winning cue's sentence, the amount the largest one there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from scintel.nlp.analysis import Analysis, FoundMention
from scintel.nlp.pipeline import Resources
from scintel.nlp.signal_types import EVENT_TYPES
from scintel.nlp.signals import Cue, sentence

LEAD_CHARS = 400
# Cues that say money is involved but not how: a vote of half weight.
WEAK_CUES = frozenset(["funding", "financing", "investment", "received", "granted", "grants"])
NONE: dict[str, Any] = {
    "type": "none",
    "parties": [],
    "amount": None,
    "cue": None,
    "cue_span": None,
}
# Texts of these kinds describe research or offer money by their nature.
FIXED = {"publication": "none", "patent": "none", "funding_call": "funding_call"}
# A project summary rarely reports an event; it takes more evidence to say it does.
THRESHOLD = {"news": 1.0, "project": 3.0}


@dataclass
class Vote:
    kind: str
    weight: float
    cue: Cue


def _lead_end(text: str) -> int:
    title_end = text.find("\n")
    return max(LEAD_CHARS, title_end if title_end >= 0 else 0)


def _orgs_in(mentions: list[FoundMention], bounds: tuple[int, int]) -> list[FoundMention]:
    seen: dict[str, FoundMention] = {}
    for m in mentions:
        if m.label == "ORG" and bounds[0] <= m.start < bounds[1] and m.key not in seen:
            seen[m.key] = m
    return list(seen.values())


def _money(
    analysis: Analysis, bounds: tuple[int, int] | None, resources: Resources, published: date | None
) -> dict[str, Any] | None:
    """The largest MONEY mention within the bounds (anywhere without them), with EUR."""
    amounts = [m for m in analysis.mentions if m.label == "MONEY" and m.value is not None
               and (bounds is None or bounds[0] <= m.start < bounds[1])]  # fmt: skip
    if not amounts:
        return None
    amount = max(amounts, key=lambda m: m.value)
    converted = resources.rates.to_eur(amount.value, amount.currency, published)
    return {
        "text": amount.text,
        "start": amount.start,
        "end": amount.end,
        "value": str(amount.value),
        "currency": amount.currency,
        "eur": str(converted.eur) if converted else None,
    }


def _votes(analysis: Analysis) -> list[Vote]:
    lead = _lead_end(analysis.text)
    votes = []
    for cue in analysis.cues:
        if cue.kind in EVENT_TYPES:
            weight = 2.0 if cue.start < lead else 1.0
            if cue.text.casefold() in WEAK_CUES:
                weight /= 2
            votes.append(Vote(cue.kind, weight, cue))
    return votes


def _qualifies(kind: str, vote: Vote, analysis: Analysis, agencies: list[Cue]) -> bool:
    bounds = sentence(analysis.text, vote.cue.start, vote.cue.end)
    if kind == "funding_round":
        return any(
            m.label == "MONEY" and bounds[0] <= m.start < bounds[1] for m in analysis.mentions
        )
    if kind in ("partnership", "acquisition"):
        return len(_orgs_in(analysis.mentions, bounds)) >= 2
    if kind == "regulatory_approval":
        return any(bounds[0] <= a.start < bounds[1] for a in agencies) or any(
            a.start < _lead_end(analysis.text) for a in agencies
        )
    return True


def _describe(kind: str, analysis: Analysis, resources: Resources, published: date | None,
              cue: Cue | None) -> dict[str, Any]:  # fmt: skip
    bounds = sentence(analysis.text, cue.start, cue.end) if cue else None
    orgs = _orgs_in(analysis.mentions, bounds) if bounds else []
    money = None
    if kind in ("funding_round", "funding_call", "acquisition", "facility_opening"):
        money = _money(analysis, bounds, resources, published) or (
            _money(analysis, None, resources, published) if kind != "acquisition" else None
        )
    return {
        "type": kind,
        "parties": [{"text": o.text, "key": o.key, "start": o.start, "end": o.end} for o in orgs],
        "amount": money,
        "cue": cue.text if cue else None,
        "cue_span": (cue.start, cue.end) if cue else None,
    }


def primary_signal(
    kind: str, analysis: Analysis, resources: Resources, published: date | None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(primary signal, secondary ones) of one analysed text."""
    if kind in FIXED:
        fixed = FIXED[kind]
        if fixed == "none":
            return dict(NONE), []
        first = next((c for c in analysis.cues if c.kind == fixed), None)
        return _describe(fixed, analysis, resources, published, first), []
    agencies = [c for c in analysis.cues if c.kind == "agency"]
    totals: dict[str, float] = {}
    best: dict[str, Vote] = {}
    for vote in _votes(analysis):
        if not _qualifies(vote.kind, vote, analysis, agencies):
            continue
        totals[vote.kind] = totals.get(vote.kind, 0.0) + vote.weight
        if vote.kind not in best or vote.weight > best[vote.kind].weight:
            best[vote.kind] = vote
    ranked = sorted(totals, key=lambda k: (-totals[k], EVENT_TYPES.index(k)))
    threshold = THRESHOLD.get(kind, 1.0)
    ranked = [k for k in ranked if totals[k] >= threshold]
    if not ranked:
        return dict(NONE), []
    described = [_describe(k, analysis, resources, published, best[k].cue) for k in ranked]
    return described[0], described[1:]
