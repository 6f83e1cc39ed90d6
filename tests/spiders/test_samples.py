"""The bundled offline samples of the publication sources crawl cleanly through the replay server."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from scintel.profile import load_profile
from scintel.replay import sample_dir, serve_samples
from scintel.testing import run_spider

# The bundled samples of the offline run, crawled as `scintel run --offline` does.
pytestmark = pytest.mark.e2e

MANIFEST = json.loads((sample_dir("europepmc").parent / "manifest.json").read_text())
SINCE, UNTIL = MANIFEST["since"], MANIFEST["until"]  # the window `scintel run --offline` crawls
EXPECTED = {"europepmc": 30, "arxiv": 24, "biorxiv": 30, "openalex": 30}


def in_digest_week(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items published in the ISO week of `until`: the week the offline digest covers."""
    week = date.fromisoformat(UNTIL).isocalendar()[:2]
    return [i for i in items if date.fromisoformat(i["published"][:10]).isocalendar()[:2] == week]


@pytest.mark.parametrize("source", sorted(EXPECTED))
def test_sample_crawls_with_the_bundled_profile(source: str, tmp_path: Path) -> None:
    spec = load_profile("ket-biotech").source(source).model_dump(mode="json")
    with serve_samples([source]) as server:
        result = run_spider(
            source,
            server.url,
            tmp_path,
            SINCE,
            UNTIL,
            spec,
            env={"SCINTEL_OPENALEX_KEY": "sample-key"},
        )
    assert result.code == 0, result.log
    assert result.rejected == []
    assert len(result.items) == len(set(result.ids())) == EXPECTED[source]
    assert result.stats.get("scintel/out_of_window", 0) == 0
    # Most papers land in the digest's week, the rest in the weeks before it (trends).
    assert len(result.items) / 2 < len(in_digest_week(result.items)) < len(result.items)
    with_ec_grant = [
        i
        for i in result.items
        if any(g["funder"] == "European Commission" for g in i.get("grants", []))
    ]
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
    assert result.stats.get("scintel/out_of_window", 0) == 0
    assert in_digest_week(result.items)
