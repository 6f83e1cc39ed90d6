"""Analyst views answer the documented example queries on every backend."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from scintel.config import Settings
from scintel.impact.steps import link_outputs
from scintel.profile import load_profile
from scintel.storage import models as m
from scintel.storage.loader import load_file
from tests.test_loader import CALL, NEWS, PATENT, PROJECT, PUBLICATION, write_jsonl

DOC = Path(__file__).resolve().parent.parent / "docs" / "warehouse.md"


def documented_queries() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", DOC.read_text("utf-8"), flags=re.S)


@pytest.fixture
def populated(warehouse: Engine, tmp_path: Path) -> Engine:
    """A small warehouse: every kind, a closed and open call, a duplicate, NLP rows."""
    items = [
        PUBLICATION,
        PUBLICATION
        | {
            "external_id": "MED:2",
            "doi": None,
            "pmid": "2",
            "published": "2026-11-03",
            "title": "Fermentation of lignocellulose by Clostridium",
            "grants": [],
        },
        PROJECT,
        PATENT,
        CALL,
        CALL
        | {"external_id": "CALL-CLOSED", "identifier": "CALL-CLOSED", "deadline": "2020-01-01"},
        CALL | {"external_id": "CALL-SOON", "identifier": "CALL-SOON", "deadline": "2098-05-01"},
        NEWS,
        NEWS | {"external_id": "https://syndicated.example.com/copy", "outlet": "Syndicator"},
    ]
    load_file(warehouse, write_jsonl(tmp_path / "items.jsonl", items))
    settings = Settings(
        database_url=warehouse.url, data_dir=tmp_path / "var", profile="ket-biotech"
    )
    link_outputs(settings, load_profile("ket-biotech"))  # the impact step's output links
    with Session(warehouse) as s, s.begin():
        docs = {d.external_id: d for d in s.query(m.Document)}
        copy = docs["https://syndicated.example.com/copy"]
        copy.canonical_id = docs[NEWS["external_id"]].id
        enzymes = m.Topic(key="enzymes", name="Industrial enzymes and biocatalysis")
        ferment = m.Topic(key="fermentation", name="Bioprocessing and fermentation")
        novozymes = m.Entity(label="ORG", canonical_name="Novozymes", key="novozymes")
        basf = m.Entity(label="ORG", canonical_name="BASF", key="basf")
        clostridium = m.Entity(label="ORGANISM", canonical_name="Clostridium", key="clostridium")
        s.add_all([enzymes, ferment, novozymes, basf, clostridium])
        s.flush()
        pub, pub2, news = docs["MED:39876543"], docs["MED:2"], docs[NEWS["external_id"]]
        s.add_all(
            [
                m.DocumentTopic(
                    document_id=pub.id, topic_id=enzymes.id, score=0.9, evidence=["transaminase"]
                ),
                m.DocumentTopic(
                    document_id=pub2.id, topic_id=ferment.id, score=0.8, evidence=["fermentation"]
                ),
                m.DocumentTopic(
                    document_id=news.id, topic_id=enzymes.id, score=0.7, evidence=["enzyme"]
                ),
                m.DocumentTopic(
                    document_id=copy.id, topic_id=enzymes.id, score=0.7, evidence=["enzyme"]
                ),
                m.Mention(
                    document_id=news.id,
                    entity_id=novozymes.id,
                    start_char=0,
                    end_char=9,
                    text="Novozymes",
                ),
                m.Mention(
                    document_id=news.id, entity_id=basf.id, start_char=14, end_char=18, text="BASF"
                ),
                m.Mention(
                    document_id=pub.id,
                    entity_id=novozymes.id,
                    start_char=5,
                    end_char=14,
                    text="Novozymes",
                ),
                m.Mention(
                    document_id=copy.id, entity_id=basf.id, start_char=14, end_char=18, text="BASF"
                ),
                m.Mention(
                    document_id=pub2.id,
                    entity_id=clostridium.id,
                    start_char=30,
                    end_char=41,
                    text="Clostridium",
                ),
                m.Signal(
                    document_id=news.id, signal_type="partnership", score=0.8, iso_week="2026-W47"
                ),
                m.Signal(
                    document_id=copy.id, signal_type="partnership", score=0.8, iso_week="2026-W47"
                ),
                m.Signal(
                    document_id=pub.id, signal_type="funding_round", score=1.0, iso_week="2026-W47"
                ),
                m.Signal(
                    document_id=pub2.id,
                    signal_type="funding_round",
                    score=0.5,
                    iso_week="2026-W45",
                ),
            ]
        )
    return warehouse


def run(engine: Engine, sql: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def test_the_documentation_has_five_example_queries() -> None:
    assert len(documented_queries()) == 5


def test_open_calls_by_deadline(populated: Engine) -> None:
    rows = run(populated, documented_queries()[0])
    assert [r[0] for r in rows] == ["CALL-SOON", CALL["identifier"]]  # closed call left out
    assert [str(r[2]) for r in rows] == ["2098-05-01", "2099-02-17"]
    assert float(rows[0][3]) == 12_000_000


def test_signals_per_topic_and_week(populated: Engine) -> None:
    rows = run(populated, documented_queries()[1])
    # The syndicated copy is a duplicate: its partnership signal is not counted again.
    assert rows == [("2026-W45", "fermentation", 1), ("2026-W47", "enzymes", 2)]


def test_most_mentioned_organisations(populated: Engine) -> None:
    rows = run(populated, documented_queries()[2])
    assert rows == [("Novozymes", 2, 2), ("BASF", 1, 1)]


def test_project_outputs_by_kind_and_method(populated: Engine) -> None:
    rows = run(populated, documented_queries()[3])
    assert rows == [("AMINOZYME", "publication", "harvested", 1)]


def test_documents_per_source_and_kind(populated: Engine) -> None:
    rows = run(populated, documented_queries()[4])
    assert rows == [
        ("cordis", "project", 1),
        ("epo_ops", "patent", 1),
        ("eu_funding", "funding_call", 3),
        ("europepmc", "publication", 2),
        ("news", "news", 1),
    ]


def test_v_documents_exposes_kind_identifiers(populated: Engine) -> None:
    rows = run(
        populated,
        "SELECT kind, doi, publication_number, call_identifier, project_id, outlet, is_duplicate "
        "FROM v_documents WHERE external_id IN ('MED:39876543', 'EP4123456A1', '101000794') "
        "ORDER BY kind",
    )
    assert [(r[0], r[1], r[2], r[4], bool(r[6])) for r in rows] == [
        ("patent", None, "EP4123456A1", None, False),
        ("project", None, None, "101000794", False),
        ("publication", "10.1038/s41467-026-01234-5", None, None, False),
    ]


def test_v_entity_trends_counts_per_week(populated: Engine) -> None:
    rows = run(
        populated,
        "SELECT entity, iso_week, mentions FROM v_entity_trends ORDER BY iso_week, entity",
    )
    assert rows == [
        ("Clostridium", "2026-W45", 1),
        ("BASF", "2026-W47", 1),
        ("Novozymes", "2026-W47", 2),
    ]
