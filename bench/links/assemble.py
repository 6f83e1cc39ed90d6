"""Merge the parts into projects.jsonl, documents.jsonl, pairs.jsonl and events.jsonl with a fixed
project split."""
import collections, hashlib, json, os

HERE = os.path.dirname(os.path.abspath(__file__))
IN = os.path.join(HERE, "intermediate")
SEED = "scintel-links-v1"
TEST_SHARE = 40  # percent of projects in test
PARTS = ("he", "openaire", "misc", "patent", "events")
# fields kept in intermediate/ but not shipped: they hold ground truth a link method must not read
HIDDEN_DOC_FIELDS = ("openaire_inferred_links",)
L = lambda n: [json.loads(l) for l in open(os.path.join(IN, n))]


def split_of(pid):
    return "test" if int(hashlib.sha256(f"{SEED}:{pid}".encode()).hexdigest(), 16) % 100 < TEST_SHARE else "dev"


def brief(pv):
    return {k: pv.get(k) for k in ("repo", "commit", "path", "url") if pv.get(k)}


def fill(cur, p):
    """A project the events also describe keeps its record and gains what it lacked: dates,
    a title, and participants (with the events record's gap note) when it had none."""
    for k in ("title", "title_source"):
        if not cur.get(k) and p.get(k):
            cur[k] = p[k]
    if not cur.get("start_date") and p.get("start_date"):
        cur.update({k: p[k] for k in ("start_date", "end_date", "dates_source")})
        cur["gaps"] = [g + " (start/end dates since filled, see dates_source)" if "date" in g else g for g in cur.get("gaps", [])]
    if not cur.get("participants") and p.get("participants"):
        cur["participants"] = p["participants"]
        cur["gaps"] = [g + " (since found: the participation rows of its Canadian, New Zealand or Pacific partners, with the project's dates)" if "no CORDIS row" in g else g
                       for g in cur.get("gaps", []) if "participant" not in g] + [g for g in p.get("gaps", []) if "participant" in g]
    cur.setdefault("also_described_by", []).append({"acronym": p.get("acronym"), "title": p.get("title"), "provenance": p.get("provenance")})


