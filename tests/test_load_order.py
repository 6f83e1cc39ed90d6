"""The same records give the same warehouse whatever order they arrive in.

The impact sample (projects, papers, patents and news, tests/fixtures/impact) is landed in
three files, in its own order, reversed and shuffled; each order is enriched and run through
the impact steps on a fresh warehouse. Every derived row, named by the records it joins
(not by row ids, which follow the order), must be identical: signals, mentions, duplicates,
output links, follow-on and uptake events, organisations and their roles.
"""

from __future__ import annotations

import random
import shutil
from datetime import date
from pathlib import Path

import pytest
import spacy
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL

from scintel.config import Settings
from scintel.enrich import enrich
from scintel.impact import steps
from scintel.nlp.pipeline import build_pipeline, load_resources
from scintel.spiders.landing import Partition
from scintel.storage.engine import make_engine
from tests.conftest import BACKENDS, _truncate_all
from tests.test_impact import SAMPLE, make_profile

DOC = "(SELECT s.name || ':' || d.external_id FROM documents d JOIN sources s ON s.id = d.source_id WHERE d.id = {})"
QUERIES = {
    "documents": "SELECT s.name, d.external_id, d.kind, d.title, d.summary,"
    f" {DOC.format('d.canonical_id')} FROM documents d JOIN sources s ON s.id = d.source_id",
    "signals": f"SELECT {DOC.format('g.document_id')}, g.signal_type, g.fingerprint, g.score,"
    " g.iso_week FROM signals g",
    "mentions": f"SELECT {DOC.format('x.document_id')}, e.label, e.key, x.start_char,"
    " x.end_char, x.origin FROM mentions x JOIN entities e ON e.id = x.entity_id",
    "links": f"SELECT {DOC.format('l.from_document_id')}, {DOC.format('l.to_document_id')},"
    " l.link_type, l.method, l.confidence FROM document_links l",
    "organisations": "SELECT o.key, o.name, o.country, o.projects, o.patents, o.publications,"
    " o.degree FROM organisations o",
    "roles": f"SELECT o.key, {DOC.format('r.document_id')}, r.role"
    " FROM organisation_documents r JOIN organisations o ON o.id = r.organisation_id",
}


def _landed(settings: Settings, items: list[str]) -> list[Path]:
    """The items in three landing files, enriched in this order."""
    paths = []
    for n, start in enumerate(range(0, len(items), 14)):
        partition = Partition(settings.landing_dir, "mixed", date(2024, 11, 20), f"r{n}")
        partition.folder.mkdir(parents=True, exist_ok=True)
        partition.items.write_text("\n".join(items[start : start + 14]) + "\n", "utf-8")
        paths.append(partition.items)
    return paths


def _state(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {
            name: sorted((tuple(r) for r in conn.execute(text(sql))), key=repr)
            for name, sql in QUERIES.items()
        }


@pytest.mark.e2e
@pytest.mark.parametrize("backend", BACKENDS)
def test_any_load_order_gives_the_same_rows(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    profile = make_profile()
    nlp = build_pipeline(load_resources(profile), base=spacy.blank("en"))
    items = [line for line in SAMPLE.read_text("utf-8").splitlines() if line.strip()]
    shuffled = items[:]
    random.Random(16).shuffle(shuffled)
    states = []
    for n, order in enumerate((items, items[::-1], shuffled)):
        if backend == "sqlite":
            path = tmp_path / f"order{n}.db"
            shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
            engine = make_engine(URL.create("sqlite", database=str(path)))
        else:
            engine = make_engine(request.getfixturevalue("postgres_url"))
            _truncate_all(engine)
        settings = Settings(
            database_url=engine.url, data_dir=tmp_path / f"var{n}", profile="ket-biotech"
        )
        enrich(settings, profile, _landed(settings, order), nlp=nlp, batch_size=5)
        steps.run_impact(settings, profile)
        states.append(_state(engine))
        engine.dispose()
    first = states[0]
    assert first["links"] and first["signals"] and first["roles"]  # the sample has them all
    assert any(row[2] == "follow_on" for row in first["links"])
    for other in states[1:]:
        for name in QUERIES:
            assert other[name] == first[name], name
