"""All of one document's signals, from its item fields and its analysis."""

from __future__ import annotations

from scintel.nlp.analysis import Analysis
from scintel.nlp.normalise import org_key
from scintel.nlp.outputs import ProjectIndex
from scintel.nlp.pipeline import Resources
from scintel.nlp.signals import (
    Cue,
    FoundSignal,
    OrgMention,
    funding_call,
    funding_round,
    org_event,
    regulatory_approval,
)
from scintel.storage.items import BaseItem


def resolve_org(resources: Resources, name: str) -> str:
    """The key of an organisation name, mapped to the profile entity it is an alias of."""
    key = org_key(name)
    return resources.alias_keys.get(("ORG", key), key)


def detect_signals(
    item: BaseItem, analysis: Analysis, resources: Resources, projects: ProjectIndex
) -> list[FoundSignal]:
    rules = resources.rules
    text = analysis.text
    kind = item.kind  # type: ignore[attr-defined]
    cues: dict[str, list[Cue]] = {}
    for cue in analysis.cues:
        cues.setdefault(cue.kind, []).append(cue)
    orgs = [OrgMention(m.key, m.text, m.start) for m in analysis.mentions if m.label == "ORG"]
    found: list[FoundSignal | None] = []

    if kind == "news":  # market events are reported in the news, not in papers
        if "funding_round" in cues:
            found.append(
                funding_round(
                    text,
                    cues["funding_round"],
                    rules.funding_round,
                    resources.rates,
                    item.published,
                )
            )
        if "partnership" in cues:
            found.append(
                org_event("partnership", text, cues["partnership"], orgs, rules.partnership, 2)
            )
        if "acquisition" in cues:
            found.append(
                org_event("acquisition", text, cues["acquisition"], orgs, rules.acquisition, 2)
            )
        if "regulatory_approval" in cues and "agency" in cues:
            found.append(
                regulatory_approval(
                    text, cues["regulatory_approval"], cues["agency"], rules.regulatory_approval
                )
            )
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
