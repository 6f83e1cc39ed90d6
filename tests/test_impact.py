"""Project impact on a realistic sample loaded through the real loader: output links with
their methods, decoys that must not link, curation, indicators, the digest section,
deterministic clusters and a network export that networkx reads back."""

from __future__ import annotations

import csv
import importlib.util
import json
import random
import shutil
from pathlib import Path

import networkx as nx
import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from scintel.config import Settings
from scintel.errors import ScintelError
from scintel.impact import indicators, steps
from scintel.impact.confidence import RULES, SHOW_THRESHOLD
from scintel.impact.curation import load_curation
from scintel.profile import Profile, load_profile
from scintel.storage import migrate
from scintel.storage import models as m
from scintel.storage.engine import make_engine
from scintel.storage.loader import load_file

FIXTURES = Path(__file__).parent / "fixtures" / "impact"
SAMPLE = FIXTURES / "sample.jsonl"
CURATION = FIXTURES / "curation"

# (acronym, output source:external_id, method) that the rules must find, and nothing else.
EXPECTED = {
    ("ENZYFLOW", "europepmc:MED:33012345", "harvested"),
    ("ENZYFLOW", "epo_ops:EP3800001A1", "matched"),
    ("CAFIPLA", "openalex:W3158000001", "harvested"),
    ("BIZENTE", "europepmc:MED:36000003", "harvested"),
    ("BIZENTE", "epo_ops:EP4500002A1", "matched"),
    ("OXYCAT", "biorxiv:10.1101/2020.06.01.127001", "text-mined"),
    ("OXYCAT", "epo_ops:EP3900005A1", "matched"),
    ("PHAPACK", "arxiv:2103.01001", "text-mined"),
    ("MARIZYME", "openalex:W4200000005", "manual"),
    ("ALEHOOP", "news:https://www.bio-based-news.example/2022/05/alehoop-pilot", "text-mined"),
    ("MPowerBIO", "news:https://www.sme-bio.example/2021/10/mpowerbio-platform", "text-mined"),
    ("AFTERBIOCHEM", "news:https://www.greenchem-daily.example/2023/03/afyren-neoxy", "matched"),
    # Two participants opening the headline, on the project's own topic: a news output.
    ("CATAFLOW", "news:https://www.biocatalysis-today.example/2024/02/novozymes-almac", "matched"),
}
DECOYS = {
    "epo_ops:EP4100003A1",  # participant's patent in the window, but a beet harvester
    "epo_ops:EP4700004A1",  # participants' patent on topic, filed > 3 years after the end
    "europepmc:MED:35000002",  # near-miss grant number and another funder's award code
    "news:https://www.basque-tech.example/2023/01/tecnalia-robotics",  # coordinator, no project
    "news:https://www.drone-news.example/2022/06/icarus",  # project outside the programme
    "europepmc:MED:36000004",  # harvested for ALEHOOP, vetoed by the analysts
    "epo_ops:WO2021000006A1",  # a non-participant's patent
}


def make_profile(curation: Path | None = CURATION, **impact: object) -> Profile:
    base = load_profile("ket-biotech")
    spec = base.impact.model_copy(
        update={
            "programmes": ["H2020-EU.2.1.4", "HORIZON.2.6"],
            "curation": str(curation) if curation else None,
        }
        | impact
    )
    return base.model_copy(update={"impact": spec})


def load_sample(engine: Engine, path: Path = SAMPLE) -> None:
    report = load_file(engine, path)
    assert report.rejected == 0 and report.inserted == 40
    with Session(engine) as session, session.begin():
        # Stands in for the NLP step's signal on the Novozymes-Almac partnership story.
        news_id = session.execute(
            select(m.Document.id).where(m.Document.external_id.like("%novozymes-almac"))
        ).scalar_one()
        session.add(
            m.Signal(
                document_id=news_id,
                signal_type="partnership",
                fingerprint="novozymes-almac",
                score=0.8,
                iso_week="2024-W06",
                # The parties the NLP step records for the event (nlp/signals.py `parties`).
                evidence={"cue": "sign partnership", "organisations": ["Novozymes A/S", "Almac"]},
            )
        )


