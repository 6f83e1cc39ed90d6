"""The enrich step against a real warehouse (SQLite and PostgreSQL), blank pipeline."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import spacy
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from scintel.config import Settings
from scintel.enrich import enrich
from scintel.nlp.pipeline import build_pipeline, load_resources
from scintel.profile import Profile, load_profile
from scintel.spiders.landing import Partition
from scintel.storage import models as m
from scintel.storage.models import Base

PROFILE = Path(__file__).parent / "fixtures" / "nlp" / "profile"
ABSTRACT = (
    "We engineered an amine transaminase from Vibrio fluvialis by directed evolution, reaching "
    "40-fold higher activity in E. coli whole-cell biocatalysis. The enzyme cascade produced "
    "chiral amines at 50 g/L in fed-batch fermentation at the Technical University of Denmark."
)
PROJECT = {
    "kind": "project", "source": "cordis", "external_id": "101000794",
    "title": "Enzymatic routes to bio-based amines", "project_id": "101000794",
    "acronym": "AMINOZYME", "start_date": "2021-01-01", "end_date": "2024-12-31",
    "participants": [
        {"name": "Danmarks Tekniske Universitet", "country": "DK", "role": "coordinator"},
        {"name": "NOVOZYMES AS", "country": "DK", "role": "participant"},
        {"name": "Acme Biotech GmbH", "country": "Germany", "role": "participant"},
    ],
}  # fmt: skip
PAPER = {
    "kind": "publication", "source": "europepmc", "external_id": "MED:1",
    "title": "Engineered transaminases for chiral amine synthesis", "summary": ABSTRACT,
    "published": "2024-11-18", "doi": "10.1000/ABC", "grants": [{"id": "101000794"}],
}  # fmt: skip
PREPRINT = {
    "kind": "publication", "source": "biorxiv", "external_id": "10.1101/2024.1",
    "title": "Engineered transaminases for chiral amine synthesis",
    "summary": ABSTRACT.replace("40-fold", "forty-fold"), "published": "2024-10-02",
}  # fmt: skip
NEWS = {
    "kind": "news", "source": "news", "external_id": "https://news.example/acme",
    "url": "https://news.example/acme?utm_source=rss",
    "title": "Acme Biotech raises EUR 8 million",
    "summary": "Acme Biotech GmbH has raised EUR 8 million in a Series A round. "
               "BASF SE and Novozymes signed a partnership on transaminases.",
    "published": "2024-11-20",
}  # fmt: skip
NEWS_COPY = NEWS | {"source": "other_outlet", "external_id": "copy-1",
                    "url": "https://www.news.example/acme/"}  # fmt: skip
PATENT = {
    "kind": "patent", "source": "epo_ops", "external_id": "EP4123456A1",
    "title": "Transaminase variants", "summary": "Transaminase variants for chiral amines.",
    "publication_number": "EP4123456A1", "applicants": ["NOVOZYMES A/S"],
    "cpc": ["C12N9/1096"], "published": "2025-06-19",
}  # fmt: skip
CALL = {
    "kind": "funding_call", "source": "eu_funding", "external_id": "HORIZON-CL6-2027-01",
    "title": "Biotech routes to bio-based chemicals",
    "summary": "Call for proposals on biorefinery processes. Deadline: 17 February 2027.",
    "identifier": "HORIZON-CL6-2027-01", "status": "forthcoming",
}  # fmt: skip
ITEMS = [PROJECT, PAPER, PREPRINT, NEWS, NEWS_COPY, PATENT, CALL]


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile(str(PROFILE))


@pytest.fixture(scope="module")
def blank_nlp(profile: Profile) -> spacy.language.Language:
    return build_pipeline(load_resources(profile), base=spacy.blank("en"))


def write_landing(settings: Settings, items: list[dict[str, Any]], run: str = "r1") -> Path:
    partition = Partition(settings.landing_dir, "mixed", date(2024, 11, 20), run)
    partition.folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(i) for i in items] + ["{broken json"]
    partition.items.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return partition.items


def snapshot(engine: Engine, skip: set[str] = frozenset()) -> dict[str, list[tuple]]:
    """Every row of every table, for before/after comparisons."""
    with engine.connect() as conn:
        out = {}
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if c.name not in skip]
            rows = conn.execute(select(*columns).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(r) for r in rows]
        return out


def doc_id(session: Session, external_id: str) -> int:
    return session.execute(
        select(m.Document.id).where(m.Document.external_id == external_id)
    ).scalar_one()


def test_enrich_loads_documents_entities_topics_signals(settings, warehouse, profile, blank_nlp):
    write_landing(settings, [*ITEMS, CALL])
    summary = enrich(settings, profile, nlp=blank_nlp, batch_size=3)
    assert summary.received == 9 and summary.inserted == 7 and summary.rejected == 1
    assert summary.repeats == 1
    assert summary.enriched == 7 and summary.duplicates == 2
    with Session(warehouse) as s:
        paper, preprint = doc_id(s, "MED:1"), doc_id(s, "10.1101/2024.1")
        news, copy = doc_id(s, NEWS["external_id"]), doc_id(s, "copy-1")
        _project, patent = doc_id(s, "101000794"), doc_id(s, "EP4123456A1")
        # duplicates: linked to one canonical document, never deleted
        canon = dict(s.execute(select(m.Document.id, m.Document.canonical_id)).all())
        assert (canon[preprint] is None and canon[paper] == preprint) or canon[paper] is None
        duplicate_links = s.execute(
            select(
                m.DocumentLink.from_document_id,
                m.DocumentLink.to_document_id,
                m.DocumentLink.method,
            ).where(m.DocumentLink.link_type == "duplicate")
        ).all()
        assert (copy, news, "url") in duplicate_links
        assert {tuple(r[:2]) for r in duplicate_links} >= {(copy, news)}
        assert any(
            {a, b} == {paper, preprint} and how == "minhash" for a, b, how in duplicate_links
        )
        assert s.scalar(select(m.Document.id).where(m.Document.enriched_at.is_(None))) is None
        # mentions keyed to canonical entities; participants linked to the same entities
        mentions = s.execute(
            select(m.Entity.label, m.Entity.key, m.Mention.text, m.Mention.origin)
            .join(m.Entity, m.Entity.id == m.Mention.entity_id)
            .where(m.Mention.document_id == news)
        ).all()
        assert ("ORG", "novonesis", "Novozymes", "profile") in mentions
        assert ("TECHNOLOGY", "transaminases", "transaminases", "profile") in mentions
        money = s.execute(
            select(m.Mention.text, m.Mention.currency, m.Mention.amount, m.Mention.amount_eur)
            .join(m.Entity, m.Entity.id == m.Mention.entity_id)
            .where(m.Mention.document_id == news, m.Entity.label == "MONEY")
        ).all()
        assert len(money) == 2  # title and body, each with its amount, currency and EUR value
        assert {tuple(row) for row in money} == {("EUR 8 million", "EUR", 8_000_000, 8_000_000)}
        participants = dict(
            s.execute(
                select(m.ProjectParticipant.name, m.Entity.key).join(
                    m.Entity, m.Entity.id == m.ProjectParticipant.entity_id
                )
            ).all()
        )
        assert participants == {
            "Danmarks Tekniske Universitet": "technical university denmark",
            "NOVOZYMES AS": "novonesis",
            "Acme Biotech GmbH": "acme biotech",
        }
        # topics with evidence
        topics = dict(
            s.execute(
                select(m.Topic.key, m.DocumentTopic.evidence)
                .join(m.Topic, m.Topic.id == m.DocumentTopic.topic_id)
                .where(m.DocumentTopic.document_id == patent)
            ).all()
        )
        assert any(e.get("cpc") == "C12N9" for e in topics["enzymes_biocatalysis"])
        # signals
        signals = {(r.document_id, r.signal_type): r for r in s.execute(select(m.Signal)).scalars()}
        funding = signals[(news, "funding_round")]
        assert funding.amount_eur == 8000000 and funding.iso_week == "2024-W47"
        assert (news, "partnership") in signals
        assert (copy, "funding_round") not in signals  # duplicates carry no signals of their own
        assert (
            signals[(patent, "patent_publication")].evidence["publication_number"] == "EP4123456A1"
        )
        assert not [k for k in signals if k[1] == "project_output"]  # links, not signals
        assert (
            signals[(doc_id(s, CALL["external_id"]), "funding_call")].evidence["deadline"]
            == "2027-02-17"
        )
        # Output links belong to the impact step.
        assert not s.scalar(
            select(func.count())
            .select_from(m.DocumentLink)
            .where(m.DocumentLink.link_type == "project_output")
        )
        rejected = s.execute(select(m.RejectedRecord.line_number, m.RejectedRecord.reason)).all()
        assert rejected[0][0] == 9 and "invalid JSON" in rejected[0][1]


def test_rerun_changes_nothing(settings, warehouse, profile, blank_nlp):
    path = write_landing(settings, ITEMS)
    enrich(settings, profile, nlp=blank_nlp)
    before = snapshot(warehouse)
    again = enrich(settings, profile, nlp=blank_nlp)  # default: only files not yet enriched
    assert again.files == 0 and snapshot(warehouse) == before
    # Naming the file again: the loader sees it (last_seen, a load_runs row), nothing else moves.
    explicit = enrich(settings, profile, [path], nlp=blank_nlp)
    assert explicit.enriched == 0 and explicit.unchanged == 7 and explicit.inserted == 0
    after = snapshot(warehouse, skip={"last_seen"})
    expected = snapshot_of(before, skip_column="last_seen")
    assert {k: v for k, v in after.items() if k != "load_runs"} == expected
    assert len(after["load_runs"]) == len(before["load_runs"]) + 1


def snapshot_of(before: dict[str, list[tuple]], skip_column: str) -> dict:
    """`before` without one column of `documents` and without load_runs."""
    position = [c.name for c in m.Document.__table__.columns].index(skip_column)
    out = {k: v for k, v in before.items() if k != "load_runs"}
    out["documents"] = [r[:position] + r[position + 1 :] for r in before["documents"]]
    return out


def test_changed_item_is_enriched_again(settings, warehouse, profile, blank_nlp):
    enrich(settings, profile, [write_landing(settings, [NEWS])], nlp=blank_nlp)
    changed = NEWS | {"title": "Novozymes and BASF SE team up",
                      "summary": "Novozymes signed a partnership with BASF SE."}  # fmt: skip
    summary = enrich(settings, profile, [write_landing(settings, [changed], "r2")], nlp=blank_nlp)
    assert summary.updated == 1 and summary.enriched == 1
    with Session(warehouse) as s:
        news = doc_id(s, NEWS["external_id"])
        types = set(s.scalars(select(m.Signal.signal_type).where(m.Signal.document_id == news)))
        texts = set(s.scalars(select(m.Mention.text).where(m.Mention.document_id == news)))
    assert types == {"partnership"}
    assert "BASF SE" in texts and "transaminases" not in texts


def test_missing_file_and_missing_schema_are_clear(tmp_path, profile, blank_nlp):
    from sqlalchemy.engine import URL

    from scintel.errors import ScintelError

    settings = Settings(URL.create("sqlite", database=str(tmp_path / "empty.db")), tmp_path, "x")
    with pytest.raises(ScintelError, match="no such file"):
        enrich(settings, profile, [tmp_path / "nope.jsonl"], nlp=blank_nlp)
    with pytest.raises(ScintelError, match="scintel db upgrade"):
        enrich(settings, profile, nlp=blank_nlp)


def test_cli_enrich_with_the_real_model(settings, warehouse):
    """The command end to end: the bundled profile and the installed model."""
    from typer.testing import CliRunner

    from scintel.cli.app import app

    write_landing(settings, ITEMS)
    args = ["--database-url", warehouse.url.render_as_string(hide_password=False),
            "--data-dir", str(settings.data_dir), "enrich"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "enrich" in result.output
    with warehouse.connect() as conn:
        labels = set(conn.execute(text("SELECT DISTINCT label FROM entities")).scalars())
        assert {"ORG", "TECHNOLOGY", "ORGANISM"} <= labels
        assert conn.execute(text("SELECT COUNT(*) FROM signals")).scalar() >= 4
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0
    assert [
        line.split("│")[2].strip() for line in again.output.splitlines() if "│ files" in line
    ] == ["0"]


def test_two_processes_store_the_same_rows(settings, warehouse, profile, blank_nlp, tmp_path):
    """Worker processes give the same warehouse content, and the database stays usable."""
    write_landing(settings, ITEMS)
    two = enrich(settings, profile, nlp=blank_nlp, batch_size=2, n_process=2)
    assert two.enriched == 7 and two.duplicates == 2
    with Session(warehouse) as s:
        rows = s.execute(
            select(m.Document.external_id, m.Entity.key, m.Mention.start_char)
            .join(m.Mention, m.Mention.document_id == m.Document.id)
            .join(m.Entity, m.Entity.id == m.Mention.entity_id)
            .order_by(m.Document.external_id, m.Mention.start_char, m.Entity.key)
        ).all()
        signals = sorted(s.execute(select(m.Signal.signal_type, m.Signal.fingerprint)).all())
    from sqlalchemy.engine import URL

    from scintel.storage import migrate
    from scintel.storage.engine import make_engine

    url = URL.create("sqlite", database=str(tmp_path / "one.db"))
    engine = make_engine(url)
    migrate.upgrade(engine)
    single = Settings(url, settings.data_dir, settings.profile)
    enrich(single, profile, [write_landing(settings, ITEMS, "r2")], nlp=blank_nlp, n_process=1)
    with Session(engine) as s:
        assert (
            rows
            == s.execute(
                select(m.Document.external_id, m.Entity.key, m.Mention.start_char)
                .join(m.Mention, m.Mention.document_id == m.Document.id)
                .join(m.Entity, m.Entity.id == m.Mention.entity_id)
                .order_by(m.Document.external_id, m.Mention.start_char, m.Entity.key)
            ).all()
        )
        assert signals == sorted(
            s.execute(select(m.Signal.signal_type, m.Signal.fingerprint)).all()
        )
    engine.dispose()


def test_default_run_takes_only_new_landing_files(settings, warehouse, profile, blank_nlp):
    write_landing(settings, [PAPER])
    assert enrich(settings, profile, nlp=blank_nlp).files == 1
    write_landing(settings, [PAPER, PATENT], "r2")
    second = enrich(settings, profile, nlp=blank_nlp)
    assert (second.files, second.inserted, second.unchanged, second.enriched) == (1, 1, 1, 1)
    assert enrich(settings, profile, nlp=blank_nlp).files == 0


def test_nul_oversize_and_non_utf8_lines_are_rejects_alone_in_enrich(
    settings, warehouse, profile, blank_nlp
):
    """The enrich path loads through the same checks as `scintel load`: on PostgreSQL a NUL
    used to stop enrichment for good at that item; now each bad line is a reject with its
    reason and every good line is enriched, received = inserted + rejected."""
    path = write_landing(settings, ITEMS)
    bad = [
        json.dumps(PAPER | {"external_id": "MED:nul", "title": "Enzymes\u0000 at scale"}),
        json.dumps(PAPER | {"external_id": "MED:long", "pmid": "1" * 33}),
    ]
    latin1 = json.dumps(PAPER | {"external_id": "MED:latin1", "title": "café"}, ensure_ascii=False)
    with path.open("ab") as handle:
        handle.write(("\n".join(bad) + "\n").encode())
        handle.write(latin1.encode("latin-1") + b"\n")
        handle.write(json.dumps(NEWS | {"external_id": "after-the-bad-lines"}).encode() + b"\n")
    summary = enrich(settings, profile, nlp=blank_nlp)
    reasons = sorted(reason for _, _, reason in summary.rejects)
    assert len(reasons) == 4  # the broken JSON line write_landing adds, and the three above
    assert reasons[0].startswith("invalid JSON")
    assert reasons[1] == "not valid UTF-8: byte 0xe9 at character " + str(latin1.index("é") + 1)
    assert "pmid" in reasons[2] and "at most 32" in reasons[2]
    assert reasons[3].startswith("title: contains a NUL character")
    assert summary.received == len(ITEMS) + 1 + 4 == summary.inserted + summary.rejected
    assert summary.enriched == len(ITEMS) + 1


def test_the_signal_type_registry_is_written_for_the_views(settings, warehouse, profile, blank_nlp):
    from scintel.nlp.signal_types import SIGNAL_TYPES

    write_landing(settings, ITEMS)
    enrich(settings, profile, nlp=blank_nlp)
    with warehouse.connect() as conn:
        rows = conn.execute(text("SELECT key, label, market, uptake FROM signal_types")).all()
    expected = {(t.key, t.label, t.market, t.uptake) for t in SIGNAL_TYPES.values()}
    assert {(k, lb, bool(mk), bool(up)) for k, lb, mk, up in rows} == expected


def test_a_poorer_copy_keeps_the_abstract_and_its_mentions(settings, warehouse, profile, blank_nlp):
    """The loader keeps a stored abstract a later copy lacks; enrichment reads that abstract
    too, so the document's mentions still match its stored text."""
    write_landing(settings, ITEMS)
    enrich(settings, profile, nlp=blank_nlp)
    query = text(
        "SELECT d.summary, COUNT(mn.id) FROM documents d LEFT JOIN mentions mn"
        " ON mn.document_id = d.id WHERE d.external_id = 'MED:1' GROUP BY d.summary"
    )
    with warehouse.connect() as conn:
        summary, mentions = conn.execute(query).one()
    assert summary == ABSTRACT and mentions > 2
    lite = {k: v for k, v in PAPER.items() if k != "summary"} | {"title": PAPER["title"] + "."}
    write_landing(settings, [lite], run="r2")
    again = enrich(settings, profile, nlp=blank_nlp)
    assert again.updated == 1 and again.enriched == 1
    with warehouse.connect() as conn:
        assert conn.execute(query).one() == (ABSTRACT, mentions)
