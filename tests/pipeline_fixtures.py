"""Shared by the DAG and `scintel run` tests: a watch profile with chosen sources, and
the Europe PMC fixtures (tests/fixtures/europepmc) served as the live API pages them."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from scintel.profile import bundled_profiles
from scintel.replay import ReplayServer, Reply

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "europepmc"
EUROPEPMC_PATH = "/europepmc/webservices/rest/search"
CURSORS = {
    "*": "page1.json",
    "AoJwgOn4pZcDPwBNRUQ6NDEyMzQ1MDc=": "page2.json",
    "AoJwgOHw8ZcDPwBNRUQ6NDEyMzQ1MzM=": "page3_last.json",
}
# First publication dates in the fixtures: one paper a day on 7, 8, 10 and 11 January,
# an entry without a title on the 9th (rejected), one paper of 2025 (out of any window here).
EUROPEPMC_BY_DAY = {"2026-01-07": ["MED:41234501"], "2026-01-08": ["PPR:PPR1001234"]}


def serve_europepmc(server: ReplayServer) -> ReplayServer:
    for cursor, name in CURSORS.items():
        server.add(EUROPEPMC_PATH, Reply.file(FIXTURES / name), {"cursorMark": cursor})
    return server


def broken(server: ReplayServer) -> ReplayServer:
    """A service that answers 500 to everything."""
    return server.add("/*", Reply(500, b"internal error", {"Content-Type": "text/plain"}))


def watch_profile(folder: Path, sources: list[str]) -> Path:
    """The bundled profile with only `sources` enabled, as a folder of its own."""
    target = folder / "profile"
    shutil.copytree(bundled_profiles()["ket-biotech"], target)
    data = yaml.safe_load((target / "profile.yaml").read_text())
    data["sources"] = {name: data["sources"][name] for name in sources}
    (target / "profile.yaml").write_text(yaml.safe_dump(data))
    return target