def stored_links(engine: Engine) -> dict[tuple[str, str], dict[str, object]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT o.acronym, o.source, d.external_id, o.method, o.confidence, o.evidence,"
                " o.found_at FROM v_project_outputs o JOIN documents d ON d.id = o.document_id"
                " UNION ALL"
                " SELECT o.acronym, o.source, d.external_id, o.method, o.confidence, o.evidence,"
                " o.found_at FROM v_project_output_candidates o"
                " JOIN documents d ON d.id = o.document_id"
            )
        ).all()
    links = {}
    for acronym, source, external_id, method, confidence, evidence, found_at in rows:
        if isinstance(evidence, str):
            evidence = json.loads(evidence)
        links[(acronym, f"{source}:{external_id}")] = {
            "method": method,
            "confidence": confidence,
            "evidence": evidence,
            "found_at": found_at,
        }
    return links


@pytest.fixture
def impact_run(warehouse: Engine, settings: Settings) -> dict[str, object]:
    load_sample(warehouse)
    return steps.run_impact(settings, make_profile())


def test_expected_links_are_found_with_their_methods(warehouse: Engine, impact_run: dict) -> None:
    links = stored_links(warehouse)
    monitored = {(a, ref, v["method"]) for (a, ref), v in links.items() if a != "ICARUS"}
    assert monitored == EXPECTED
    assert impact_run["links"]["by_method"] == {
        "harvested": 3,
        "manual": 1,
        "matched": 5,
        "text-mined": 4,
    }
    patent = links[("ENZYFLOW", "epo_ops:EP3800001A1")]
    assert patent["evidence"]["applicant"] == "NOVOZYMES AS"
    assert patent["evidence"]["participant"] == "NOVOZYMES A/S"
    assert patent["evidence"]["within_project"] is True
    assert "chiral" in patent["evidence"]["shared_terms"]
    late = links[("BIZENTE", "epo_ops:EP4500002A1")]["evidence"]
    assert late["within_project"] is False and late["window"] == ["2020-05-01", "2027-04-30"]
    assert links[("CAFIPLA", "openalex:W3158000001")]["evidence"]["normalised_to"] == "887115"
    oxycat = links[("OXYCAT", "biorxiv:10.1101/2020.06.01.127001")]
    # Number and acronym, or the acronym beside "project": the better-measured rule wins.
    assert oxycat["evidence"]["acronym"] == "OXYCAT"
    found_by = {oxycat["evidence"]["rule"], *oxycat["evidence"].get("also_found_by", [])}
    assert found_by == {"grant_number_acronym", "acronym_project_word"}  # both kept
    for values in links.values():
        # Every link names its rule and carries the confidence the rule measured.
        rule = RULES[values["evidence"]["rule"]]
        assert values["confidence"] == rule.confidence and values["method"] == rule.method
        assert values["found_at"] is not None


def test_decoys_do_not_link(warehouse: Engine, impact_run: dict) -> None:
    linked = {ref for _, ref in stored_links(warehouse)}
    assert not linked & DECOYS
    # The programme filter: the ICARUS news names its project with context, yet no link.
    assert ("ICARUS", "news:https://www.drone-news.example/2022/06/icarus") not in stored_links(
        warehouse
    )


def test_rerun_changes_nothing(warehouse: Engine, settings: Settings, impact_run: dict) -> None:
    before = stored_links(warehouse)
    again = steps.run_impact(settings, make_profile())
    assert {k: again["links"][k] for k in ("inserted", "updated", "removed")} == {
        "inserted": 0,
        "updated": 0,
        "removed": 0,
    }
    assert again["links"]["unchanged"] == len(EXPECTED)
    assert {k: again["network"][k] for k in ("inserted", "updated", "removed")} == {
        "inserted": 0,
        "updated": 0,
        "removed": 0,
    }
    assert again["clusters"]["changed"] == 0
    assert stored_links(warehouse) == before  # found_at kept


