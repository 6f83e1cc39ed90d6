"""The warehouse's signal types, in one place: what each means, its digest heading, and
whether it is a market event a project organisation can take part in (uptake).

Detection (nlp/detect.py), the digest's sections and the docs read this table; it imports
nothing heavy, so the digest does not load spaCy for it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SignalType:
    key: str
    label: str  # digest heading
    market: bool  # reported in the digest's market section
    uptake: bool  # a project organisation acting in it counts as uptake


SIGNAL_TYPES: dict[str, SignalType] = {
    t.key: t
    for t in (
        SignalType("funding_round", "Funding rounds", market=True, uptake=True),
        SignalType("partnership", "Partnerships", market=True, uptake=True),
        SignalType("acquisition", "Acquisitions", market=True, uptake=True),
        SignalType("regulatory_approval", "Regulatory approvals", market=True, uptake=True),
        # Not uptake yet: the v_impact_events view's list is fixed in migration b7e41c09d2a1.
        SignalType("facility_opening", "Facility openings", market=True, uptake=False),
        SignalType("funding_call", "Funding calls", market=False, uptake=False),
        SignalType("patent_publication", "Patents", market=False, uptake=False),
        SignalType("project_output", "Project outputs", market=False, uptake=False),
    )
}
MARKET_SIGNALS = {key: t.label for key, t in SIGNAL_TYPES.items() if t.market}
UPTAKE_SIGNALS = tuple(key for key, t in SIGNAL_TYPES.items() if t.uptake)
