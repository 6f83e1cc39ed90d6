"""The one primary signal of a text, typed by what happened.

Cues found in the pipeline vote for their type; a vote counts double in the title and
lead, and a type needs the context the registry (nlp/signal_types.py, `needs`) names: an
amount for a funding round, two organisations for a partnership or an acquisition, an
authority for an approval or a proposal, a figure for a market forecast. An EU act names
its authority once, in its enacting formula ("THE EUROPEAN COMMISSION, Having regard
to ..."), which then holds for every article. An approval of a loan, a grant or a merger is
a vote for the financing or the deal, not for a regulatory approval. A call is a call by its
kind; papers and patents report research, not events.

The result's `event` is the registry's type, its `type` the annotation guide's (a licence
is a partnership; a forecast, a proposal, a launch or a standard is none of the guide's
events). The parties are the organisations of the deciding cue's sentence (the cue whose
sentence names most of them), else those of the title and lead sentence, which name the
actors of a story; the amount is the largest one there, in its own currency and in EUR.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from scintel.nlp.analysis import Analysis, FoundMention
from scintel.nlp.pipeline import Resources
from scintel.nlp.signal_types import EVENT_TYPES as VOTED_TYPES
from scintel.nlp.signal_types import GUIDE_TYPES, SIGNAL_TYPES
from scintel.nlp.signals import Cue, sentence

LEAD_CHARS = 400
# Cues that say money is involved but not how: a vote of half weight.
WEAK_CUES = frozenset(["funding", "financing", "investment", "received", "granted", "grants"])
# The types a primary signal's `type` can be (the guide's), besides "none".
EVENT_TYPES = GUIDE_TYPES
NONE: dict[str, Any] = {
    "type": "none",
    "event": "none",
    "parties": [],
    "amount": None,
    "cue": None,
    "cue_span": None,
}
# Texts of these kinds describe research or offer money by their nature.
FIXED = {"publication": "none", "patent": "none", "funding_call": "funding_call"}
# A project summary rarely reports an event; it takes more evidence to say it does.
THRESHOLD = {"news": 1.0, "project": 3.0}
# A figure a market estimate states: an amount, a percentage or a growth rate.
_FIGURE = re.compile(r"\d\s?%|\bper ?cent\b|\bCAGR\b", re.IGNORECASE)
# What an approval can be of besides a product or process: the kinds of financing and deals
# (cue kinds whose cue in an approval's sentence takes its vote).
APPROVED_DEALS = ("acquisition", "financing")
# Deals an authority clears without taking part: it is no party of them.
AUTHORITY_NO_PARTY = frozenset(["acquisition"])


@dataclass
class Vote:
    kind: str
    weight: float
    cue: Cue


def _lead_end(text: str) -> int:
    title_end = text.find("\n")
    return max(LEAD_CHARS, title_end if title_end >= 0 else 0)


def _lead_sentences(text: str) -> tuple[int, int]:
    """The title and the body's first sentence: where a story names its actors."""
    title_end = text.find("\n")
    if title_end < 0:
        return sentence(text, 0, 0)
    body = len(text) - len(text[title_end:].lstrip())
    return 0, sentence(text, body, body)[1]


def _orgs_in(mentions: list[FoundMention], bounds: tuple[int, int]) -> list[FoundMention]:
    seen: dict[str, FoundMention] = {}
    for m in mentions:
        if m.label == "ORG" and bounds[0] <= m.start < bounds[1] and m.key not in seen:
            seen[m.key] = m
    return list(seen.values())


def _money(
    analysis: Analysis, bounds: tuple[int, int] | None, resources: Resources, published: date | None
) -> dict[str, Any] | None:
    """The largest MONEY mention within the bounds (anywhere without them), in its own
    currency and in EUR."""
    amounts = [m for m in analysis.mentions if m.label == "MONEY" and m.value is not None
               and not m.unit and (bounds is None or bounds[0] <= m.start < bounds[1])]  # fmt: skip
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


def _in(cues: list[Cue], bounds: tuple[int, int]) -> list[Cue]:
    return [c for c in cues if bounds[0] <= c.start < bounds[1]]


