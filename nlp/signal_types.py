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
    market: bool  # reported in the digest's market section (in news: only when reported)
    uptake: bool  # a project organisation acting in it counts as uptake
    kinds: tuple[str, ...] = ("news",)  # document kinds the rule reads
    rule: str | None = None  # its detector in nlp/detect.py (DETECTORS); None: written elsewhere
    # Which type wins a tie of cue votes in a story's primary reading (nlp/primary.py),
    # lowest first; types that a story can report have one.
    precedence: int | None = None


SIGNAL_TYPES: dict[str, SignalType] = {
    t.key: t
    for t in (
        # Money changed hands before a deal, a deal before a plant, a call last.
        SignalType(
            "funding_round", "Funding rounds", True, True, rule="funding_round", precedence=1
        ),
        SignalType("partnership", "Partnerships", True, True, rule="partnership", precedence=3),
        SignalType("acquisition", "Acquisitions", True, True, rule="acquisition", precedence=2),
        SignalType(
            "regulatory_approval",
            "Regulatory approvals",
            True,
            True,
            rule="regulatory_approval",
            precedence=5,
        ),
        SignalType(
            "facility_opening",
            "Facility openings",
            True,
            True,  # a partner producing at scale is uptake, as much as a funding round
            rule="facility_opening",
            precedence=4,
        ),
        SignalType(
            "funding_call",
            "Funding calls",
            False,
            False,
            ("funding_call", "news"),
            "funding_call",
            precedence=6,
        ),
        SignalType(
            "patent_publication", "Patents", False, False, ("patent",), "patent_publication"
        ),
    )
}
MARKET_SIGNALS = {key: t.label for key, t in SIGNAL_TYPES.items() if t.market}
UPTAKE_SIGNALS = tuple(key for key, t in SIGNAL_TYPES.items() if t.uptake)
# The events a story's primary reading can find, in the order that breaks a tie of votes.
EVENT_TYPES = tuple(
    t.key
    for t in sorted(SIGNAL_TYPES.values(), key=lambda t: t.precedence or 0)
    if t.precedence is not None
)


def registry_rows() -> list[tuple[str, str, bool, bool]]:
    """(key, label, market, uptake) per type: what the warehouse's signal_types table holds."""
    return [(t.key, t.label, t.market, t.uptake) for t in SIGNAL_TYPES.values()]
