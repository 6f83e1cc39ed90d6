"""The bundled offline samples of the publication sources crawl cleanly through the replay server."""

from __future__ import annotations

from pathlib import Path

import pytest

from scintel.profile import load_profile
from scintel.replay import serve_samples
from scintel.testing import run_spider

SINCE, UNTIL = "2026-01-05", "2026-01-18"  # the window the publication samples cover
EXPECTED = {"europepmc": 30, "arxiv": 24, "biorxiv": 30, "openalex": 30}


@pytest.mark.parametrize("source", sorted(EXPECTED))
def test_sample_crawls_with_the_bundled_profile(source: str, tmp_path: Path) -> None:
    spec = load_profile("ket-biotech").source(source).model_dump(mode="json")
    with serve_samples([source]) as server:
        result = run_spider(source, server.url, tmp_path, SINCE, UNTIL, spec,
                            env={"SCINTEL_OPENALEX_KEY": "sample-key"})
    assert result.code == 0, result.log
    assert result.rejected == []
    assert len(result.items) == len(set(result.ids())) == EXPECTED[source]
    with_ec_grant = [i for i in result.items if any(g["funder"] == "European Commission" for g in i.get("grants", []))]
    if source != "arxiv":  # arXiv has no funding metadata
        assert with_ec_grant, "samples link papers to EC-funded projects"


def test_medrxiv_sample_through_the_biorxiv_spider(tmp_path: Path) -> None:
    spec = load_profile("ket-biotech").source("medrxiv").model_dump(mode="json")
    with serve_samples(["medrxiv"]) as server:
        result = run_spider("medrxiv", server.url, tmp_path, SINCE, UNTIL, spec)
    assert result.code == 0, result.log
    assert 0 < len(result.items) <= 10
    assert {i["source"] for i in result.items} == {"medrxiv"}
    assert result.stats.get("scintel/not_relevant", 0) == 10 - len(result.items)