def _votes(analysis: Analysis, by_kind: dict[str, list[Cue]]) -> list[Vote]:
    lead = _lead_end(analysis.text)
    deals = {c: k for k in APPROVED_DEALS for c in by_kind.get(k, [])}
    votes = []
    for cue in analysis.cues:
        if cue.kind not in VOTED_TYPES:
            continue
        weight = 2.0 if cue.start < lead else 1.0
        if cue.text.casefold() in WEAK_CUES and not _in(
            by_kind.get("financing", []), sentence(analysis.text, cue.start, cue.end)
        ):  # "is funding the initiative with a $2.15-million grant": the grant says how
            weight /= 2
        kind = cue.kind
        if kind == "regulatory_approval":
            # "approved a EUR 50 million loan", "approved ... the acquisition of": the deal
            # is what happened, the approval its form.
            bounds = sentence(analysis.text, cue.start, cue.end)
            near = sorted(_in(list(deals), bounds), key=lambda c: abs(c.start - cue.start))
            if near:
                deal = deals[near[0]]
                kind = "funding_round" if deal == "financing" else deal
        votes.append(Vote(kind, weight, cue))
    return votes


def _qualifies(vote: Vote, analysis: Analysis, by_kind: dict[str, list[Cue]]) -> bool:
    text = analysis.text
    bounds = sentence(text, vote.cue.start, vote.cue.end)
    needs = SIGNAL_TYPES[vote.kind].needs
    if vote.cue.kind == "regulatory_approval":  # an approved loan or aid scheme: the approval,
        needs = SIGNAL_TYPES[vote.cue.kind].needs  # by an authority, shows it, amount or not
    money = any(m.label == "MONEY" and bounds[0] <= m.start < bounds[1] for m in analysis.mentions)
    if needs == "amount":
        return money
    if needs == "figure":
        return money or bool(_FIGURE.search(text, bounds[0], bounds[1]))
    if needs == "two_orgs":
        return len(_orgs_in(analysis.mentions, bounds)) >= 2
    if needs == "authority":
        agencies = by_kind.get("agency", [])
        return (
            bool(_in(agencies, bounds))
            or any(a.start < _lead_end(text) for a in agencies)
            or bool(by_kind.get("formula"))  # an act's formula names its authority once
        )
    return True


def _best_cue(votes: list[Vote], analysis: Analysis) -> Vote:
    """The vote whose sentence names most organisations, then the heaviest, then the first."""

    def rank(v: Vote) -> tuple[int, float, int]:
        bounds = sentence(analysis.text, v.cue.start, v.cue.end)
        return (-len(_orgs_in(analysis.mentions, bounds)), -v.weight, v.cue.start)

    return min(votes, key=rank)


def _describe(kind: str, analysis: Analysis, resources: Resources, published: date | None,
              cue: Cue | None) -> dict[str, Any]:  # fmt: skip
    bounds = sentence(analysis.text, cue.start, cue.end) if cue else None
    orgs = _orgs_in(analysis.mentions, bounds) if bounds else []
    if not orgs:
        orgs = _orgs_in(analysis.mentions, _lead_sentences(analysis.text))
    if kind in AUTHORITY_NO_PARTY:
        agencies = [c for c in analysis.cues if c.kind == "agency"]
        orgs = [o for o in orgs if not any(a.start < o.end and o.start < a.end for a in agencies)]
    money = None
    if kind in ("funding_round", "funding_call", "acquisition", "facility_opening", "licensing",
                "market_forecast"):  # fmt: skip
        money = _money(analysis, bounds, resources, published) or (
            _money(analysis, None, resources, published)
            if kind not in ("acquisition", "licensing", "market_forecast")
            else None
        )
    return {
        "type": SIGNAL_TYPES[kind].guide_type,
        "event": kind,
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
    by_kind: dict[str, list[Cue]] = {}
    for cue in analysis.cues:
        by_kind.setdefault(cue.kind, []).append(cue)
    totals: dict[str, float] = {}
    qualified: dict[str, list[Vote]] = {}
    for vote in _votes(analysis, by_kind):
        if not _qualifies(vote, analysis, by_kind):
            continue
        totals[vote.kind] = totals.get(vote.kind, 0.0) + vote.weight
        qualified.setdefault(vote.kind, []).append(vote)
    ranked = sorted(totals, key=lambda k: (-totals[k], VOTED_TYPES.index(k)))
    threshold = THRESHOLD.get(kind, 1.0)
    ranked = [k for k in ranked if totals[k] >= threshold]
    if not ranked:
        return dict(NONE), []
    described = [
        _describe(k, analysis, resources, published, _best_cue(qualified[k], analysis).cue)
        for k in ranked
    ]
    return described[0], described[1:]