def main():
    projects, docs = {}, {}
    for part in PARTS:
        for p in L(f"{part}_projects.jsonl"):
            cur = projects.get(p["project_id"])
            if part == "events" and cur is not None:
                fill(cur, p)
                continue
            if cur is None or (not cur.get("participants") and p.get("participants")):
                if cur is not None:
                    p.setdefault("also_described_by", []).append({"acronym": cur.get("acronym"), "title": cur.get("title"), "provenance": cur.get("provenance")})
                projects[p["project_id"]] = p
            elif cur is not p:
                cur.setdefault("also_described_by", []).append({"acronym": p.get("acronym"), "title": p.get("title"), "provenance": p.get("provenance")})
                if not cur.get("title") and p.get("title"):
                    cur["title"] = p["title"]; cur["title_source"] = {"field": "OpenAIRE result->project relation <title>", "provenance": p.get("provenance")}
        for d in L(f"{part}_documents.jsonl"):
            if d["doc_id"] in docs:
                docs[d["doc_id"]]["provenance"] += [x for x in d["provenance"] if x not in docs[d["doc_id"]]["provenance"]]
            else:
                docs[d["doc_id"]] = d
    pairs, seen = [], {}
    for part in PARTS:
        for x in L(f"{part}_pairs.jsonl"):
            k = (x["project_id"], x["doc_id"])
            if k in seen:
                prev = seen[k]
                if prev["label"] != x["label"]:
                    raise SystemExit(f"label conflict {k}: {prev['method']} vs {x['method']}")
                prev.setdefault("also_found_as", []).append(x["method"])
                continue
            assert x["project_id"] in projects, x["project_id"]
            assert x["doc_id"] in docs, x["doc_id"]
            p, d = projects[x["project_id"]], docs[x["doc_id"]]
            row = {
                "pair_id": f"{x['project_id']}|{x['doc_id']}",
                "project_id": x["project_id"], "acronym": p.get("acronym"),
                "doc_id": x["doc_id"], "doc_kind": d["kind"], "doc_ids": d["ids"],
                "label": x["label"], "method": x["method"], "targets": x.get("targets", [x["method"]] if x["label"] else []),
                "hard": x.get("hard", x["label"] == 0),
                "evidence": x["evidence"],
                "source": {"label_from": [brief(s) for s in x["source"]], "document": [brief(s) for s in d["provenance"]]},
                "licence": d["licence"],
                "split": split_of(x["project_id"]),
            }
            seen[k] = row
            pairs.append(row)
    for p in projects.values():
        p["split"] = split_of(p["project_id"])
    events = []
    for e in L("events_raw.jsonl"):
        for pid in (e["project_id"], e.get("later_project_id")):
            assert pid is None or pid in projects, pid
        assert e.get("doc_id") is None or e["doc_id"] in docs, e["doc_id"]
        e = {"event_id": e.pop("event_id"), **e, "split": split_of(e["project_id"])}
        if e.get("later_project_id"):
            e["later_split"] = split_of(e["later_project_id"])
        events.append(e)
    used_p = {x["project_id"] for x in pairs} | {e["project_id"] for e in events} | {e["later_project_id"] for e in events if e.get("later_project_id")}
    used_d = {x["doc_id"] for x in pairs} | {e["doc_id"] for e in events if e.get("doc_id")}
    with open(os.path.join(HERE, "projects.jsonl"), "w") as f:
        for pid in sorted(used_p):
            f.write(json.dumps(projects[pid], ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "documents.jsonl"), "w") as f:
        for did in sorted(used_d):
            d = {k: v for k, v in docs[did].items() if k not in HIDDEN_DOC_FIELDS}
            if "grants_note" in d:
                d["grants_note"] = "grants = project relations OpenAIRE took from the source's own metadata (crosswalk); OpenAIRE's own inferences (full-text mining) are ground truth and live only in pairs.jsonl evidence"
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "pairs.jsonl"), "w") as f:
        for x in sorted(pairs, key=lambda x: (x["split"], x["project_id"], x["doc_id"])):
            f.write(json.dumps(x, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "events.jsonl"), "w") as f:
        for e in sorted(events, key=lambda e: (e["split"], e["type"], e["event_id"])):
            f.write(json.dumps(e, ensure_ascii=False) + "\n")
    c = collections.Counter((x["method"], x["label"], x["split"]) for x in pairs)
    ce = collections.Counter((e["type"], e["label"], e["trap"] or "-", e["split"]) for e in events)
    stats = {"projects": len(used_p), "documents": len(used_d), "pairs": len(pairs),
             "by_label": dict(collections.Counter(x["label"] for x in pairs)),
             "by_split": dict(collections.Counter(x["split"] for x in pairs)),
             "projects_by_split": dict(collections.Counter(split_of(p) for p in used_p)),
             "by_method_label_split": {f"{m}|{l}|{s}": n for (m, l, s), n in sorted(c.items())},
             "documents_by_kind": dict(collections.Counter(docs[d]["kind"] for d in used_d)),
             "events": len(events),
             "events_by_type_label_split": dict(collections.Counter(f"{e['type']}|{e['label']}|{e['split']}" for e in sorted(events, key=lambda e: (e["type"], e["label"], e["split"])))),
             "events_by_type_label_trap_split": {f"{t}|{l}|{tr}|{sp}": n for (t, l, tr, sp), n in sorted(ce.items())},
             "projects_with_dates": sum(1 for p in used_p if projects[p].get("start_date"))}
    json.dump(stats, open(os.path.join(HERE, "stats.json"), "w"), indent=1)
    print(json.dumps(stats, indent=1))


if __name__ == "__main__":
    main()
