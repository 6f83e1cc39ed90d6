"""Warehouse tables. Natural keys make every load idempotent; see docs/warehouse.md."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scintel.storage.base import Base, utcnow

Money = Numeric(18, 2)
# JSON whose Python None is SQL NULL (not JSON null), so "nothing" reads the same however
# it was written.
NullableJSON = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


class Source(Base):
    """A crawlable service (one spider) or another origin of records."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str | None] = mapped_column(String(32))
    endpoint: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CrawlRun(Base):
    """Lineage of one crawl of one source over one window."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    window_start: Mapped[date | None] = mapped_column(Date)
    window_end: Mapped[date | None] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="running")
    pages: Mapped[int] = mapped_column(default=0)
    items_received: Mapped[int] = mapped_column(default=0)
    items_rejected: Mapped[int] = mapped_column(default=0)
    stats: Mapped[dict[str, Any] | None]
    output_path: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)


class LoadRun(Base):
    """One file (or batch of enriched items) loaded into the warehouse, with its counts."""

    __tablename__ = "load_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    step: Mapped[str] = mapped_column(String(16), default="load")
    path: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    received: Mapped[int] = mapped_column(default=0)
    inserted: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    repeats: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)


class RawRecord(Base):
    """A raw response as received: where its body lies in the landing zone (`landing_path`),
    its sha256, URL and type, so a document can be traced to the response it came from and
    parsers fixed by reprocessing. The loader writes one row per body its items name;
    `payload` is left empty (the body stays on disk)."""

    __tablename__ = "raw_records"
    __table_args__ = (UniqueConstraint("source_id", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    crawl_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("crawl_runs.id", ondelete="SET NULL"), index=True
    )
    url: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
    content_hash: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str | None] = mapped_column(String(128))
    payload: Mapped[bytes | None] = mapped_column(LargeBinary)
    landing_path: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="ok")
    error: Mapped[str | None] = mapped_column(Text)


class RejectedRecord(Base):
    """An item that failed validation, kept verbatim with the reason."""

    __tablename__ = "rejected_records"
    __table_args__ = (UniqueConstraint("content_hash", "origin", "line_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    load_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("load_runs.id", ondelete="SET NULL"), index=True
    )
    source_name: Mapped[str | None] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(Text)
    line_number: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class Document(Base):
    """Any record of any kind; `external_id` is its natural key within its source."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("source_id", "external_id"),
        Index("ix_documents_kind_iso_week", "kind", "iso_week"),
        Index("ix_documents_published", "published"),
        # Duplicates are few: index only them, so `canonical_id IS NULL` never looks selective.
        Index(
            "ix_documents_canonical_id",
            "canonical_id",
            sqlite_where=text("canonical_id IS NOT NULL"),
            postgresql_where=text("canonical_id IS NOT NULL"),
        ),
        # Canonical documents by week: the digest's and the weekly views' access path.
        Index(
            "ix_documents_canonical_week",
            "iso_week",
            "kind",
            "id",
            sqlite_where=text("canonical_id IS NULL"),
            postgresql_where=text("canonical_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(512))
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date)
    iso_week: Mapped[str | None] = mapped_column(String(8))
    language: Mapped[str | None] = mapped_column(String(16))
    content_hash: Mapped[str] = mapped_column(String(64))
    extra: Mapped[dict[str, Any] | None]
    canonical_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL")
    )
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    enriched_at: Mapped[datetime | None]
    load_run_id: Mapped[int | None] = mapped_column(ForeignKey("load_runs.id", ondelete="SET NULL"))
    # The raw_records row of the response the current content was parsed from. A plain
    # indexed column: SQLite cannot add a foreign key to a table without copying it, which
    # would break the views on documents; raw records are never deleted by scintel.
    raw_record_id: Mapped[int | None] = mapped_column(index=True)

    source: Mapped[Source] = relationship()


class Publication(Base):
    __tablename__ = "publications"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    doi: Mapped[str | None] = mapped_column(String(255), index=True)
    pmid: Mapped[str | None] = mapped_column(String(32), index=True)
    pmcid: Mapped[str | None] = mapped_column(String(32), index=True)
    journal: Mapped[str | None] = mapped_column(Text)
    authors: Mapped[list[Any] | None]


