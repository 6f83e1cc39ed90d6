"""The `impact:` section of a watch profile: which programmes to follow and how to link them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ClusterSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # None: about one cluster per four projects, at least two.
    n_clusters: int | None = Field(default=None, ge=1)
    # Share of the similarity that comes from shared participants (the rest is text).
    participant_weight: float = Field(default=0.3, ge=0, le=1)
    top_terms: int = Field(default=5, ge=1, le=20)
    candidates_per_cluster: int = Field(default=10, ge=0)
    candidate_min_similarity: float = Field(default=0.1, ge=0, le=1)


class ImpactSpec(BaseModel):
    """Monitored programmes, link rules and the analysts' curation folder."""

    model_config = ConfigDict(extra="forbid")

    # CORDIS legal-basis codes, matched as prefixes at dot boundaries
    # ("H2020-EU.2.1.4" matches "H2020-EU.2.1.4." and "H2020-EU.2.1.4.;H2020-EU.3.2.6.").
    programmes: list[str] = Field(default_factory=lambda: ["H2020-EU.2.1.4"])
    curation: str | None = None
    patent_years_after_end: int = Field(default=3, ge=0, le=20)
    patent_min_similarity: float = Field(default=0.15, ge=0, le=1)
    # A patent classified only outside these CPC classes (e.g. A01D harvesters) is off-topic
    # however many words it shares with a project; unclassified patents rely on the text.
    patent_cpc: list[str] = Field(
        default_factory=lambda: [
            "A01H",
            "A01N",
            "A23",
            "A61K",
            "A61L",
            "B09B",
            "C02F",
            "C05F",
            "C07",
            "C08",
            "C09",
            "C10L",
            "C11",
            "C12",
            "C13",
            "C14",
            "D01F",
            "D21C",
            "G16B",
        ]
    )
    news_min_similarity: float = Field(default=0.1, ge=0, le=1)
    context_words: list[str] = Field(
        default_factory=lambda: [
            "project",
            "consortium",
            "horizon 2020",
            "h2020",
            "horizon europe",
            "eu-funded",
            "eu funded",
            "funded by the european",
            "grant agreement",
            "bbi ju",
            "cbe ju",
            "bio-based industries",
        ]
    )
    clusters: ClusterSpec = Field(default_factory=ClusterSpec)