def test_curation_is_applied_and_its_effect_reported(
    warehouse: Engine, settings: Settings, impact_run: dict, tmp_path: Path
) -> None:
    assert impact_run["links"]["curation"]["links_vetoed"] == 1
    assert impact_run["links"]["curation"]["manual_links"] == 1
    assert impact_run["network"]["curation"]["participations_vetoed"] == 1  # "N/A"
    assert impact_run["network"]["curation"]["names_merged"] == 1  # Technical University of Denmark
    assert impact_run["links"]["curation_version"] == 3
    with Session(warehouse) as session:
        keys = set(session.scalars(select(m.Organisation.key)))
        dtu = session.execute(
            select(m.Organisation).where(m.Organisation.name == "DANMARKS TEKNISKE UNIVERSITET")
        ).scalar_one()
        runs = session.scalars(select(m.ImpactRun.step).order_by(m.ImpactRun.id)).all()
    assert "na" not in keys and not any("technical" in k for k in keys)
    assert dtu.projects == 5  # ENZYFLOW, FERMSCALE, OMICSPLAT, CATAFLOW + SYNBIOPOLY by alias
    assert runs == ["network", "links", "clusters"]
    # Lifting the veto (a new curation version) brings the harvested link back on the next run.
    lifted = tmp_path / "curation"
    shutil.copytree(CURATION, lifted)
    (lifted / "vetoes.csv").write_text("what,project_id,document,name,reason\n", encoding="utf-8")
    summary = steps.link_outputs(settings, make_profile(lifted))
    assert summary["curation"]["links_vetoed"] == 0 and summary["inserted"] == 1
    assert stored_links(warehouse)[("ALEHOOP", "europepmc:MED:36000004")]["method"] == "harvested"


def test_bad_curation_files_fail_with_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "curation"
    shutil.copytree(CURATION, folder)
    (folder / "vetoes.csv").write_text(
        "what,project_id,document,name,reason\nlink,887259,MED36000004,,no source\n",
        encoding="utf-8",
    )
    with pytest.raises(ScintelError, match=r"vetoes.csv:2: document: must be 'source:external_id'"):
        load_curation(folder)
    (folder / "vetoes.csv").write_text(
        "what,project_id,document,name,reason\nentity,,,Foo,typo in what\n", encoding="utf-8"
    )
    with pytest.raises(ScintelError, match=r"vetoes.csv:2: what"):
        load_curation(folder)
    (folder / "curation.yaml").unlink()
    with pytest.raises(ScintelError, match=r"no curation\.yaml"):
        load_curation(folder)
    assert load_curation(CURATION).version == 3


def test_bundled_profile_curation_loads() -> None:
    from scintel.impact.curation import profile_curation

    curation = profile_curation(load_profile("ket-biotech"))
    assert curation.version >= 1
    assert curation.resolve("Technical University of Denmark")[1] == "DANMARKS TEKNISKE UNIVERSITET"


def test_unresolved_manual_links_are_reported(
    warehouse: Engine, settings: Settings, tmp_path: Path
) -> None:
    load_sample(warehouse)
    folder = tmp_path / "curation"
    shutil.copytree(CURATION, folder)
    with (folder / "manual_links.csv").open("a", encoding="utf-8") as handle:
        handle.write("720004,openalex:W999,paper not crawled yet,A. Analyst\n")
    summary = steps.link_outputs(settings, make_profile(folder))
    assert summary["curation"]["manual_links"] == 1
    assert summary["curation"]["unresolved"] == [
        "manual link 720004 -> openalex:W999: no openalex:W999 in the warehouse"
    ]


def _events(engine: Engine) -> list[tuple[str, str, int, float]]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                text(
                    "SELECT p.acronym, e.event, e.event_document_id, e.confidence"
                    " FROM v_impact_events e JOIN projects p"
                    " ON p.document_id = e.project_document_id"
                )
            )
        ]


