"""initial schema: sources, lineage, documents with kind details, NLP tables, analyst views

Revision ID: 0001
Revises:
Create Date: 2026-11-25 15:43:22.435421

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VIEWS = {
    "v_documents": """
        SELECT d.id AS document_id, d.kind, s.name AS source, d.external_id, d.title,
               d.summary, d.url, d.published, d.iso_week, d.language,
               d.canonical_id, d.canonical_id IS NOT NULL AS is_duplicate,
               p.doi, p.pmid, p.journal, pt.publication_number, fc.identifier AS call_identifier,
               fc.deadline, pr.project_id, pr.acronym, n.outlet,
               d.first_seen, d.last_seen
        FROM documents d
        JOIN sources s ON s.id = d.source_id
        LEFT JOIN publications p ON p.document_id = d.id
        LEFT JOIN patents pt ON pt.document_id = d.id
        LEFT JOIN funding_calls fc ON fc.document_id = d.id
        LEFT JOIN projects pr ON pr.document_id = d.id
        LEFT JOIN news_items n ON n.document_id = d.id
    """,
    "v_weekly_signals": """
        SELECT sg.iso_week, COALESCE(t.key, 'untagged') AS topic, d.kind, sg.signal_type,
               COUNT(*) AS signal_count
        FROM signals sg
        JOIN documents d ON d.id = sg.document_id
        LEFT JOIN document_topics dt ON dt.document_id = d.id
        LEFT JOIN topics t ON t.id = dt.topic_id
        WHERE d.canonical_id IS NULL
        GROUP BY sg.iso_week, COALESCE(t.key, 'untagged'), d.kind, sg.signal_type
    """,
    "v_entity_trends": """
        SELECT e.id AS entity_id, e.label, e.canonical_name AS entity, d.iso_week,
               COUNT(*) AS mentions, COUNT(DISTINCT d.id) AS documents
        FROM mentions mn
        JOIN entities e ON e.id = mn.entity_id
        JOIN documents d ON d.id = mn.document_id
        WHERE d.iso_week IS NOT NULL AND d.canonical_id IS NULL
        GROUP BY e.id, e.label, e.canonical_name, d.iso_week
    """,
    "v_open_calls": """
        SELECT d.id AS document_id, fc.identifier, d.title, fc.programme, fc.status,
               fc.opening_date, fc.deadline, fc.budget_eur, d.url, s.name AS source
        FROM funding_calls fc
        JOIN documents d ON d.id = fc.document_id
        JOIN sources s ON s.id = d.source_id
        WHERE fc.deadline >= CURRENT_DATE
        ORDER BY fc.deadline, fc.identifier
    """,
    "v_project_outputs": """
        SELECT pr.project_id, pr.acronym, pr.programme_code, pd.title AS project_title,
               od.id AS document_id, od.kind, od.title, od.published, od.url,
               l.method, l.confidence, l.found_at
        FROM document_links l
        JOIN projects pr ON pr.document_id = l.from_document_id
        JOIN documents pd ON pd.id = pr.document_id
        JOIN documents od ON od.id = l.to_document_id
        WHERE l.link_type = 'project_output'
    """,
}


def upgrade() -> None:
    """Upgrade schema."""

    op.create_table(
        "digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile", sa.String(length=64), nullable=False),
        sa.Column("iso_week", sa.String(length=8), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "stats",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digests")),
        sa.UniqueConstraint("profile", "iso_week", name=op.f("uq_digests_profile_iso_week")),
    )
    op.create_table(
        "entities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=32), nullable=False),
        sa.Column("canonical_name", sa.Text(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("country", sa.String(length=8), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entities")),
        sa.UniqueConstraint("label", "key", name=op.f("uq_entities_label_key")),
    )
    op.create_table(
        "load_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_load_runs")),
    )
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=True),
        sa.Column("endpoint", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("name", name=op.f("uq_sources_name")),
    )
    op.create_table(
        "topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topics")),
        sa.UniqueConstraint("key", name=op.f("uq_topics_key")),
    )
    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=True),
        sa.Column("window_end", sa.Date(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("items_received", sa.Integer(), nullable=False),
        sa.Column("items_rejected", sa.Integer(), nullable=False),
        sa.Column(
            "stats",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("output_path", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_crawl_runs_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crawl_runs")),
    )
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_crawl_runs_source_id"), ["source_id"], unique=False)

    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=512), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("iso_week", sa.String(length=8), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "extra",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("canonical_id", sa.Integer(), nullable=True),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("enriched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("load_run_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["canonical_id"],
            ["documents.id"],
            name=op.f("fk_documents_canonical_id_documents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["load_run_id"],
            ["load_runs.id"],
            name=op.f("fk_documents_load_run_id_load_runs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_documents_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint(
            "source_id", "external_id", name=op.f("uq_documents_source_id_external_id")
        ),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_documents_canonical_id"), ["canonical_id"], unique=False
        )
        batch_op.create_index("ix_documents_kind_iso_week", ["kind", "iso_week"], unique=False)
        batch_op.create_index("ix_documents_published", ["published"], unique=False)

    op.create_table(
        "entity_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.Text(), nullable=False),
        sa.Column("alias_key", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_entity_aliases_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_aliases")),
        sa.UniqueConstraint(
            "entity_id", "alias_key", name=op.f("uq_entity_aliases_entity_id_alias_key")
        ),
    )
    with op.batch_alter_table("entity_aliases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_entity_aliases_alias_key"), ["alias_key"], unique=False
        )

    op.create_table(
        "rejected_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("load_run_id", sa.Integer(), nullable=True),
        sa.Column("source_name", sa.String(length=64), nullable=True),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["load_run_id"],
            ["load_runs.id"],
            name=op.f("fk_rejected_records_load_run_id_load_runs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rejected_records")),
        sa.UniqueConstraint(
            "content_hash",
            "origin",
            "line_number",
            name=op.f("uq_rejected_records_content_hash_origin_line_number"),
        ),
    )
    with op.batch_alter_table("rejected_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rejected_records_load_run_id"), ["load_run_id"], unique=False
        )

    op.create_table(
        "document_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_document_id", sa.Integer(), nullable=False),
        sa.Column("to_document_id", sa.Integer(), nullable=False),
        sa.Column("link_type", sa.String(length=32), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column(
            "evidence",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["from_document_id"],
            ["documents.id"],
            name=op.f("fk_document_links_from_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_document_id"],
            ["documents.id"],
            name=op.f("fk_document_links_to_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_links")),
        sa.UniqueConstraint(
            "from_document_id",
            "to_document_id",
            "link_type",
            name=op.f("uq_document_links_from_document_id_to_document_id_link_type"),
        ),
    )
    with op.batch_alter_table("document_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_links_from_document_id"), ["from_document_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_document_links_to_document_id"), ["to_document_id"], unique=False
        )

    op.create_table(
        "document_topics",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column(
            "evidence",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_topics_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topics.id"],
            name=op.f("fk_document_topics_topic_id_topics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", "topic_id", name=op.f("pk_document_topics")),
    )
    with op.batch_alter_table("document_topics", schema=None) as batch_op:
        batch_op.create_index("ix_document_topics_topic_id", ["topic_id"], unique=False)

    op.create_table(
        "funding_calls",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("identifier", sa.String(length=255), nullable=False),
        sa.Column("programme", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=True),
        sa.Column("opening_date", sa.Date(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column(
            "deadlines",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("budget_eur", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_funding_calls_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_funding_calls")),
    )
    with op.batch_alter_table("funding_calls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_funding_calls_deadline"), ["deadline"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_funding_calls_identifier"), ["identifier"], unique=False
        )

    op.create_table(
        "grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("funder", sa.String(length=255), nullable=False),
        sa.Column("grant_id", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_grants_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grants")),
        sa.UniqueConstraint(
            "document_id", "funder", "grant_id", name=op.f("uq_grants_document_id_funder_grant_id")
        ),
    )
    with op.batch_alter_table("grants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grants_grant_id"), ["grant_id"], unique=False)

    op.create_table(
        "mentions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("start_char", sa.Integer(), nullable=False),
        sa.Column("end_char", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_mentions_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_mentions_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentions")),
        sa.UniqueConstraint(
            "document_id",
            "entity_id",
            "start_char",
            name=op.f("uq_mentions_document_id_entity_id_start_char"),
        ),
    )
    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_mentions_entity_id_document_id", ["entity_id", "document_id"], unique=False
        )

    op.create_table(
        "news_items",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("outlet", sa.String(length=255), nullable=True),
        sa.Column("author", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_news_items_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_news_items")),
    )
    op.create_table(
        "patents",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("publication_number", sa.String(length=64), nullable=False),
        sa.Column(
            "applicants",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "inventors",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "cpc",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("priority_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_patents_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_patents")),
    )
    with op.batch_alter_table("patents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_patents_publication_number"), ["publication_number"], unique=False
        )

    op.create_table(
        "project_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("country", sa.String(length=8), nullable=True),
        sa.Column("role", sa.String(length=64), nullable=True),
        sa.Column("ec_contribution_eur", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_project_participants_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_project_participants_entity_id_entities"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_participants")),
    )
    with op.batch_alter_table("project_participants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_project_participants_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_project_participants_entity_id"), ["entity_id"], unique=False
        )

    op.create_table(
        "projects",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.String(length=64), nullable=False),
        sa.Column("acronym", sa.String(length=255), nullable=True),
        sa.Column("programme_code", sa.String(length=128), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("ec_contribution_eur", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("coordinator", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_projects_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_projects")),
    )
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_projects_programme_code"), ["programme_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_projects_project_id"), ["project_id"], unique=False)

    op.create_table(
        "publications",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("doi", sa.String(length=255), nullable=True),
        sa.Column("pmid", sa.String(length=32), nullable=True),
        sa.Column("journal", sa.Text(), nullable=True),
        sa.Column(
            "authors",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_publications_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_publications")),
    )
    with op.batch_alter_table("publications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_publications_doi"), ["doi"], unique=False)
        batch_op.create_index(batch_op.f("ix_publications_pmid"), ["pmid"], unique=False)

    op.create_table(
        "raw_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("crawl_run_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=128), nullable=True),
        sa.Column("payload", sa.LargeBinary(), nullable=True),
        sa.Column("landing_path", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["crawl_run_id"],
            ["crawl_runs.id"],
            name=op.f("fk_raw_records_crawl_run_id_crawl_runs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_raw_records_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_raw_records")),
        sa.UniqueConstraint(
            "source_id", "content_hash", name=op.f("uq_raw_records_source_id_content_hash")
        ),
    )
    with op.batch_alter_table("raw_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_raw_records_crawl_run_id"), ["crawl_run_id"], unique=False
        )

    op.create_table(
        "signals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("signal_type", sa.String(length=32), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("iso_week", sa.String(length=8), nullable=False),
        sa.Column("amount_eur", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column(
            "evidence",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_signals_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signals")),
        sa.UniqueConstraint(
            "document_id",
            "signal_type",
            "fingerprint",
            name=op.f("uq_signals_document_id_signal_type_fingerprint"),
        ),
    )
    with op.batch_alter_table("signals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signals_document_id"), ["document_id"], unique=False)
        batch_op.create_index(
            "ix_signals_iso_week_signal_type", ["iso_week", "signal_type"], unique=False
        )

    for name, sql in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {sql}")


def downgrade() -> None:
    """Downgrade schema."""
    for name in reversed(list(VIEWS)):
        op.execute(f"DROP VIEW IF EXISTS {name}")

    with op.batch_alter_table("signals", schema=None) as batch_op:
        batch_op.drop_index("ix_signals_iso_week_signal_type")
        batch_op.drop_index(batch_op.f("ix_signals_document_id"))

    op.drop_table("signals")
    with op.batch_alter_table("raw_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_raw_records_crawl_run_id"))

    op.drop_table("raw_records")
    with op.batch_alter_table("publications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publications_pmid"))
        batch_op.drop_index(batch_op.f("ix_publications_doi"))

    op.drop_table("publications")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_projects_project_id"))
        batch_op.drop_index(batch_op.f("ix_projects_programme_code"))

    op.drop_table("projects")
    with op.batch_alter_table("project_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_participants_entity_id"))
        batch_op.drop_index(batch_op.f("ix_project_participants_document_id"))

    op.drop_table("project_participants")
    with op.batch_alter_table("patents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patents_publication_number"))

    op.drop_table("patents")
    op.drop_table("news_items")
    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.drop_index("ix_mentions_entity_id_document_id")

    op.drop_table("mentions")
    with op.batch_alter_table("grants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grants_grant_id"))

    op.drop_table("grants")
    with op.batch_alter_table("funding_calls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_funding_calls_identifier"))
        batch_op.drop_index(batch_op.f("ix_funding_calls_deadline"))

    op.drop_table("funding_calls")
    with op.batch_alter_table("document_topics", schema=None) as batch_op:
        batch_op.drop_index("ix_document_topics_topic_id")

    op.drop_table("document_topics")
    with op.batch_alter_table("document_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_links_to_document_id"))
        batch_op.drop_index(batch_op.f("ix_document_links_from_document_id"))

    op.drop_table("document_links")
    with op.batch_alter_table("rejected_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rejected_records_load_run_id"))

    op.drop_table("rejected_records")
    with op.batch_alter_table("entity_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entity_aliases_alias_key"))

    op.drop_table("entity_aliases")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index("ix_documents_published")
        batch_op.drop_index("ix_documents_kind_iso_week")
        batch_op.drop_index(batch_op.f("ix_documents_canonical_id"))

    op.drop_table("documents")
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crawl_runs_source_id"))

    op.drop_table("crawl_runs")
    op.drop_table("topics")
    op.drop_table("sources")
    op.drop_table("load_runs")
    op.drop_table("entities")
    op.drop_table("digests")