class Grant(Base):
    """A grant acknowledged by a publication: the harvested link to funded projects."""

    __tablename__ = "grants"
    __table_args__ = (UniqueConstraint("document_id", "funder", "grant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    funder: Mapped[str] = mapped_column(String(255), default="")
    grant_id: Mapped[str] = mapped_column(String(128), index=True)


class Patent(Base):
    """A patent publication; `family_id` is the EPO's DOCDB family (members share their
    priorities), `priority_claims` the filings it claims ({number, date, country})."""

    __tablename__ = "patents"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    publication_number: Mapped[str] = mapped_column(String(64), index=True)
    applicants: Mapped[list[Any] | None]
    inventors: Mapped[list[Any] | None]
    cpc: Mapped[list[Any] | None]
    priority_date: Mapped[date | None] = mapped_column(Date)
    family_id: Mapped[str | None] = mapped_column(String(32), index=True)
    priority_claims: Mapped[list[Any] | None]


class PatentPriority(Base):
    """A filing a patent claims, or its own application (a later family member may claim
    it), keyed as dedup matches family members across offices: the filing day and the
    serial's last six digits (`1998-11-12/010536`), with the office when known."""

    __tablename__ = "patent_priorities"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(24), primary_key=True, index=True)
    office: Mapped[str | None] = mapped_column(String(2))


class FundingCall(Base):
    __tablename__ = "funding_calls"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    identifier: Mapped[str] = mapped_column(String(255), index=True)
    programme: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(32))
    opening_date: Mapped[date | None] = mapped_column(Date)
    deadline: Mapped[date | None] = mapped_column(Date, index=True)
    deadlines: Mapped[list[Any] | None]
    budget_eur: Mapped[Decimal | None] = mapped_column(Money)