def test_indicators_per_project_year_and_cluster(warehouse: Engine, impact_run: dict) -> None:
    profile = make_profile()
    events = _events(warehouse)
    enzyflow = {(e, c) for a, e, _, c in events if a == "ENZYFLOW"}
    assert {e for e, _ in enzyflow} == {"publication", "patent", "uptake", "follow_on"}
    # Every event carries its rule's confidence; the counts take those at the threshold.
    assert {c for _, c in enzyflow} <= {rule.confidence for rule in RULES.values()}
    with Session(warehouse) as session:
        overall = {r.name: r for r in indicators.project_indicators(session, profile)}
        in_2019 = {r.name: r for r in indicators.project_indicators(session, profile, 2019)}
    for name, row in overall.items():
        shown = {(e, d) for a, e, d, c in events if a == name and c >= SHOW_THRESHOLD}
        counted = (row.publications, row.patents, row.news, row.follow_on_projects)
        assert counted == tuple(
            sum(1 for e, _ in shown if e == kind)
            for kind in ("publication", "patent", "news", "follow_on")
        ), name
        assert row.uptake_signals == sum(1 for e, _ in shown if e == "uptake"), name
    assert "ICARUS" not in overall and "SUNWAVE" not in overall
    assert in_2019["ENZYFLOW"].publications == 1  # the paper counts in the year it appeared
    with warehouse.connect() as conn:
        follow_on = (
            conn.execute(
                text(
                    "SELECT lp.acronym FROM v_impact_events e"
                    " JOIN projects p ON p.document_id = e.project_document_id"
                    " JOIN projects lp ON lp.document_id = e.event_document_id"
                    " WHERE p.acronym = 'ENZYFLOW' AND e.event = 'follow_on'"
                )
            )
            .scalars()
            .all()
        )
        cafipla = conn.execute(
            text(
                "SELECT COUNT(*) FROM v_impact_events e JOIN projects p"
                " ON p.document_id = e.project_document_id"
                " WHERE p.acronym = 'CAFIPLA' AND e.event = 'follow_on'"
            )
        ).scalar_one()
        cluster_outputs = conn.execute(
            text(
                "SELECT SUM(publications + patents + news) FROM v_cluster_impact"
                " WHERE profile = :p AND year IS NULL"
            ),
            {"p": profile.name},
        ).scalar_one()
    assert "CATAFLOW" in follow_on and "ENZYFLOW" not in follow_on
    with warehouse.connect() as conn:
        roles = conn.execute(
            text(
                "SELECT organisation, role, later_role, CAST(months_after_start AS INTEGER)"
                " FROM v_follow_on WHERE acronym = 'ENZYFLOW' AND later_acronym = 'CATAFLOW'"
            )
        ).one()
        uptake = conn.execute(
            text("SELECT acronym, signal_type, named_as FROM v_uptake WHERE acronym = 'ENZYFLOW'")
        ).one()
    assert roles[1:3] in (("participant", "participant"), ("coordinator", "participant"),
                          ("participant", "coordinator"), ("coordinator", "coordinator"))  # fmt: skip
    assert roles[0] and roles[3] >= 12
    assert tuple(uptake) == ("ENZYFLOW", "partnership", "Novozymes A/S")
    assert cafipla == 1  # Tecnalia's SUNWAVE (another programme) counts as follow-on funding
    shown_outputs = {
        (a, d)
        for a, e, d, c in events
        if e in ("publication", "patent", "news") and c >= SHOW_THRESHOLD
    }
    assert cluster_outputs == len(shown_outputs)  # each output in one cluster's overall row


def test_a_link_below_the_threshold_is_a_candidate_until_it_earns_more(
    warehouse: Engine, impact_run: dict
) -> None:
    """v_project_outputs has the links at or above the threshold; the others are candidates,
    not counted in the indicators."""
    count = "SELECT patents FROM v_project_impact WHERE acronym = 'ENZYFLOW' AND scope = 'overall'"
    patent = "SELECT id FROM documents WHERE external_id = 'EP3800001A1'"
    in_view = "SELECT COUNT(*) FROM {} WHERE acronym = 'ENZYFLOW' AND kind = 'patent'"
    with warehouse.begin() as conn:
        conn.execute(
            text(f"UPDATE document_links SET confidence = 0.5 WHERE to_document_id = ({patent})")
        )
        assert conn.execute(text(count)).scalar_one() == 0
        assert conn.execute(text(in_view.format("v_project_outputs"))).scalar_one() == 0
        assert conn.execute(text(in_view.format("v_project_output_candidates"))).scalar_one() == 1
        conn.execute(
            text(f"UPDATE document_links SET confidence = 0.9 WHERE to_document_id = ({patent})")
        )
        assert conn.execute(text(count)).scalar_one() == 1
        assert conn.execute(text(in_view.format("v_project_outputs"))).scalar_one() == 1
        assert conn.execute(text(in_view.format("v_project_output_candidates"))).scalar_one() == 0


