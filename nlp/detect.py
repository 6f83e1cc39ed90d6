"""All of one document's signals, from its item fields and its analysis."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Protocol

from scintel.nlp.analysis import Analysis
from scintel.nlp.normalise import org_key
from scintel.nlp.outputs import ProjectIndex
from scintel.nlp.pipeline import Resources
from scintel.nlp.primary import WEAK_CUES, primary_signal
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


def facility_opening(text: str, event: dict, score: float) -> FoundSignal:
    """A plant or facility opened, started or broke ground, with the organisations of its sentence."""
    parties = [p["key"] for p in event["parties"]][:4]
    amount = event.get("amount")
    return FoundSignal(
        "facility_opening",
        score,
        tuple(parties) or (event["cue"] or "",),
        {
            "cue": event["cue"],
            "organisations": [p["text"] for p in event["parties"]][:4],
            "snippet": snippet(text, *event["cue_span"]) if event["cue_span"] else None,
            "amount": amount["value"] if amount else None,
            "currency": amount["currency"] if amount else None,
        },
        amount_eur=Decimal(amount["eur"]) if amount and amount.get("eur") else None,
    )


def resolve_org(resources: Resources, name: str) -> str:
    """The key of an organisation name, mapped to the profile entity it is an alias of."""
    key = org_key(name)
    return resources.alias_keys.get(("ORG", key), key)


def detect_signals(
    item: Record, analysis: Analysis, resources: Resources, projects: ProjectIndex
) -> list[FoundSignal]:
    rules = resources.rules
    text = analysis.text
    kind = item.kind
    cues: dict[str, list[Cue]] = {}
    for cue in analysis.cues:
        cues.setdefault(cue.kind, []).append(cue)
    orgs = [OrgMention(m.key, m.text, m.start) for m in analysis.mentions if m.label == "ORG"]
    found: list[FoundSignal | None] = []

    if kind == "news":  # market events are reported in the news, not in papers
        # The guide's reading decides which events the story reports: its primary signal and
        # the secondary ones with a cue of their own (an "investment" in a plant story is
        # no funding round).
        primary, secondary = primary_signal("news", analysis, resources, item.published)
        reported = {primary["type"]} | {
            s["type"] for s in secondary if (s["cue"] or "").casefold() not in WEAK_CUES
        }
        if "funding_round" in cues and "funding_round" in reported:
            found.append(
                funding_round(
                    text,
                    cues["funding_round"],
                    rules.funding_round,
                    resources.rates,
                    item.published,
                )
            )
        if "partnership" in cues and "partnership" in reported:
            found.append(
                org_event("partnership", text, cues["partnership"], orgs, rules.partnership, 2)
            )
        if "acquisition" in cues and "acquisition" in reported:
            found.append(
                org_event("acquisition", text, cues["acquisition"], orgs, rules.acquisition, 2)
            )
        if "regulatory_approval" in cues and "agency" in cues and "regulatory_approval" in reported:
            found.append(
                regulatory_approval(
                    text, cues["regulatory_approval"], cues["agency"], rules.regulatory_approval
                )
            )
        if "facility_opening" in reported:
            event = (
                primary
                if primary["type"] == "facility_opening"
                else next(s for s in secondary if s["type"] == "facility_opening")
            )
            found.append(facility_opening(text, event, rules.facility_opening.score))
    if kind == "funding_call":
        found.append(
            funding_call(
                text,
                cues.get("funding_call", []),
                rules.funding_call,
                getattr(item, "identifier", None),
                getattr(item, "deadline", None),
                getattr(item, "status", None),
                getattr(item, "budget_eur", None),
            )
        )
    elif kind == "news" and "funding_call" in cues:
        found.append(
            funding_call(text, cues["funding_call"], rules.funding_call, None, None, None, None)
        )
    if kind == "patent":
        number = getattr(item, "publication_number", "")
        found.append(
            FoundSignal(
                "patent_publication",
                rules.patent_publication.score,
                (number,),
                {
                    "publication_number": number,
                    "applicants": getattr(item, "applicants", [])[:10],
                    "cpc": getattr(item, "cpc", [])[:10],
                    "priority_date": str(getattr(item, "priority_date", None) or "") or None,
                },
            )
        )
    grant_ids = [g.id for g in getattr(item, "grants", [])]
    applicants = {resolve_org(resources, a) for a in getattr(item, "applicants", [])}
    found.extend(
        projects.outputs(
            rules.project_output,
            kind,
            item.published,
            grant_ids,
            {o.key for o in orgs},
            applicants,
            text,
        )
    )
    return [f for f in found if f is not None]
