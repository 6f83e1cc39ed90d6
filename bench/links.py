"""Precision and recall of the impact step's links and events on the labelled link set.

The set (bench/links/: real CORDIS project rows with dates and PICs, real publication, patent
and news records, labelled (project, document) pairs and labelled follow-on and uptake events
with hard negatives, split by project) is loaded as items into a fresh SQLite warehouse (news
through the enrichment, which gives them their signals); the impact step links them as it
links a real warehouse. Each labelled pair is then a true or false positive of the method that
linked it, or a miss; each labelled event is found in `v_impact_events` or not.

    python bench/links.py [--split dev|test|all]

Tune on dev; report on test. Links and events between unlabelled pairs are not scored.
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
from scintel.enrich import enrich
from scintel.impact.confidence import RULES
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
            {
                "name": p["name"],
                "country": p.get("country"),
                "role": p.get("role"),
                "pic": p.get("pic"),
            }
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
        return base | {"kind": "news", "source": "news", "outlet": doc.get("outlet") or "CORDIS"}
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


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", "utf-8")
    return path


def _rate(hits: int, total: int) -> float | None:
    return round(hits / total, 3) if total else None


def _rules(method: str, evidence: dict[str, Any]) -> list[str]:
    """The rule that made a link and the others that found the same pair."""
    return [evidence.get("rule", method), *evidence.get("also_found_by", [])]


def score_links(
    pairs: list[dict[str, Any]],
    links: dict[tuple[str, str], str],
    rules: dict[tuple[str, str], list[str]] | None = None,
) -> dict[str, Any]:
    by_method: dict[str, Counter[str]] = defaultdict(Counter)
    by_rule: dict[str, Counter[str]] = defaultdict(Counter)
    recall: dict[str, Counter[str]] = defaultdict(Counter)
    for pair in pairs:
        key = (pair["project_id"], pair["doc_id"])
        found = links.get(key)
        if found is not None:
            by_method[found]["tp" if pair["label"] else "fp"] += 1
            for rule in (rules or {}).get(key, [found]):  # every rule that found the pair
                by_rule[rule]["tp" if pair["label"] else "fp"] += 1
        if pair["label"]:
            recall[pair["method"]]["found" if found else "missed"] += 1
    return {
        "precision": {
            m: {"tp": c["tp"], "fp": c["fp"], "precision": _rate(c["tp"], c["tp"] + c["fp"])}
            for m, c in sorted(by_method.items())
        },
        "by_rule": {
            r: {"tp": c["tp"], "fp": c["fp"], "precision": _rate(c["tp"], c["tp"] + c["fp"])}
            for r, c in sorted(by_rule.items())
        },
        "recall": {
            m: {
                "found": c["found"],
                "missed": c["missed"],
                "recall": _rate(c["found"], c["found"] + c["missed"]),
            }
            for m, c in sorted(recall.items())
        },
    }


def score_events(events: list[dict[str, Any]], found: set[tuple[str, str, str]]) -> dict[str, Any]:
    """Per event type: precision over the labelled events the step found, recall over the
    positives; a follow-on found the other way round (later -> earlier) is counted apart."""
    out: dict[str, Any] = {}
    for kind in ("follow_on", "uptake"):
        c: Counter[str] = Counter()
        for e in (e for e in events if e["type"] == kind):
            target = e.get("later_project_id") or e["doc_id"]
            hit = (kind, e["project_id"], target) in found
            c["positives"] += e["label"]
            c["negatives"] += 1 - e["label"]
            c["tp" if e["label"] else "fp"] += hit
            c["reversed"] += kind == "follow_on" and (kind, target, e["project_id"]) in found
            if not e["label"] and hit:
                c[f"fp:{e['trap']}"] += 1
        out[kind] = {
            **{k: v for k, v in sorted(c.items())},
            "precision": _rate(c["tp"], c["tp"] + c["fp"]),
            "recall": _rate(c["tp"], c["positives"]),
        }
    return out


def run(split: str) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="scintel-links-"))
    docs = _read("documents.jsonl")
    rows = [project_item(p) for p in _read("projects.jsonl")]
    rows += [document_item(d) for d in docs if d["kind"] != "news"]
    news = [document_item(d) for d in docs if d["kind"] == "news"]
    settings = load_settings(database_url=f"sqlite:///{work / 'w.db'}", data_dir=work)
    engine = make_engine(settings.database_url)
    migrate.upgrade(engine)
    report = load_file(engine, _write(work / "items.jsonl", rows))
    profile = load_profile("ket-biotech")
    profile = profile.model_copy(
        update={"impact": profile.impact.model_copy(update={"programmes": FRAMEWORKS})}
    )
    enriched = enrich(settings, profile, [_write(work / "news.jsonl", news)])  # signals
    build_network(settings, profile)
    link_outputs(settings, profile)
    build_network(settings, profile)  # events read the links and the network
    with engine.connect() as conn:
        stored = [
            ((project_id, external_id), method, _rules(method, json.loads(evidence or "{}")))
            for project_id, external_id, method, evidence in conn.execute(
                text(
                    "SELECT p.project_id, d.external_id, l.method, l.evidence"
                    " FROM document_links l"
                    " JOIN projects p ON p.document_id = l.from_document_id"
                    " JOIN documents d ON d.id = l.to_document_id"
                    " WHERE l.link_type = 'project_output'"
                )
            )
        ]
        links = {pair: method for pair, method, _ in stored}
        rules = {pair: rule for pair, _, rule in stored}
        found = {
            (event, project_id, external_id)
            for event, project_id, external_id in conn.execute(
                text(
                    "SELECT e.event, p.project_id, d.external_id FROM v_impact_events e"
                    " JOIN projects p ON p.document_id = e.project_document_id"
                    " JOIN documents d ON d.id = e.event_document_id"
                    " WHERE e.event IN ('follow_on', 'uptake')"
                )
            )
        }
    engine.dispose()
    pairs = [p for p in _read("pairs.jsonl") if split == "all" or p["split"] == split]
    events = [e for e in _read("events.jsonl") if split == "all" or e["split"] == split]
    return {
        "split": split,
        "pairs": len(pairs),
        "events": len(events),
        "loaded": report.as_dict(),
        "enriched": enriched.enriched,
        "links": len(links),
        "events_found": len(found),
        **score_links(pairs, links, rules),
        "event_scores": score_events(events, found),
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
    print("precision by rule (every rule that found a pair), beside its confidence")
    for rule, c in result["by_rule"].items():
        given = RULES[rule].confidence if rule in RULES else None
        print(
            f"  {rule:<22} {c['precision']:.2f}  ({c['tp']} right, {c['fp']} wrong)"
            + (f"  confidence {given:.3f}" if given is not None else "")
        )
    print("recall by the pair's ground-truth method")
    for method, c in result["recall"].items():
        print(f"  {method:<14} {c['recall']:.2f}  ({c['found']} of {c['found'] + c['missed']})")
    print(
        f"events ({result['events']} labelled, {result['events_found']} follow-on/uptake events found)"
    )
    for kind, c in result["event_scores"].items():
        precision = "-" if c["precision"] is None else f"{c['precision']:.2f}"
        recall = "-" if c["recall"] is None else f"{c['recall']:.2f}"
        traps = ", ".join(f"{k[3:]} {v}" for k, v in c.items() if k.startswith("fp:"))
        print(
            f"  {kind:<10} precision {precision} ({c.get('tp', 0)} right, {c.get('fp', 0)} wrong"
            f"{': ' + traps if traps else ''})  recall {recall} ({c.get('tp', 0)} of"
            f" {c.get('positives', 0)}; {c.get('negatives', 0)} negatives)"
            + (f"  [{c['reversed']} found reversed]" if c.get("reversed") else "")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
