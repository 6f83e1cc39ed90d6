"""Checks on the shipped files: referential integrity, one label per pair and per event, verbatim
evidence, event labels that follow from the stored dates and PICs, provenance that resolves in
the local snapshots, and the split is by project."""
import datetime as dt, json, os, re, subprocess, sys
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
from sources import git_dir
from assemble import split_of

L = lambda n: [json.loads(l) for l in open(os.path.join(HERE, n))]
projects = {p["project_id"]: p for p in L("projects.jsonl")}
docs = {d["doc_id"]: d for d in L("documents.jsonl")}
pairs = L("pairs.jsonl")
events = L("events.jsonl")
errors = []
ws = lambda s: re.sub(r"\s+", " ", s or "").strip()

seen = set()
for x in pairs:
    k = (x["project_id"], x["doc_id"])
    if k in seen: errors.append(f"duplicate pair {k}")
    seen.add(k)
    if x["project_id"] not in projects: errors.append(f"unknown project {x['project_id']}")
    if x["doc_id"] not in docs: errors.append(f"unknown doc {x['doc_id']}")
    if x["label"] not in (0, 1): errors.append(f"bad label {k}")
    if x["split"] != projects[x["project_id"]]["split"]: errors.append(f"split mismatch {k}")
    d = docs[x["doc_id"]]
    hay = ws(" ".join(str(d.get(f) or "") for f in ("title", "abstract", "text", "funding_text")))
    for f in ("acronym_span", "word_span", "grant_span", "actor_span"):
        span = x["evidence"].get(f)
        if span and ws(span) not in hay:
            errors.append(f"{k}: {f} not verbatim in the stored document: {span[:80]!r}")
    if x["method"] == "harvested":
        if x["project_id"] not in {g["grant_id"] for g in d.get("grants", [])}:
            errors.append(f"{k}: harvested but grant not in document grants")
    if x["method"] == "fulltext_ack" and x["project_id"] in {g["grant_id"] for g in d.get("grants", [])}:
        errors.append(f"{k}: fulltext_ack but the grant is in the harvested grants")
    if x["label"] == 0 and x["method"] in ("different_grant",) and x["project_id"] in {g["grant_id"] for g in d.get("grants", [])}:
        errors.append(f"{k}: negative but grant harvested")
    if "openaire_inferred_links" in d: errors.append(f"{x['doc_id']}: hidden field shipped")

# events
day = lambda s: dt.date.fromisoformat(s)


def add_months(d, n):
    y, m = divmod(d.month - 1 + n, 12)
    for dd in (d.day, 30, 29, 28):
        try:
            return dt.date(d.year + y, m + 1, dd)
        except ValueError:
            continue


pics = lambda p: {x.get("pic") for x in p.get("participants", []) if x.get("pic")}
seen_ev = set()
for e in events:
    k = e["event_id"]
    if k in seen_ev: errors.append(f"duplicate event {k}")
    seen_ev.add(k)
    if e["type"] not in ("follow_on", "uptake") or e["label"] not in (0, 1): errors.append(f"{k}: bad type or label")
    if (e["label"] == 0) != bool(e.get("trap")): errors.append(f"{k}: a negative needs a trap, a positive none")
    p = projects.get(e["project_id"])
    if p is None:
        errors.append(f"{k}: unknown project"); continue
    if e["split"] != p["split"] or e["split"] != split_of(e["project_id"]): errors.append(f"{k}: split mismatch")
    if e["type"] == "follow_on":
        q = projects.get(e["later_project_id"])
        if q is None:
            errors.append(f"{k}: unknown later project"); continue
        if e.get("later_split") != q["split"]: errors.append(f"{k}: later split mismatch")
        if not (p.get("start_date") and p.get("end_date") and q.get("start_date")):
            errors.append(f"{k}: dates missing"); continue
        s1, e1, s2 = day(p["start_date"]), day(p["end_date"]), day(q["start_date"])
        if s2 < s1: errors.append(f"{k}: later project starts first")
        label = int(s2 >= add_months(s1, 12) or s2 > e1)
        if label != e["label"]: errors.append(f"{k}: label {e['label']} but the dates say {label}")
        shared = pics(p) & pics(q)
        if e["label"] == 1 and e["organisation"]["pic"] not in shared: errors.append(f"{k}: organisation PIC not in both projects")
        if e["trap"] == "same_name_other_pic" and shared: errors.append(f"{k}: same-name trap but the projects share {shared}")
        if e["trap"] in ("same_call", "started_within_months") and e["organisation"]["pic"] not in shared: errors.append(f"{k}: timing trap without a shared PIC")
        if e["trap"] == "same_call" and e["evidence"]["earlier"]["call"] != e["evidence"]["later"]["call"]: errors.append(f"{k}: same_call with two calls")
    else:
        d = docs.get(e["doc_id"])
        if d is None:
            errors.append(f"{k}: unknown document"); continue
        hay = ws(" ".join(str(d.get(f) or "") for f in ("title", "abstract", "text")))
        if ws(e["evidence"]["party_span"]) not in hay: errors.append(f"{k}: party_span not verbatim in the document")
        o = e["organisation"]
        if not any((o.get("pic") and x.get("pic") == o["pic"]) or x.get("name") == o["name"] for x in p.get("participants", [])):
            errors.append(f"{k}: organisation is not a participant of the project")
        after = day(e["evidence"]["event_date"]) >= day(p["start_date"])
        if e["label"] == 1 and not after: errors.append(f"{k}: positive before the project started")
        if e["trap"] == "before_project" and after: errors.append(f"{k}: before_project trap after the start")

# provenance resolves
checked = set()
def check(pv):
    if not isinstance(pv, dict) or "repo" not in pv or "commit" not in pv: return
    path = pv["path"].split(" (")[0]
    key = (pv["repo"], pv["commit"], path)
    if key in checked: return
    checked.add(key)
    gd = git_dir(pv["repo"])
    if not os.path.exists(gd):
        if not pv.get("local_copy"):
            errors.append(f"no local snapshot for {pv['repo']}")
        return
    r = subprocess.run(["git", "--git-dir", gd, "cat-file", "-e", f"{pv['commit']}:{path}"], capture_output=True)
    if r.returncode:
        errors.append(f"provenance does not resolve: {key}")
def walk(o):
    if isinstance(o, dict):
        if "repo" in o and "commit" in o and "path" in o: check(o)
        for v in o.values(): walk(v)
    elif isinstance(o, list):
        for v in o: walk(v)
walk(list(projects.values())); walk(list(docs.values())); walk(pairs); walk(events)

print(f"{len(projects)} projects, {len(docs)} documents, {len(pairs)} pairs, {len(events)} events, {len(checked)} provenance paths checked")
print("errors:", len(errors))
for e in errors[:40]: print(" ", e)
sys.exit(1 if errors else 0)
