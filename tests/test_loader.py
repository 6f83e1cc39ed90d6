"""The loader: idempotent upserts, change detection, rejects with reasons, atomic files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from scintel.config import Settings
from scintel.impact.steps import link_outputs
from scintel.profile import load_profile
from scintel.storage import loader as loader_mod
from scintel.storage import models as m
from scintel.storage.loader import load_file

PUBLICATION = {
    "kind": "publication",
    "source": "europepmc",
    "external_id": "MED:39876543",
    "title": "Engineered transaminases for chiral amine synthesis",
    "summary": "We engineered an amine transaminase from Vibrio fluvialis for 40-fold activity.",
    "url": "https://europepmc.org/article/MED/39876543",
    "published": "2026-11-18",
    "doi": "10.1038/S41467-026-01234-5",
    "pmid": "39876543",
    "journal": "Nat Commun",
    "authors": ["Rossi M", "Jensen K"],
    "grants": [{"funder": "European Commission", "id": "101000794"}],
}
PROJECT = {
    "kind": "project",
    "source": "cordis",
    "external_id": "101000794",
    "title": "Enzymatic routes to bio-based amines",
    "project_id": "101000794",
    "acronym": "AMINOZYME",
    "programme_code": "H2020-EU.2.1.4",
    "start_date": "2021-01-01",
    "end_date": "2024-12-31",
    "ec_contribution_eur": 4999875.5,
    "coordinator": "Danmarks Tekniske Universitet",
    "participants": [
        {"name": "Danmarks Tekniske Universitet", "country": "DK", "role": "coordinator"},
        {"name": "Novozymes A/S", "country": "DK", "role": "participant"},
    ],
}
PATENT = {
    "kind": "patent",
    "source": "epo_ops",
    "external_id": "EP4123456A1",
    "title": "Transaminase variants",
    "publication_number": "EP4123456A1",
    "applicants": ["NOVOZYMES AS"],
    "inventors": ["JENSEN KARIN"],
    "cpc": ["C12N9/1096", "C12P13/001"],
    "priority_date": "2024-05-02",
    "published": "2026-11-19",
}
CALL = {
    "kind": "funding_call",
    "source": "eu_funding",
    "external_id": "HORIZON-CL6-2027-CIRCBIO-01-05",
    "title": "Biotech routes to circular bio-based chemicals",
    "identifier": "HORIZON-CL6-2027-CIRCBIO-01-05",
    "programme": "HORIZON",
    "status": "forthcoming",
    "opening_date": "2026-12-10",
    "deadline": "2099-02-17",
    "deadlines": ["2099-02-17", "2099-09-15"],
    "budget_eur": 12000000,
}
NEWS = {
    "kind": "news",
    "source": "news",
    "external_id": "https://www.example-biotech-news.com/2026/11/novozymes-partnership",
    "title": "Novozymes and BASF sign enzyme partnership",
    "outlet": "Example Biotech News",
    "author": "J. Doe",
    "published": "2026-11-20",
}
GOOD = [PUBLICATION, PROJECT, PATENT, CALL, NEWS]


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", "utf-8"
    )
    return path


def count(engine: Engine, model: type[m.Base]) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_first_load_inserts_every_kind_with_details(warehouse: Engine, tmp_path: Path) -> None:
    report = load_file(warehouse, write_jsonl(tmp_path / "a.jsonl", GOOD))
    assert report.as_dict() == {
        "received": 5,
        "inserted": 5,
        "updated": 0,
        "unchanged": 0,
        "repeats": 0,
        "rejected": 0,
    }
    with Session(warehouse) as s:
        pub = s.scalars(select(m.Publication)).one()
        assert pub.doi == "10.1038/s41467-026-01234-5"  # DOIs are case-insensitive: stored lower
        assert pub.authors == ["Rossi M", "Jensen K"]
        doc = s.get(m.Document, pub.document_id)
        assert doc is not None and doc.iso_week == "2026-W47" and doc.kind == "publication"
        assert s.scalars(select(m.Grant.grant_id)).all() == ["101000794"]
        project = s.scalars(select(m.Project)).one()
        assert project.acronym == "AMINOZYME" and float(project.ec_contribution_eur) == 4999875.5
        names = s.scalars(select(m.ProjectParticipant.name).order_by(m.ProjectParticipant.id))
        assert list(names) == ["Danmarks Tekniske Universitet", "Novozymes A/S"]
        call = s.scalars(select(m.FundingCall)).one()
        assert str(call.deadline) == "2099-02-17" and call.deadlines == ["2099-02-17", "2099-09-15"]
        assert s.scalars(select(m.Patent.cpc)).one() == ["C12N9/1096", "C12P13/001"]
        assert s.scalars(select(m.NewsItem.outlet)).one() == "Example Biotech News"
        assert {src.name for src in s.scalars(select(m.Source))} == {
            "europepmc",
            "cordis",
            "epo_ops",
            "eu_funding",
            "news",
        }


def test_loading_the_same_file_twice_inserts_nothing(warehouse: Engine, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", GOOD)
    load_file(warehouse, path)
    second = load_file(warehouse, path)
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 5)
    assert count(warehouse, m.Document) == 5
    assert count(warehouse, m.ProjectParticipant) == 2
    assert count(warehouse, m.Grant) == 1


def test_changed_content_is_an_update_and_replaces_child_rows(
    warehouse: Engine, tmp_path: Path
) -> None:
    load_file(warehouse, write_jsonl(tmp_path / "a.jsonl", GOOD))
    changed = PROJECT | {
        "title": "Enzymatic routes to bio-based amines (extended)",
        "participants": [{"name": "Novozymes A/S", "country": "DK", "role": "coordinator"}],
    }
    refetched = PUBLICATION | {"fetched_at": "2026-11-25T10:00:00Z"}
    report = load_file(warehouse, write_jsonl(tmp_path / "b.jsonl", [changed, refetched]))
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 1)
    with Session(warehouse) as s:
        assert s.scalars(select(m.ProjectParticipant.name)).all() == ["Novozymes A/S"]
        title = s.scalars(select(m.Document.title).where(m.Document.kind == "project")).one()
        assert title.endswith("(extended)")
        doc = s.scalars(select(m.Document).where(m.Document.kind == "project")).one()
        assert doc.last_seen >= doc.first_seen


def test_malformed_lines_are_rejected_with_reasons_and_the_rest_loads(
    warehouse: Engine, tmp_path: Path
) -> None:
    rows: list[object] = [
        PUBLICATION,
        "{not json",
        {"kind": "preprint", "source": "x", "external_id": "1", "title": "t"},
        {"kind": "patent", "source": "epo_ops", "external_id": "EP1", "title": "no number"},
        PROJECT | {"participants": "Novozymes"},
        {"source": "x", "external_id": "2", "title": "no kind"},
        "[1, 2, 3]",
        NEWS,
    ]
    report = load_file(warehouse, write_jsonl(tmp_path / "bad.jsonl", rows))
    assert (report.received, report.inserted, report.rejected) == (8, 2, 6)
    reasons = dict(report.rejects)
    assert reasons[2].startswith("invalid JSON")
    assert reasons[3] == "unknown kind: 'preprint'"
    assert "publication_number" in reasons[4] and "required" in reasons[4].lower()
    assert "participants" in reasons[5]
    assert reasons[6] == "missing field 'kind'"
    assert reasons[7] == "not a JSON object"
    with Session(warehouse) as s:
        stored = s.scalars(select(m.RejectedRecord).order_by(m.RejectedRecord.line_number)).all()
        assert [r.line_number for r in stored] == [2, 3, 4, 5, 6, 7]
        assert stored[0].payload == "{not json" and stored[0].origin.endswith("bad.jsonl")
    again = load_file(warehouse, write_jsonl(tmp_path / "bad.jsonl", rows))
    assert again.rejected == 6 and count(warehouse, m.RejectedRecord) == 6


def test_repeated_keys_in_a_file_keep_the_last_copy(warehouse: Engine, tmp_path: Path) -> None:
    rows = [NEWS, NEWS | {"title": "Novozymes and BASF sign a wider enzyme partnership"}]
    report = load_file(warehouse, write_jsonl(tmp_path / "dup.jsonl", rows))
    assert (report.received, report.inserted, report.repeats) == (2, 1, 1)
    with Session(warehouse) as s:
        assert "wider" in s.scalars(select(m.Document.title)).one()


def test_a_load_that_fails_midway_leaves_the_warehouse_unchanged(
    warehouse: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_file(warehouse, write_jsonl(tmp_path / "a.jsonl", [PUBLICATION]))
    rows = [NEWS | {"external_id": f"https://news.example.org/{i}"} for i in range(50)]
    calls = {"n": 0}
    original = loader_mod.Loader.write

    def crash_on_third_batch(self: loader_mod.Loader, items: list) -> object:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("killed")
        return original(self, items)

    monkeypatch.setattr(loader_mod.Loader, "write", crash_on_third_batch)
    with pytest.raises(RuntimeError, match="killed"):
        load_file(warehouse, write_jsonl(tmp_path / "b.jsonl", rows), batch_size=10)
    assert count(warehouse, m.Document) == 1
    assert count(warehouse, m.LoadRun) == 1


def test_grant_ids_link_publications_to_projects_in_either_order(
    warehouse: Engine, tmp_path: Path
) -> None:
    """The loader stores grants; the impact step turns them into output links, whichever
    of the paper and the project arrived first."""
    settings = Settings(
        database_url=warehouse.url, data_dir=tmp_path / "var", profile="ket-biotech"
    )
    profile = load_profile("ket-biotech")
    load_file(warehouse, write_jsonl(tmp_path / "pub.jsonl", [PUBLICATION]))
    link_outputs(settings, profile)
    assert count(warehouse, m.DocumentLink) == 0  # no project yet
    load_file(warehouse, write_jsonl(tmp_path / "proj.jsonl", [PROJECT]))
    link_outputs(settings, profile)
    with warehouse.connect() as conn:
        rows = conn.execute(
            text("SELECT project_id, acronym, kind, title, method FROM v_project_outputs")
        ).all()
    assert [tuple(r) for r in rows] == [
        ("101000794", "AMINOZYME", "publication", PUBLICATION["title"], "harvested")
    ]


def test_load_runs_record_counts(warehouse: Engine, tmp_path: Path) -> None:
    load_file(warehouse, write_jsonl(tmp_path / "a.jsonl", [*GOOD, "oops"]))
    with Session(warehouse) as s:
        run = s.scalars(select(m.LoadRun)).one()
        assert (run.received, run.inserted, run.rejected) == (6, 5, 1)
        assert run.finished_at is not None


def _with(item: dict[str, object], **changes: object) -> dict[str, object]:
    return (
        item
        | {"external_id": f"{item['external_id']}-{len(changes)}-{sorted(changes)[0]}"}
        | changes
    )


def test_nul_and_oversize_values_are_rejected_alike_on_both_databases(
    warehouse: Engine, tmp_path: Path
) -> None:
    """PostgreSQL cannot store U+0000 and cut VARCHAR(n) casts silently: such a record is
    rejected with its reason, alone, and the rest of the file loads."""
    hostile: list[object] = [
        _with(PUBLICATION, title="Enzymes\u0000 at scale"),
        _with(NEWS, comment={"note": "x\u0000y"}),  # an extra field, stored as JSON
        '{"kind": "news", "source": "news", "external_id": "raw\x00nul", "title": "t"',
        _with(PUBLICATION, pmid="1" * 33),
        _with(PUBLICATION, doi="10.1/" + "x" * 251),
        _with(PUBLICATION, language="x" * 17),
        _with(PUBLICATION, grants=[{"funder": "EC", "id": "9" * 129}]),
        PUBLICATION | {"external_id": "E" * 513},
        _with(PROJECT, project_id="P2", participants=[{"name": "Acme", "country": "DK" * 5}]),
    ]
    rows = [*GOOD[:2], *hostile, *GOOD[2:]]
    report = load_file(warehouse, write_jsonl(tmp_path / "hostile.jsonl", rows))
    assert report.received == len(rows) == report.inserted + report.rejected + report.repeats
    assert (report.inserted, report.rejected) == (len(GOOD), len(hostile))
    reasons = dict(report.rejects)
    assert (
        reasons[3] == "title: contains a NUL character (U+0000), which the warehouse cannot store"
    )
    assert reasons[4].startswith("comment.note: contains a NUL character")
    assert reasons[5].startswith("invalid JSON")
    for line, field in [
        (6, "pmid"),
        (7, "doi"),
        (8, "language"),
        (9, "grants.0.id"),
        (10, "external_id"),
        (11, "participants.0.country"),
    ]:
        assert field in reasons[line] and "at most" in reasons[line], reasons[line]
    with Session(warehouse) as s:
        assert s.scalar(select(func.count()).select_from(m.Document)) == len(GOOD)
        stored = {r.line_number: r.payload for r in s.scalars(select(m.RejectedRecord))}
        assert set(stored) == set(range(3, 3 + len(hostile)))
        assert "raw\\u0000nul" in stored[5]  # the raw NUL kept visibly, not lost
        assert s.scalar(select(m.Publication.pmid)) == "39876543"


def test_a_line_that_is_not_utf8_is_rejected_naming_the_byte(
    warehouse: Engine, tmp_path: Path
) -> None:
    """It used to load with U+FFFD in place of the byte and no note; now it is a reject that
    keeps the byte visible, and the other lines load."""
    path = tmp_path / "latin1.jsonl"
    bad = json.dumps(PUBLICATION | {"title": "Enzymes for café waste"}, ensure_ascii=False)
    bad = bad.encode("latin-1")
    path.write_bytes(
        json.dumps(PROJECT).encode() + b"\n" + bad + b"\n" + json.dumps(NEWS).encode() + b"\n"
    )
    report = load_file(warehouse, path)
    assert (report.received, report.inserted, report.rejected) == (3, 2, 1)
    assert report.rejects == [(2, "not valid UTF-8: byte 0xe9 at character " + str(
        bad.index(b"\xe9") + 1))]  # fmt: skip
    with Session(warehouse) as s:
        payload = s.scalar(select(m.RejectedRecord.payload))
    assert payload is not None and "caf\\xe9 waste" in payload


def test_a_later_poorer_copy_never_empties_what_an_earlier_copy_gave(
    warehouse: Engine, tmp_path: Path
) -> None:
    """A Europe PMC lite answer after a core one used to wipe the record's grants and
    abstract. Missing values keep the stored ones; values the source changed replace them."""
    rich = PUBLICATION | {"summary": "An abstract worth keeping."}
    load_file(warehouse, write_jsonl(tmp_path / "core.jsonl", [rich, PROJECT]))
    gone = ("summary", "doi", "pmid", "grants", "url")
    poor = {k: v for k, v in PUBLICATION.items() if k not in gone}
    poor |= {"title": "Engineered transaminases for chiral amine synthesis (corrected)"}
    bare = {k: v for k, v in PROJECT.items() if k not in ("participants", "acronym")}
    report = load_file(warehouse, write_jsonl(tmp_path / "lite.jsonl", [poor, bare]))
    assert report.updated == 2
    with Session(warehouse) as s:
        doc = s.scalars(select(m.Document).where(m.Document.kind == "publication")).one()
        pub = s.get(m.Publication, doc.id)
        grants = s.scalars(select(m.Grant.grant_id)).all()
        project = s.scalars(select(m.Project)).one()
        participants = s.scalars(select(m.ProjectParticipant.name)).all()
    assert doc.title.endswith("(corrected)")  # what the source changed is taken
    assert doc.summary == "An abstract worth keeping." and doc.url == PUBLICATION["url"]
    assert pub is not None and (pub.doi, pub.pmid) == ("10.1038/s41467-026-01234-5", "39876543")
    assert grants == ["101000794"]
    assert project.acronym == "AMINOZYME" and len(participants) == 2