class Project(Base):
    __tablename__ = "projects"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    project_id: Mapped[str] = mapped_column(String(64), index=True)
    acronym: Mapped[str | None] = mapped_column(String(255))
    programme_code: Mapped[str | None] = mapped_column(String(128), index=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    ec_contribution_eur: Mapped[Decimal | None] = mapped_column(Money)
    coordinator: Mapped[str | None] = mapped_column(Text)


class ProjectParticipant(Base):
    __tablename__ = "project_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(8))
    role: Mapped[str | None] = mapped_column(String(64))
    ec_contribution_eur: Mapped[Decimal | None] = mapped_column(Money)
    entity_id: Mapped[int | None] = mapped_column(
        ForeignKey("entities.id", ondelete="SET NULL"), index=True
    )
    # The CORDIS participant identification code (organisationID): the organisation's key.
    pic: Mapped[str | None] = mapped_column(String(16))


class NewsItem(Base):
    __tablename__ = "news_items"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    outlet: Mapped[str | None] = mapped_column(String(255))
    author: Mapped[str | None] = mapped_column(Text)


class DocumentLink(Base):
    """A typed, explainable link between two documents (project output, duplicate)."""

    __tablename__ = "document_links"
    __table_args__ = (UniqueConstraint("from_document_id", "to_document_id", "link_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    from_document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    to_document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    link_type: Mapped[str] = mapped_column(String(32))
    method: Mapped[str] = mapped_column(String(32))
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    evidence: Mapped[dict[str, Any] | None]
    found_at: Mapped[datetime] = mapped_column(default=utcnow)


class Entity(Base):
    """A canonical thing the field talks about: an organisation, technology, organism..."""

    __tablename__ = "entities"
    __table_args__ = (UniqueConstraint("label", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(32))
    canonical_name: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(String(255))
    country: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class EntityAlias(Base):
    __tablename__ = "entity_aliases"
    __table_args__ = (UniqueConstraint("entity_id", "alias_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(Text)
    alias_key: Mapped[str] = mapped_column(String(255), index=True)


class Mention(Base):
    __tablename__ = "mentions"
    __table_args__ = (
        UniqueConstraint("document_id", "entity_id", "start_char"),
        Index("ix_mentions_entity_id_document_id", "entity_id", "document_id"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    start_char: Mapped[int]
    end_char: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    origin: Mapped[str | None] = mapped_column(String(16))
    # MONEY mentions: the amount as written, its ISO 4217 currency, and EUR at the document's date.
    currency: Mapped[str | None] = mapped_column(String(3))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(20, 2))
    amount_eur: Mapped[Decimal | None] = mapped_column(Numeric(20, 2))


class SignalTypeRow(Base):
    """The signal type registry (scintel/nlp/signal_types.py) as rows, written by the enrich
    step: views read its flags (uptake), so a new type needs no migration."""

    __tablename__ = "signal_types"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    label: Mapped[str] = mapped_column(String(64))
    market: Mapped[bool]
    uptake: Mapped[bool]


class Topic(Base):
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)


class DocumentTopic(Base):
    __tablename__ = "document_topics"
    __table_args__ = (Index("ix_document_topics_topic_id", "topic_id"),)

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True
    )
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[list[Any] | None]


class Signal(Base):
    """A typed event found in a document (funding round, partnership, new call...)."""

    __tablename__ = "signals"
    __table_args__ = (
        UniqueConstraint("document_id", "signal_type", "fingerprint"),
        Index("ix_signals_iso_week_signal_type", "iso_week", "signal_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    signal_type: Mapped[str] = mapped_column(String(32))
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    score: Mapped[float] = mapped_column(Float)
    iso_week: Mapped[str] = mapped_column(String(8))
    amount_eur: Mapped[Decimal | None] = mapped_column(Money)
    evidence: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DocumentFingerprint(Base):
    """What dedup compares: normalised-text hash, canonical URL, MinHash signature, the
    document's own identifiers (DOI, PMID, PMCID as its source gave them), title-and-author
    key and completeness (a bit per field present). `filled` names the identifiers dedup
    copied into the document's detail row from a twin, to take them back when another copy
    becomes canonical."""

    __tablename__ = "document_fingerprints"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    text_hash: Mapped[str] = mapped_column(String(64), index=True)
    url_key: Mapped[str | None] = mapped_column(String(512), index=True)
    doi: Mapped[str | None] = mapped_column(String(255), index=True)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    published: Mapped[date | None] = mapped_column(Date, index=True)
    pmid: Mapped[str | None] = mapped_column(String(32), index=True)
    pmcid: Mapped[str | None] = mapped_column(String(32), index=True)
    title_key: Mapped[str | None] = mapped_column(String(64), index=True)
    completeness: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    filled: Mapped[dict[str, Any] | None] = mapped_column(NullableJSON)


class Digest(Base):
    """An issued weekly digest, archived as rendered."""

    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("profile", "iso_week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile: Mapped[str] = mapped_column(String(64))
    iso_week: Mapped[str] = mapped_column(String(8))
    html: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    stats: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


# --- project impact: organisations, partner network, clusters (scintel.impact) ----------


class Organisation(Base):
    """One organisation under its identity key (scintel.impact.identity: `pic:…`, `ror:…`,
    `name:<normalised>|<CC>`), with its ids, spellings, group and centrality."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    key_rule: Mapped[str] = mapped_column(String(16), default="name", server_default="name")
    pic: Mapped[str | None] = mapped_column(String(16), index=True)
    ror: Mapped[str | None] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(Text)
    names: Mapped[list[Any] | None]
    country: Mapped[str | None] = mapped_column(String(8))
    # The key of its group (curation): a plain column, as SQLite cannot add a foreign key
    # to a table other views read without copying it.
    group_key: Mapped[str | None] = mapped_column(String(255), index=True)
    entity_id: Mapped[int | None] = mapped_column(
        ForeignKey("entities.id", ondelete="SET NULL"), index=True
    )
    projects: Mapped[int] = mapped_column(default=0)
    patents: Mapped[int] = mapped_column(default=0)
    publications: Mapped[int] = mapped_column(default=0)
    degree: Mapped[int] = mapped_column(default=0)
    strength: Mapped[float] = mapped_column(Float, default=0.0)
    betweenness: Mapped[float] = mapped_column(Float, default=0.0)
    pagerank: Mapped[float] = mapped_column(Float, default=0.0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class OrganisationDocument(Base):
    """An organisation's part in a document: participant, applicant, affiliation, mentioned."""

    __tablename__ = "organisation_documents"
    __table_args__ = (Index("ix_organisation_documents_document_id", "document_id"),)

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(32), primary_key=True)


class OrganisationMerge(Base):
    """One join behind an organisation: the identity rule, the key it merged in and the
    evidence (names, countries, ids, the curation line). Reversed by a curation split."""

    __tablename__ = "organisation_merges"
    __table_args__ = (UniqueConstraint("organisation_id", "rule", "member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(32))
    member: Mapped[str] = mapped_column(String(255))
    evidence: Mapped[dict[str, Any] | None]


class OrganisationEdge(Base):
    """Weighted co-participation / co-application / co-authorship between two organisations."""

    __tablename__ = "organisation_edges"

    source_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    target_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    weight: Mapped[float] = mapped_column(Float)
    projects: Mapped[int] = mapped_column(default=0)
    patents: Mapped[int] = mapped_column(default=0)
    publications: Mapped[int] = mapped_column(default=0)


class Cluster(Base):
    """A group of monitored projects with similar topics and partners, named by its terms."""

    __tablename__ = "clusters"
    __table_args__ = (UniqueConstraint("profile", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile: Mapped[str] = mapped_column(String(64))
    number: Mapped[int]
    label: Mapped[str] = mapped_column(Text)
    top_terms: Mapped[list[Any] | None]
    topics: Mapped[list[Any] | None]
    size: Mapped[int] = mapped_column(default=0)
    method: Mapped[str] = mapped_column(String(32))
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClusterMember(Base):
    __tablename__ = "cluster_members"

    cluster_id: Mapped[int] = mapped_column(
        ForeignKey("clusters.id", ondelete="CASCADE"), primary_key=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    score: Mapped[float] = mapped_column(Float)


class ClusterCandidate(Base):
    """An organisation active in a cluster's topics that takes part in none of its projects."""

    __tablename__ = "cluster_candidates"

    cluster_id: Mapped[int] = mapped_column(
        ForeignKey("clusters.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[dict[str, Any] | None]


class ImpactRun(Base):
    """One run of an impact step, with its summary (counts, curation effect)."""

    __tablename__ = "impact_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile: Mapped[str] = mapped_column(String(64))
    step: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    summary: Mapped[dict[str, Any] | None]
