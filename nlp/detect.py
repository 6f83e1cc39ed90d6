"""All of one document's signals, from its item fields and its analysis."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from scintel.nlp.analysis import Analysis
from scintel.nlp.normalise import org_key
from scintel.nlp.pipeline import Resources
from scintel.nlp.primary import WEAK_CUES, primary_signal
from scintel.nlp.signal_types import SIGNAL_TYPES
from scintel.nlp.signals import (
    Cue,
    FoundSignal,
    OrgMention,
    funding_call,
    funding_round,
    org_event,
    regulatory_approval,
    snippet,
)


class Record(Protocol):
    """What signal detection reads of a document besides its text (any item kind has it)."""

    @property
    def kind(self) -> str: ...

    @property
    def published(self) -> date | None: ...


def reported_event(text: str, event: dict, score: float) -> FoundSignal:
    """An event of the story's reading (a plant opened, a licence, a launch, a forecast, a
    proposal, a standard) with its parties and its amount in its own currency and in EUR."""
    parties = [p["key"] for p in event["parties"]][:4]
    amount = event.get("amount")
    return FoundSignal(
        event["event"],
        score,
        tuple(parties) or (event["cue"] or "",),
        {
            "cue": event["cue"],
            "organisations": [p["text"] for p in event["parties"]][:4],
            "snippet": snippet(text, *event["cue_span"]) if event["cue_span"] else None,
            "amount": amount["value"] if amount else None,
            "currency": amount["currency"] if amount else None,
            "amount_text": amount["text"] if amount else None,
        },
        amount_eur=Decimal(amount["eur"]) if amount and amount.get("eur") else None,
    )


def resolve_org(resources: Resources, name: str) -> str:
    """The key of an organisation name, mapped to the profile entity it is an alias of."""
    key = org_key(name)
    return resources.alias_keys.get(("ORG", key), key)


@dataclass
class Context:
    """What a detector reads: the document, its analysis and what the guide's reading of a
    news story says it reports (its primary signal and the secondary ones with cues)."""

    item: Record
    text: str
    cues: dict[str, list[Cue]]
    orgs: list[OrgMention]
    resources: Resources
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    reported: set[str] = field(default_factory=set)


Detector = Callable[[Context], "FoundSignal | None"]


def _funding_round(ctx: Context) -> FoundSignal | None:
    if "funding_round" not in ctx.cues:
        return None
    rules = ctx.resources.rules.funding_round
    return funding_round(
        ctx.text,
        ctx.cues["funding_round"],
        rules,
        ctx.resources.rates,
        ctx.item.published,
        ctx.orgs,
    )


def _org_event(signal_type: str) -> Detector:
    """Two or more organisations with a cue of the type in one sentence (partnerships,
    acquisitions)."""

    def detect(ctx: Context) -> FoundSignal | None:
        if signal_type not in ctx.cues:
            return None
        rules = getattr(ctx.resources.rules, signal_type)
        return org_event(signal_type, ctx.text, ctx.cues[signal_type], ctx.orgs, rules, 2)

    return detect


def _regulatory_approval(ctx: Context) -> FoundSignal | None:
    if "regulatory_approval" not in ctx.cues or "agency" not in ctx.cues:
        return None
    rules = ctx.resources.rules.regulatory_approval
    return regulatory_approval(
        ctx.text, ctx.cues["regulatory_approval"], ctx.cues["agency"], rules, ctx.orgs
    )


def _reported(signal_type: str) -> Detector:
    """A type with no rule of its own beyond the story's reading (its cue and the context
    the registry says it needs)."""

    def detect(ctx: Context) -> FoundSignal | None:
        event = ctx.events.get(signal_type)
        if event is None:
            return None
        return reported_event(ctx.text, event, getattr(ctx.resources.rules, signal_type).score)

    return detect


def _funding_call(ctx: Context) -> FoundSignal | None:
    """A call's own record gives its fields; a news story needs a cue."""
    rules = ctx.resources.rules.funding_call
    item = ctx.item
    if item.kind == "funding_call":
        return funding_call(
            ctx.text,
            ctx.cues.get("funding_call", []),
            rules,
            getattr(item, "identifier", None),
            getattr(item, "deadline", None),
            getattr(item, "status", None),
            getattr(item, "budget_eur", None),
        )
    if "funding_call" not in ctx.cues:
        return None
    return funding_call(ctx.text, ctx.cues["funding_call"], rules, None, None, None, None)


def _patent_publication(ctx: Context) -> FoundSignal:
    number = getattr(ctx.item, "publication_number", "")
    return FoundSignal(
        "patent_publication",
        ctx.resources.rules.patent_publication.score,
        (number,),
        {
            "publication_number": number,
            "applicants": getattr(ctx.item, "applicants", [])[:10],
            "cpc": getattr(ctx.item, "cpc", [])[:10],
            "priority_date": str(getattr(ctx.item, "priority_date", None) or "") or None,
        },
    )


# The rule of each signal type named in nlp/signal_types.py (`rule`).
DETECTORS: dict[str, Detector] = {
    "funding_round": _funding_round,
    "partnership": _org_event("partnership"),
    "acquisition": _org_event("acquisition"),
    "regulatory_approval": _regulatory_approval,
    "facility_opening": _reported("facility_opening"),
    "licensing": _reported("licensing"),
    "product_launch": _reported("product_launch"),
    "policy_proposal": _reported("policy_proposal"),
    "standardisation": _reported("standardisation"),
    "market_forecast": _reported("market_forecast"),
    "funding_call": _funding_call,
    "patent_publication": _patent_publication,
}


def detect_signals(item: Record, analysis: Analysis, resources: Resources) -> list[FoundSignal]:
    """The registry's types that apply to the document's kind, each by its rule; in a news
    story a market type only when the story reports it. Project outputs are not signals:
    the impact step links them (document_links), once every project is loaded."""
    cues: dict[str, list[Cue]] = {}
    for cue in analysis.cues:
        cues.setdefault(cue.kind, []).append(cue)
    orgs = [OrgMention(m.key, m.text, m.start) for m in analysis.mentions if m.label == "ORG"]
    ctx = Context(item, analysis.text, cues, orgs, resources)
    if item.kind == "news":
        # The guide's reading decides which events the story reports: its primary signal and
        # the secondary ones with a cue of their own (an "investment" in a plant story is
        # no funding round).
        primary, secondary = primary_signal("news", analysis, resources, item.published)
        for event in reversed([primary, *secondary]):  # the primary wins a type it shares
            ctx.events[event["event"]] = event
        ctx.reported = {primary["event"]} | {
            s["event"] for s in secondary if (s["cue"] or "").casefold() not in WEAK_CUES
        }
    found: list[FoundSignal | None] = []
    for signal_type in SIGNAL_TYPES.values():
        if signal_type.rule is None or item.kind not in signal_type.kinds:
            continue
        if signal_type.market and item.kind == "news" and signal_type.key not in ctx.reported:
            continue
        signal = DETECTORS[signal_type.rule](ctx)
        if signal is None and signal_type.key in ctx.reported:
            # The reading found the event where the type's own rule looks too narrowly (an
            # act's authority named in its enacting formula): store what the reading says.
            rule = getattr(ctx.resources.rules, signal_type.key)
            signal = reported_event(ctx.text, ctx.events[signal_type.key], rule.score)
        found.append(signal)
    return [f for f in found if f is not None]
