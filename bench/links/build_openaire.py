"""OpenAIRE part: real OpenAIRE Graph publication records (XML, 2019 API responses) that carry
result->project relations with their provenance, as committed in subugoe/openairegraph.

Per record we keep title, abstract (description), creators, affiliations (OpenAIRE
hasAuthorInstitution relations), DOI, date, journal and the EC project relations.
Labels:
  - relation with provenanceaction 'sysimport:crosswalk:repository' = the grant is stated in the
    metadata the source itself supplied -> positive, method 'harvested';
  - relation with provenanceaction 'iis' (inferenceprovenance iis::document_referencedProjects) =
    OpenAIRE mined the grant from the full text -> positive, method 'fulltext_ack' (or 'acronym'
    when the acronym also stands in our title/abstract);
  - 'propagation:project:semrel' relations are NOT used as labels (a heuristic propagation).
Negatives: a project of the same funding scheme that the record's complete relation list does not
name ('different_grant'); acronyms standing as ordinary words in an abstract ('acronym_ordinary_word').
"""
import base64, collections, gzip, io, json, os, re, sys, zipfile
import xml.etree.ElementTree as ET
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from sources import REPOS, show, prov, full_commit

HERE = os.path.dirname(os.path.abspath(__file__))
IN = os.path.join(HERE, "intermediate")
REPO = "subugoe/openairegraph"
DRI = "{http://www.driver-repository.eu/namespace/dri}"
OAF = "{http://namespace.openaire.eu/oaf}"
LIC = {"id": "CC-BY-4.0", "evidence": "OpenAIRE Graph records are licensed CC BY 4.0 (OpenAIRE Graph terms); repository subugoe/openairegraph LICENSE.md: MIT (Copyright (c) 2020 Najko Jahn)"}


def records():
    c = full_commit(REPO, REPOS[REPO]["commit"])
    path = "inst/extdata/h2020_results_short.gz"
    raw = gzip.decompress(show(REPO, c, path, binary=True)).decode()
    for i, line in enumerate(raw.splitlines()):
        rec = json.loads(line)
        body = zipfile.ZipFile(io.BytesIO(base64.b64decode(rec["body"]["$binary"]))).read("body").decode()
        yield body, prov(REPO, c, path, line=i + 1, mongo_oid=rec["_id"]["$oid"], note="gzip JSON lines; body = base64 zip of the OpenAIRE API XML record")
    for p in ["tests/one_project.xml", "tests/multiple_projects.xml", "tests/5dbc230696a3706d45b5a2ff.xml", "tests/5dbc233b6dd7e56a3977efdf.xml"]:
        yield show(REPO, c, p), prov(REPO, c, p)


def text(e):
    return (e.text or "").strip() if e is not None else None


def rel_snippet(xml, code):
    for m in re.finditer(r"<rel [^>]*>.*?</rel>", xml, re.S):
        s = m.group(0)
        if f"<code>{code}</code>" in s and 'type="project"' in s:
            return re.sub(r"\s+", " ", s)
    return None