def test_the_views_threshold_is_the_documented_one() -> None:
    path = next(Path(migrate.migrations_dir(), "versions").glob("*_d8b3f1a6c2e9_*.py"))
    spec = importlib.util.spec_from_file_location("views_revision", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.SHOW_THRESHOLD == SHOW_THRESHOLD


def _clusters(engine: Engine, profile: str) -> list[tuple[str, tuple[str, ...]]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT cluster_number, cluster_label, acronym FROM v_cluster_members"
                " WHERE profile = :p ORDER BY cluster_number, acronym"
            ),
            {"p": profile},
        ).all()
    grouped: dict[tuple[int, str], list[str]] = {}
    for number, label, acronym in rows:
        grouped.setdefault((number, label), []).append(acronym)
    return [(label, tuple(members)) for (_, label), members in grouped.items()]


def test_clusters_are_stable_and_sensible(
    warehouse: Engine, settings: Settings, impact_run: dict, tmp_path: Path, sqlite_template: Path
) -> None:
    profile = make_profile()
    first = _clusters(warehouse, profile.name)
    steps.build_clusters(settings, profile)
    assert _clusters(warehouse, profile.name) == first
    # The same records loaded in another order into another warehouse give the same clusters.
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    random.Random(7).shuffle(lines)
    shuffled = tmp_path / "shuffled.jsonl"
    shuffled.write_text("\n".join(lines) + "\n", encoding="utf-8")
    copy = tmp_path / "shuffled.db"
    shutil.copyfile(sqlite_template, copy)
    engine = make_engine(URL.create("sqlite", database=str(copy)))
    load_sample(engine, shuffled)
    other = Settings(database_url=engine.url, data_dir=tmp_path, profile="ket-biotech")
    steps.build_clusters(other, profile)
    assert _clusters(engine, profile.name) == first
    engine.dispose()
    members = {acronym: label for label, group in first for acronym in group}
    assert len(first) == 4 and sum(len(g) for _, g in first) == 17
    assert members["ENZYFLOW"] == members["CATAFLOW"] == members["OXYCAT"]
    assert members["BIZENTE"] == members["LIGNOVAL"]
    assert members["CAFIPLA"] == members["AFTERBIOCHEM"]
    assert members["MPowerBIO"] != members["ENZYFLOW"]
    for label, _ in first:
        assert " · " in label
    with Session(warehouse) as session:
        carbios = (
            session.execute(
                select(m.Cluster.label)
                .join(m.ClusterCandidate, m.ClusterCandidate.cluster_id == m.Cluster.id)
                .join(m.Organisation, m.Organisation.id == m.ClusterCandidate.organisation_id)
                .where(m.Organisation.name == "CARBIOS")
            )
            .scalars()
            .all()
        )
    assert carbios == [members["BIZENTE"]]  # active in enzymatic plastics recycling, not a partner


def test_network_centrality(warehouse: Engine, impact_run: dict) -> None:
    with Session(warehouse) as session:
        orgs = {o.name: o for o in session.scalars(select(m.Organisation))}
        edge = session.execute(
            select(m.OrganisationEdge).where(
                m.OrganisationEdge.source_id.in_(
                    [orgs["BASF SE"].id, orgs["TECHNISCHE UNIVERSITEIT DELFT"].id]
                ),
                m.OrganisationEdge.target_id.in_(
                    [orgs["BASF SE"].id, orgs["TECHNISCHE UNIVERSITEIT DELFT"].id]
                ),
            )
        ).scalar_one()
    assert (edge.projects, edge.patents, edge.weight) == (1, 1, 2.0)  # OXYCAT + co-application
    assert orgs["NOVOZYMES A/S"].projects == 5 and orgs["NOVOZYMES A/S"].patents == 1
    top = max(orgs.values(), key=lambda o: o.betweenness)
    assert top.name in {"NOVOZYMES A/S", "DANMARKS TEKNISKE UNIVERSITET", "BIOPRACT GMBH"}
    assert orgs["TELESPAZIO SPA"].degree == 0  # ICARUS is outside the monitored programme
    assert abs(sum(o.pagerank for o in orgs.values()) - 1.0) < 1e-3


