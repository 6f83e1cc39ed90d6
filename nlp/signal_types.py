"""The warehouse's signal types, in one place: what each means, its digest heading, whether
it is a market event a project organisation can take part in (uptake), and how a story's
primary reading votes for it.

Detection (nlp/detect.py), the primary reading (nlp/primary.py), the digest's sections and
the docs read this table; the enrich step writes it into the warehouse's signal_types table,
whose `uptake` flag the impact views read, so a new type needs no migration. It imports
nothing heavy, so the digest does not load spaCy for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# What a cue's sentence must hold for its vote to count in the primary reading:
# an amount, two organisations, an approving authority, a figure (an amount, a percentage
# or a growth rate), or nothing more than the cue.
Needs = Literal["amount", "two_orgs", "authority", "figure", "cue"]


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
    needs: Needs = "cue"
    # The annotation guide's type (../shared/ANNOTATION.md) the event falls under, which
    # `scintel annotate` reports as the signal's `type`: a licence is an agreement between
    # parties, a forecast, a proposal or a standard is no event the guide types.
    guide: str | None = None

    @property
    def guide_type(self) -> str:
        return self.guide or self.key


SIGNAL_TYPES: dict[str, SignalType] = {
    t.key: t
    for t in (
        # Money changed hands before a deal, a deal before a plant, a call after the events;
        # what the guide does not type (forecasts, proposals, standards) loses every tie.
        SignalType(
            "funding_round",
            "Funding rounds",
            True,
            True,
            rule="funding_round",
            precedence=1,
            needs="amount",
        ),
        SignalType(
            "partnership",
            "Partnerships",
            True,
            True,
            rule="partnership",
            precedence=3,
            needs="two_orgs",
        ),
        SignalType(
            "acquisition",
            "Acquisitions",
            True,
            True,
            rule="acquisition",
            precedence=2,
            needs="two_orgs",
        ),
        SignalType(
            "licensing",
            "Licensing deals",
            True,
            True,  # a partner licensing its technology out (or in) is uptake
            rule="licensing",
            precedence=4,
            guide="partnership",
        ),
        SignalType(
            "regulatory_approval",
            "Regulatory approvals",
            True,
            True,
            rule="regulatory_approval",
            precedence=6,
            needs="authority",
        ),
        SignalType(
            "facility_opening",
            "Facility openings",
            True,
            True,  # a partner producing at scale is uptake, as much as a funding round
            rule="facility_opening",
            precedence=5,
        ),
        SignalType(
            "product_launch",
            "Product launches and commercial production",
            True,
            True,  # a partner's product on the market is uptake
            rule="product_launch",
            precedence=7,
            guide="none",
        ),
        SignalType(
            "funding_call",
            "Funding calls",
            False,
            False,
            ("funding_call", "news"),
            "funding_call",
            precedence=8,
        ),
        SignalType(
            "policy_proposal",
            "Policy and regulation proposals",
            True,
            False,  # an authority proposes; no organisation takes anything up
            rule="policy_proposal",
            precedence=9,
            needs="authority",
            guide="none",
        ),
        SignalType(
            "standardisation",
            "Standards",
            True,
            False,  # a standards body publishes; its members are no uptake of a project
            rule="standardisation",
            precedence=10,
            guide="none",
        ),
        SignalType(
            "market_forecast",
            "Market forecasts",
            True,
            False,  # an estimate of a market, nobody's act
            rule="market_forecast",
            precedence=11,
            needs="figure",
            guide="none",
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
# The guide's types among them: what a primary signal's `type` can be besides "none".
GUIDE_TYPES = tuple(
    dict.fromkeys(
        SIGNAL_TYPES[k].guide_type for k in EVENT_TYPES if SIGNAL_TYPES[k].guide_type != "none"
    )
)


def registry_rows() -> list[tuple[str, str, bool, bool]]:
    """(key, label, market, uptake) per type: what the warehouse's signal_types table holds."""
    return [(t.key, t.label, t.market, t.uptake) for t in SIGNAL_TYPES.values()]
