"""Checks on the shipped files: referential integrity, one label per pair, verbatim evidence,
provenance that resolves in the local snapshots, and the split is by project."""
import json, os, re, subprocess, sys, collections
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
from sources import git_dir

L = lambda n: [json.loads(l) for l in open(os.path.join(HERE, n))]
projects = {p["project_id"]: p for p in L("projects.jsonl")}
docs = {d["doc_id"]: d for d in L("documents.jsonl")}
pairs = L("pairs.jsonl")
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
walk(list(projects.values())); walk(list(docs.values())); walk(pairs)

print(f"{len(projects)} projects, {len(docs)} documents, {len(pairs)} pairs, {len(checked)} provenance paths checked")
print("errors:", len(errors))
for e in errors[:40]: print(" ", e)
sys.exit(1 if errors else 0)