@pytest.mark.e2e
def test_cli_prints_clusters_and_exports_the_network(
    tmp_path: Path, sqlite_warehouse: Engine
) -> None:
    from tests.test_cli import scintel

    load_sample(sqlite_warehouse)
    profile = tmp_path / "profile.yaml"
    profile.write_text(
        "name: ket-test\ntitle: test\nimpact:\n  programmes: [H2020-EU.2.1.4, HORIZON.2.6]\n"
        f"  curation: {CURATION}\n",
        encoding="utf-8",
    )
    env = {
        "SCINTEL_DATABASE_URL": sqlite_warehouse.url.render_as_string(),
        "SCINTEL_PROFILE": str(profile),
        "SCINTEL_DATA_DIR": str(tmp_path / "var"),
    }
    impact = scintel("impact", cwd=tmp_path, env=env)
    assert impact.returncode == 0, impact.stderr
    assert "links: 13 for 17 projects" in impact.stdout and "ENZYFLOW" in impact.stdout
    assert "curation v3" in impact.stdout
    clusters = scintel("clusters", cwd=tmp_path, env=env)
    assert clusters.returncode == 0, clusters.stderr
    assert "ENZYFLOW" in clusters.stdout and "candidate partners: CARBIOS" in clusters.stdout
    graphml = tmp_path / "net.graphml"
    result = scintel("network", "--export", "graphml", "--out", str(graphml), cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    graph = nx.read_graphml(graphml)
    labels = {data["label"]: node for node, data in graph.nodes(data=True)}
    novozymes = graph.nodes[labels["NOVOZYMES A/S"]]
    assert novozymes["country"] == "DK" and novozymes["projects"] == 5
    assert graph.degree(labels["NOVOZYMES A/S"]) == novozymes["degree"]
    assert graph.edges[labels["BASF SE"], labels["TECHNISCHE UNIVERSITEIT DELFT"]]["weight"] == 2.0
    folder = tmp_path / "csv"
    result = scintel("network", "--export", "csv", "--out", str(folder), cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    with (folder / "edges.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    from_csv = nx.Graph()
    from_csv.add_weighted_edges_from((r["Source"], r["Target"], float(r["Weight"])) for r in rows)
    assert nx.utils.edges_equal(sorted(from_csv.edges()), sorted(graph.edges()))
    with (folder / "nodes.csv").open(encoding="utf-8") as handle:
        assert {r["Label"] for r in csv.DictReader(handle)} == set(labels)
    bad = scintel("network", "--export", "pdf", cwd=tmp_path, env=env)
    assert bad.returncode != 0


def test_uptake_needs_a_participant_as_party_and_its_type_is_data(
    warehouse: Engine, settings: Settings, impact_run: dict
) -> None:
    """Uptake: a participant is a party of a signal whose type signal_types calls uptake;
    a new uptake type is a row, counted from the next impact run."""
    uptake = (
        "SELECT COUNT(*) FROM document_links l JOIN projects p ON p.document_id ="
        " l.from_document_id WHERE p.acronym = 'ENZYFLOW' AND l.link_type = 'uptake'"
    )
    with warehouse.connect() as conn:
        assert conn.execute(text(uptake)).scalar_one() == 1  # the Novozymes partnership
        evidence = conn.execute(
            text("SELECT evidence FROM document_links WHERE link_type = 'uptake' LIMIT 1")
        ).scalar_one()
    evidence = json.loads(evidence) if isinstance(evidence, str) else evidence
    assert evidence["signal_type"] == "partnership" and evidence["named_as"] == "Novozymes A/S"
    with warehouse.begin() as conn:
        conn.execute(text("UPDATE signals SET signal_type = 'offtake_agreement'"
                          " WHERE signal_type = 'partnership'"))  # fmt: skip
    steps.link_outputs(settings, make_profile())
    with warehouse.connect() as conn:
        assert conn.execute(text(uptake)).scalar_one() == 0
    with warehouse.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO signal_types (key, label, market, uptake)"
                " VALUES ('offtake_agreement', 'Offtake agreements', :t, :t)"
            ),
            {"t": True},
        )
    steps.link_outputs(settings, make_profile())
    with warehouse.connect() as conn:
        assert conn.execute(text(uptake)).scalar_one() == 1
    # A mere mention is no uptake: the same story with no partner among the parties.
    with warehouse.begin() as conn:
        conn.execute(
            text("UPDATE signals SET evidence = :e WHERE signal_type = 'offtake_agreement'"),
            {"e": json.dumps({"cue": "sign partnership", "organisations": ["Codexis"]})},
        )
    steps.link_outputs(settings, make_profile())
    with warehouse.connect() as conn:
        assert conn.execute(text(uptake)).scalar_one() == 0
