"""The warehouse's signal types, in one place: what each means, its digest heading, and
whether it is a market event a project organisation can take part in (uptake).

Detection (nlp/detect.py), the digest's sections and the docs read this table; the enrich
step writes it into the warehouse's signal_types table, whose `uptake` flag the impact views
read, so a new type needs no migration. It imports nothing heavy, so the digest does not
load spaCy for it.
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
        SignalType("facility_opening", "Facility openings", market=True, uptake=False),
        SignalType("funding_call", "Funding calls", market=False, uptake=False),
        SignalType("patent_publication", "Patents", market=False, uptake=False),
        SignalType("project_output", "Project outputs", market=False, uptake=False),
    )
}
MARKET_SIGNALS = {key: t.label for key, t in SIGNAL_TYPES.items() if t.market}
UPTAKE_SIGNALS = tuple(key for key, t in SIGNAL_TYPES.items() if t.uptake)


def registry_rows() -> list[tuple[str, str, bool, bool]]:
    """(key, label, market, uptake) per type: what the warehouse's signal_types table holds."""
    return [(t.key, t.label, t.market, t.uptake) for t in SIGNAL_TYPES.values()]
