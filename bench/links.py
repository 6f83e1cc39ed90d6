"""Precision and recall of the impact step's project -> output links on the labelled link set.

The set (bench/links/: real CORDIS project rows, real publication, patent and news records,
505 labelled pairs with hard negatives, split by project) is loaded as items into a fresh
SQLite warehouse; the impact step links them as it links a real warehouse; each labelled
pair is then a true or false positive of the method that linked it, or a miss.

    python bench/links.py [--split dev|test|all]

Tune on dev; report on test. Links between unlabelled pairs are not scored.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import text

from scintel.config import load_settings
from scintel.impact.steps import build_network, link_outputs
from scintel.profile import load_profile
from scintel.storage import migrate
from scintel.storage.engine import make_engine
from scintel.storage.loader import load_file

SET = Path(__file__).resolve().parent / "links"
FRAMEWORKS = ["FP7", "H2020", "HORIZON"]  # every project of the set is monitored


def _read(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (SET / name).read_text("utf-8").splitlines() if line]


def project_item(project: dict[str, Any]) -> dict[str, Any]:
    title = project.get("title") or project.get("acronym") or project["project_id"]
    return {
        "kind": "project",
        "source": "cordis",
        "external_id": project["project_id"],
        "project_id": project["project_id"],
        "acronym": project.get("acronym"),
        "title": title,
        "summary": project.get("objective") or project.get("teaser"),
        "programme_code": project.get("framework"),
        "start_date": project.get("start_date"),
        "end_date": project.get("end_date"),
        "participants": [
            {"name": p["name"], "country": p.get("country"), "role": p.get("role")}
            for p in project.get("participants", [])
            if p.get("name")
        ],
    }


def document_item(doc: dict[str, Any]) -> dict[str, Any]:
    """The record as a spider would land it: only what the source's record carries."""
    base = {
        "external_id": doc["doc_id"],
        "title": doc.get("title") or doc["doc_id"],
        "summary": doc.get("abstract") or doc.get("text") or doc.get("funding_text"),
        "published": doc.get("published"),
        "url": (doc.get("ids") or {}).get("url"),
    }
    if doc["kind"] == "patent":
        number = (doc.get("ids") or {}).get("publication_number") or doc["doc_id"]
        return base | {
            "kind": "patent",
            "source": "epo_ops",
            "publication_number": number,
            "applicants": doc.get("applicants") or [],
        }
    if doc["kind"] == "news":
        return base | {"kind": "news", "source": "news", "outlet": "CORDIS"}
    grants = [
        {"funder": g.get("funder"), "id": str(g["grant_id"])}
        for g in doc.get("grants") or []
        if g.get("grant_id")
    ]
    return base | {
        "kind": "publication",
        "source": "openalex",
        "doi": (doc.get("ids") or {}).get("doi"),
        "authors": doc.get("authors") or [],
        "grants": grants,
    }


def run(split: str) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="scintel-links-"))
    items = work / "items.jsonl"
    rows = [project_item(p) for p in _read("projects.jsonl")]
    rows += [document_item(d) for d in _read("documents.jsonl")]
    items.write_text("\n".join(json.dumps(r) for r in rows) + "\n", "utf-8")
    settings = load_settings(database_url=f"sqlite:///{work / 'w.db'}", data_dir=work)
    engine = make_engine(settings.database_url)
    migrate.upgrade(engine)
    report = load_file(engine, items)
    profile = load_profile("ket-biotech")
    profile = profile.model_copy(
        update={"impact": profile.impact.model_copy(update={"programmes": FRAMEWORKS})}
    )
    build_network(settings, profile)
    link_outputs(settings, profile)
    with engine.connect() as conn:
        links = {
            (project_id, external_id): method
            for project_id, external_id, method in conn.execute(
                text(
                    "SELECT p.project_id, d.external_id, l.method FROM document_links l"
                    " JOIN projects p ON p.document_id = l.from_document_id"
                    " JOIN documents d ON d.id = l.to_document_id"
                    " WHERE l.link_type = 'project_output'"
                )
            )
        }
    engine.dispose()
    pairs = [p for p in _read("pairs.jsonl") if split == "all" or p["split"] == split]
    by_method: dict[str, Counter[str]] = defaultdict(Counter)
    recall: dict[str, Counter[str]] = defaultdict(Counter)
    for pair in pairs:
        found = links.get((pair["project_id"], pair["doc_id"]))
        if found is not None:
            by_method[found]["tp" if pair["label"] else "fp"] += 1
        if pair["label"]:
            recall[pair["method"]]["found" if found else "missed"] += 1
    return {
        "split": split,
        "pairs": len(pairs),
        "loaded": report.as_dict(),
        "links": len(links),
        "precision": {
            m: {"tp": c["tp"], "fp": c["fp"], "precision": round(c["tp"] / (c["tp"] + c["fp"]), 3)}
            for m, c in sorted(by_method.items())
        },
        "recall": {
            m: {
                "found": c["found"],
                "missed": c["missed"],
                "recall": round(c["found"] / (c["found"] + c["missed"]), 3),
            }
            for m, c in sorted(recall.items())
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "test", "all"], default="dev")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    result = run(args.split)
    print(f"split {result['split']}: {result['pairs']} labelled pairs, {result['links']} links")
    print("precision by linking method (labelled pairs it linked)")
    for method, c in result["precision"].items():
        print(f"  {method:<12} {c['precision']:.2f}  ({c['tp']} right, {c['fp']} wrong)")
    print("recall by the pair's ground-truth method")
    for method, c in result["recall"].items():
        print(f"  {method:<14} {c['recall']:.2f}  ({c['found']} of {c['found'] + c['missed']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