def main():
    docs, projects, pairs, excluded = {}, {}, [], collections.Counter()
    doc_links = {}
    for xml, pv in records():
        root = ET.fromstring(xml.encode())
        oid = text(root.find(f".//{DRI}objIdentifier"))
        res = root.find(f".//{OAF}result")
        dois = [text(p) for p in res.findall("pid") if p.get("classid") == "doi"]
        did = "doi:" + re.sub(r"^https?://(dx\.)?doi\.org/", "", dois[0].strip().lower()) if dois else "openaire:" + oid
        if did in docs:
            docs[did]["provenance"].append(pv)
            continue
        title = next((text(t) for t in res.findall("title") if t.get("classid") == "main title"), None)
        desc = [text(d) for d in res.findall("description") if text(d)]
        creators = [text(c) for c in res.findall("creator")]
        journal = res.find("journal")
        grants, inferred, affs = [], [], []
        links = []
        for rel in res.find("rels") if res.find("rels") is not None else []:
            to = rel.find("to")
            if to is None:
                continue
            if to.get("type") == "organization" and to.get("class") == "hasAuthorInstitution":
                ctry = rel.find("country")
                affs.append({"name": text(rel.find("legalname")), "short_name": text(rel.find("legalshortname")),
                             "country": ctry.get("classid") if ctry is not None else None,
                             "openaire_provenance": rel.get("provenanceaction"), "inference": rel.get("inferenceprovenance") or None})
            if to.get("type") != "project":
                continue
            f = rel.find("funding/funder")
            fl1 = rel.find("funding/funding_level_1")
            fl0 = rel.find("funding/funding_level_0")
            ct = rel.find("contracttype")
            g = {"grant_id": text(rel.find("code")), "acronym": text(rel.find("acronym")), "project_title": text(rel.find("title")),
                 "funder": f.get("shortname") if f is not None else None,
                 "funding_stream": fl0.get("name") if fl0 is not None else None,
                 "scheme": fl1.get("name") if fl1 is not None else (ct.get("classid") if ct is not None else None),
                 "openaire_provenance": rel.get("provenanceaction"), "inference": rel.get("inferenceprovenance") or None,
                 "trust": rel.get("trust")}
            (grants if g["openaire_provenance"] == "sysimport:crosswalk:repository" else inferred).append(g)
            links.append((g, rel_snippet(xml, g["grant_id"])))
        docs[did] = {
            "doc_id": did, "kind": "publication",
            "ids": {"doi": dois[0] if dois else None, "openaire": oid, "other_dois": dois[1:]},
            "title": title, "abstract": desc[0] if desc else None, "authors": creators, "affiliations": affs,
            "journal": text(journal), "published": text(res.find("dateofacceptance")) or None,
            "publisher": text(res.find("publisher")),
            "collected_from": [c.get("name") for c in res.findall("collectedfrom")],
            "grants": grants,
            "openaire_inferred_links": inferred,
            "grants_note": "grants = project relations OpenAIRE took from the source's own metadata (crosswalk); openaire_inferred_links = OpenAIRE inferences (full-text mining, propagation): ground truth for pairs, not input for link methods",
            "applicants": [], "provenance": [pv], "licence": LIC,
        }
        doc_links[did] = links
        for g, _ in links:
            if g["funder"] != "EC":
                continue
            pid = g["grant_id"]
            projects.setdefault(pid, {
                "project_id": pid, "framework": g["funding_stream"], "acronym": g["acronym"], "title": g["project_title"],
                "objective": None, "programme": {"funding_scheme": g["scheme"]}, "start_date": None, "end_date": None,
                "participants": [], "gaps": ["no CORDIS row in the sources for this project: acronym, title and scheme are as OpenAIRE gives them in the result->project relation; participants unknown"],
                "provenance": {"openaire_relation_in": []}, "licence": LIC,
            })
            projects[pid]["provenance"]["openaire_relation_in"].append(did)

    # positives
    for did, links in doc_links.items():
        d = docs[did]
        blob = " ".join(filter(None, [d["title"], d["abstract"]]))
        for g, snip in links:
            if g["funder"] != "EC":
                continue
            if g["openaire_provenance"] == "propagation:project:semrel":
                excluded["propagation"] += 1
                continue
            acr = g["acronym"] or ""
            m = re.search(r"(?<![\w-])" + re.escape(acr) + r"(?![\w-])", blob) if len(acr) >= 3 else None
            if g["openaire_provenance"] == "sysimport:crosswalk:repository":
                method = "harvested"
            else:
                method = "acronym" if m else "fulltext_ack"
            ev = {"ground_truth": f"OpenAIRE result->project relation, provenanceaction={g['openaire_provenance']}" + (f", inferenceprovenance={g['inference']}, trust={g['trust']}" if g['inference'] else ""),
                  "relation_xml": snip}
            if m:
                ev["acronym_span"] = blob[max(0, m.start() - 80): m.end() + 80]
            if method == "fulltext_ack":
                ev["note"] = "grant found by OpenAIRE in the full text, which is not in the stored record: recall ceiling case for metadata-only methods"
            pairs.append({"project_id": g["grant_id"], "doc_id": did, "label": 1, "method": method, "evidence": ev, "source": d["provenance"][:1]})

    # different-grant negatives: same funding scheme, not named by the record's complete relation list
    by_scheme = collections.defaultdict(list)
    for p in projects.values():
        by_scheme[(p["framework"], p["programme"]["funding_scheme"])].append(p["project_id"])
    for did, links in sorted(doc_links.items()):
        named = {g["grant_id"] for g, _ in links}
        ec = [g for g, _ in links if g["funder"] == "EC" and g["openaire_provenance"] != "propagation:project:semrel"]
        if not ec:
            continue
        g = ec[0]
        cands = sorted(x for x in by_scheme[(g["funding_stream"], g["scheme"])] if x not in named)
        if not cands:
            continue
        # deterministic pick: the candidate whose id is closest to the acknowledged grant
        q = min(cands, key=lambda x: (abs(int(x) - int(g["grant_id"])) if x.isdigit() and g["grant_id"].isdigit() else 0, x))
        pairs.append({"project_id": q, "doc_id": did, "label": 0, "method": "different_grant", "targets": ["harvested", "text-mined", "matched"],
                      "evidence": {"ground_truth": f"the record's complete project relation list names {sorted(named)} and not {q}",
                                   "acknowledged": {"grant_id": g["grant_id"], "acronym": g["acronym"]},
                                   "shared_scheme": f"{g['funding_stream']} {g['scheme']}"},
                      "source": docs[did]["provenance"][:1]})

    for name, rows in [("openaire_projects.jsonl", list(projects.values())), ("openaire_documents.jsonl", list(docs.values())), ("openaire_pairs.jsonl", pairs)]:
        with open(os.path.join(IN, name), "w") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(name, len(rows))
    print("excluded", dict(excluded))


if __name__ == "__main__":
    main()
