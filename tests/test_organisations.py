"""Organisations in the warehouse, on both databases: publication affiliations reach the
network as co-authorship ties (real OpenAlex and Europe PMC records through the spiders'
parsers), one organisation across participants, applicants, affiliations and NLP entities
with every merge in organisation_merges, curated groups that keep a consortium member's
group out of the candidate partners, v_organisations, and the migration's round trip."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.orm import Session

from scintel.config import Settings
from scintel.impact import steps
from scintel.spiders.spiders import europepmc, openalex
from scintel.storage import migrate
from scintel.storage import models as m
from scintel.storage.loader import load_file
from tests.test_impact import CURATION, load_sample, make_profile

FIXTURES = Path(__file__).parent / "fixtures"
REVISION = "e5a9c4b1d7f3"


def load_items(engine: Engine, tmp_path: Path, items: list[dict[str, Any]]) -> None:
    path = tmp_path / "items.jsonl"
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    report = load_file(engine, path)
    assert report.rejected == 0 and report.inserted == len(items)


def real_publications() -> list[dict[str, Any]]:
    """OpenAlex W2741809807 and four Europe PMC core records, as their spiders land them."""
    work = json.loads((FIXTURES / "openalex" / "work_W2741809807.json").read_text("utf-8"))
    items = [
        {
            "kind": "publication",
            "source": "openalex",
            "external_id": "W2741809807",
            "title": work["display_name"],
            "published": work["publication_date"],
            "affiliations": openalex._affiliations(work),
        }
    ]
    page = json.loads((FIXTURES / "europepmc" / "core_real_trimmed.json").read_text("utf-8"))
    for record in page["resultList"]["result"]:
        items.append(
            {
                "kind": "publication",
                "source": "europepmc",
                "external_id": f"{record['source']}:{record['id']}",
                "title": record["title"],
                "published": record["firstPublicationDate"],
                "affiliations": europepmc._affiliations(record),
            }
        )
    return items


def organisations(engine: Engine) -> dict[str, dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM v_organisations")).mappings().all()
    return {row["key"]: dict(row) for row in rows}


def test_real_publications_tie_their_institutions(
    warehouse: Engine, settings: Settings, tmp_path: Path
) -> None:
    load_items(warehouse, tmp_path, real_publications())
    summary = steps.build_network(settings, make_profile())

    # 8 institutions of the OpenAlex work (28 pairs); Europe PMC: 2, 4 and 18 organisations
    # of three records (1 + 6 + 153 pairs); the erratum without authors has none.
    assert summary["edges"] == 28 + 1 + 6 + 153
    orgs = organisations(warehouse)
    washington = orgs["ror:00cvxb145"]
    assert (washington["name"], washington["key_rule"], washington["ror"]) == (
        "University of Washington", "ror", "00cvxb145"
    )  # fmt: skip
    assert (washington["country"], washington["publications"], washington["projects"]) == (
        "US", 1, 0
    )  # fmt: skip
    assert orgs["ror:05ek4tb53"]["country"] is None  # the Public Knowledge Project
    assert orgs["name:university jordan|JO"]["publications"] == 1
    seattle = orgs["ror:02jqc0m91"]["organisation_id"]
    with Session(warehouse) as session:
        edge = session.get(m.OrganisationEdge, (washington["organisation_id"], seattle)) or (
            session.get(m.OrganisationEdge, (seattle, washington["organisation_id"]))
        )
        assert edge is not None
        assert (edge.publications, edge.projects, edge.weight) == (1, 0, 0.5)


def _curation(tmp_path: Path, groups: bool = True, splits: str = "") -> Path:
    folder = tmp_path / "curation"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(CURATION, folder)
    with (folder / "organisation_aliases.csv").open("a", encoding="utf-8") as handle:
        handle.write("Delft University of Technology,TECHNISCHE UNIVERSITEIT DELFT,English name\n")
    if groups:
        (folder / "organisation_groups.csv").write_text(
            "member,member_country,group,group_country,note\n"
            "NOVOZYMES A/S,DK,Novonesis,DK,Novozymes and Chr. Hansen merged in 2024\n",
            encoding="utf-8",
        )
    (folder / "organisation_splits.csv").write_text(
        "organisation,country,other,other_country,reason\n" + splits, encoding="utf-8"
    )
    return folder


def _sample_with_a_paper(warehouse: Engine, tmp_path: Path) -> None:
    """The impact sample and the (modelled) Europe PMC paper by TU Delft and Novonesis."""
    load_sample(warehouse)
    page = json.loads((FIXTURES / "europepmc" / "page1.json").read_text("utf-8"))
    record = page["resultList"]["result"][0]
    paper = {
        "kind": "publication",
        "source": "europepmc",
        "external_id": f"MED:{record['id']}",
        "title": record["title"],
        "summary": record["abstractText"],
        "published": record["firstPublicationDate"],
        "affiliations": europepmc._affiliations(record),
    }
    assert paper["affiliations"] == [
        {"name": "Delft University of Technology", "country": "NL"},
        {"name": "Novonesis A/S", "country": "DK"},
    ]
    (tmp_path / "paper").mkdir()
    load_items(warehouse, tmp_path / "paper", [paper])


def _candidates(engine: Engine) -> set[tuple[str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT mb.acronym, o.key FROM cluster_candidates cc"
                " JOIN organisations o ON o.id = cc.organisation_id"
                " JOIN v_cluster_members mb ON mb.cluster_id = cc.cluster_id"
            )
        ).all()
    return {(acronym, key) for acronym, key in rows}


def test_one_organisation_across_sources_with_its_merges_explained(
    warehouse: Engine, settings: Settings, tmp_path: Path
) -> None:
    _sample_with_a_paper(warehouse, tmp_path)
    first = steps.run_impact(settings, make_profile(_curation(tmp_path)))
    orgs = organisations(warehouse)
    delft = orgs["name:technische university delft|NL"]
    # Two projects, the BASF co-application (no country) and the paper's affiliation (its
    # English name, by the curated alias): one organisation, two merges with evidence.
    assert (delft["projects"], delft["patents"], delft["publications"]) == (2, 1, 1)
    assert delft["merges"] == 2
    with Session(warehouse) as session:
        merges = {
            row.rule: row
            for row in session.scalars(
                select(m.OrganisationMerge).where(
                    m.OrganisationMerge.organisation_id == delft["organisation_id"]
                )
            )
        }
    assert set(merges) == {"curated_alias", "name_one_country"}
    assert merges["curated_alias"].evidence["alias"] == "Delft University of Technology"
    assert merges["curated_alias"].evidence["line"] == "organisation_aliases.csv:5"
    assert merges["name_one_country"].member == "name:technische university delft"
    assert merges["name_one_country"].evidence == {
        "name": "technische university delft",
        "country": "NL",
    }
    # Novozymes belongs to the Novonesis group, which the paper names: two organisations,
    # related; the group is no candidate partner of a cluster Novozymes is in.
    novozymes, novonesis = orgs["name:novozymes|DK"], orgs["name:novonesis|DK"]
    assert novozymes["group_key"] == "name:novonesis|DK"
    assert novozymes["group_name"] == novonesis["name"] == "Novonesis A/S"
    assert (novonesis["publications"], novonesis["projects"]) == (1, 0)
    candidates = _candidates(warehouse)
    assert not {c for c in candidates if c == ("ENZYFLOW", "name:novonesis|DK")}
    # Every applicant without a country met its participant, but CARBIOS, which is none.
    assert [k for k, o in orgs.items() if o["key_rule"] == "name"] == ["name:carbios"]
    assert first["network"]["by_key_rule"]["name"] == 1
    # A rerun changes nothing, merges included.
    again = steps.build_network(settings, make_profile(_curation(tmp_path)))
    assert (again["inserted"], again["updated"], again["removed"]) == (0, 0, 0)
    # Without the group, Novonesis looks like a new partner of the Novozymes cluster.
    steps.run_impact(settings, make_profile(_curation(tmp_path, groups=False)))
    assert ("ENZYFLOW", "name:novonesis|DK") in _candidates(warehouse)
    # A split line reverses the applicant's merge: the co-application is another node's.
    split = "TECHNISCHE UNIVERSITEIT DELFT,NL,TECHNISCHE UNIVERSITEIT DELFT,,test split\n"
    steps.build_network(settings, make_profile(_curation(tmp_path, splits=split)))
    orgs = organisations(warehouse)
    assert orgs["name:technische university delft|NL"]["patents"] == 0
    assert orgs["name:technische university delft|NL"]["merges"] == 1
    assert orgs["name:technische university delft"]["patents"] == 1


def test_nlp_entities_meet_their_organisations(
    warehouse: Engine, settings: Settings, tmp_path: Path
) -> None:
    """The NLP step's Novonesis entity (aliases Novozymes A/S...) is the entity of the
    Novonesis group and of the participant it linked; its mention in news is the group's."""
    load_sample(warehouse)
    with Session(warehouse) as session, session.begin():
        entity = m.Entity(label="ORG", canonical_name="Novonesis", key="novonesis", country="DK")
        session.add(entity)
        session.flush()
        participant = session.scalars(
            select(m.ProjectParticipant).where(m.ProjectParticipant.name == "NOVOZYMES A/S")
        ).first()
        participant.entity_id = entity.id  # as enrichment links participants to entities
        news = session.scalars(
            select(m.Document).where(m.Document.external_id.like("%novozymes-almac"))
        ).one()
        mention = {"document_id": news.id, "entity_id": entity.id, "text": "Novonesis"}
        session.add(m.Mention(**mention, start_char=0, end_char=9))
    steps.build_network(settings, make_profile(_curation(tmp_path)))
    orgs = organisations(warehouse)
    assert orgs["name:novozymes|DK"]["entity_name"] == "Novonesis"
    assert orgs["name:novonesis|DK"]["entity_name"] == "Novonesis"
    assert orgs["name:novonesis|DK"]["news"] == 1


def test_the_migration_adds_and_removes_the_identity(warehouse: Engine) -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config(warehouse))
    before = script.get_revision(REVISION).down_revision
    assert isinstance(before, str)
    migrate.downgrade(warehouse, before)
    inspector = inspect(warehouse)
    assert "v_organisations" not in inspector.get_view_names()
    assert "organisation_merges" not in inspector.get_table_names()
    assert "pic" not in {c["name"] for c in inspector.get_columns("project_participants")}
    assert not {"key_rule", "pic", "ror", "names", "group_key"} & {
        c["name"] for c in inspector.get_columns("organisations")
    }
    migrate.upgrade(warehouse)
    inspector = inspect(warehouse)
    assert "v_organisations" in inspector.get_view_names()
    assert {"key_rule", "pic", "ror", "names", "group_key"} <= {
        c["name"] for c in inspector.get_columns("organisations")
    }
