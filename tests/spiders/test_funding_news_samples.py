"""The bundled offline samples of the funding, project and news sources crawl cleanly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scintel.profile import load_profile
from scintel.replay import sample_dir, serve_samples
from scintel.testing import run_spider

pytestmark = pytest.mark.e2e

MANIFEST = json.loads((sample_dir("cordis").parent / "manifest.json").read_text())
EXPECTED = {"cordis": 17, "eu_funding": 23, "grants_gov": 16, "news": 18}


@pytest.mark.parametrize("source", sorted(EXPECTED))
def test_sample_crawls_with_the_bundled_profile(source: str, tmp_path: Path) -> None:
    spec = load_profile("ket-biotech").source(source).model_dump(mode="json")
    with serve_samples([source]) as server:
        result = run_spider(
            source, server.url, tmp_path, MANIFEST["since"], MANIFEST["until"], spec
        )
    assert result.code == 0, result.log
    assert result.rejected == []
    assert len(result.items) == len(set(result.ids())) == EXPECTED[source]


def _cited_ec_grants() -> set[str]:
    """European Commission grant ids cited by the publication samples."""
    ids = set()
    for page in sample_dir("europepmc").glob("*.json"):
        for entry in (
            json.loads(page.read_text()).get("resultList", {}).get("result", [])
            if page.name != "routes.json"
            else []
        ):
            ids |= {
                g["grantId"]
                for g in (entry.get("grantsList") or {}).get("grant", [])
                if g.get("agency") == "European Commission"
            }
    for page in sample_dir("openalex").glob("*.json"):
        for work in (
            json.loads(page.read_text()).get("results", []) if page.name != "routes.json" else []
        ):
            ids |= {
                a["funder_award_id"]
                for a in work.get("awards") or []
                if "Commission" in (a.get("funder_display_name") or "")
            }
    return ids


def test_cordis_sample_holds_the_projects_the_papers_cite(tmp_path: Path) -> None:
    spec = load_profile("ket-biotech").source("cordis").model_dump(mode="json")
    with serve_samples(["cordis"]) as server:
        result = run_spider(
            "cordis", server.url, tmp_path, MANIFEST["since"], MANIFEST["until"], spec
        )
    cited = _cited_ec_grants()
    assert cited and cited <= set(result.ids())
    partners = {p["name"] for i in result.items for p in i["participants"]}
    assert {
        "Novozymes A/S",
        "DSM IP ASSETS BV",
        "EVONIK OPERATIONS GMBH",
        "TEKNOLOGIAN TUTKIMUSKESKUS VTT OY",
    } <= partners
