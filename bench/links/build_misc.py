"""Smaller real sources and cross-source traps.

1. CORDIS 'Results in Brief' article 451044 (CORDIS API XML, openeuropa/cordis-php-client fixture):
   positive for the project CORDIS associates with it (StairwAI, 101017142); hard negative for
   AI4EUROPE (101070000), which the article names and whose participant (University of Bologna)
   speaks in it, but which CORDIS does not associate with the article.
2. Funding-acknowledgement texts of real papers (Web of Science / OpenAIRE ids) from the OpenAIRE
   IIS project-reference-extraction test data: positive when the text states the EC grant
   number; 'different_grant' negatives pair a text with an EC project of the same file that it
   does not name.
3. Traps across sources: acronyms standing as ordinary words in OpenAIRE abstracts; an
   affiliation whose name key equals a Horizon Europe participant's in another country.
"""
import collections, json, os, re, sys, unicodedata
import xml.etree.ElementTree as ET
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from sources import REPOS, show, prov, full_commit
from build_misc_helpers import he_project

HERE = os.path.dirname(os.path.abspath(__file__))
IN = os.path.join(HERE, "intermediate")
L = lambda n: [json.loads(l) for l in open(os.path.join(IN, n))]
C = "{http://cordis.europa.eu}"
CC_BY = {"id": "CC-BY-4.0", "evidence": "CORDIS content, reuse under Commission Decision 2011/833/EU; CORDIS 'Results in Brief' articles are published under CC BY 4.0 (CORDIS legal notice); fixture file in openeuropa/cordis-php-client (EUPL-1.2)"}


def article(org_rows, topics):
    repo = "openeuropa/cordis-php-client"; c = full_commit(repo, REPOS[repo]["commit"]); path = "tests/fixtures/article-451044.xml"
    xml = show(repo, c, path)
    root = ET.fromstring(xml.encode())
    sections = []
    for s in root.find(f"{C}body"):
        t = s.find("sectionTitle"); b = s.find("sectionBody")
        sections.append(((t.text + "\n\n") if t is not None and t.text else "") + (b.text or ""))
    body = "\n\n".join(sections)
    rp = root.find(f".//{C}associations/{C}project")
    pid = rp.find(f"{C}id").text
    topic = rp.find(f".//{C}programme/{C}code")
    pv = prov(repo, c, path)
    doc = {"doc_id": "cordis-article:451044", "kind": "news", "ids": {"cordis_rcn": root.find(f"{C}rcn").text, "url": "https://cordis.europa.eu/article/id/451044-building-a-stairway-to-ai"},
           "title": root.find(f"{C}title").text, "abstract": root.find(f"{C}teaser").text, "text": body,
           "keywords": root.find(f"{C}keywords").text, "published": root.find(f"{C}contentCreationDate").text,
           "authors": [], "affiliations": [], "grants": [], "applicants": [], "provenance": [pv], "licence": CC_BY}
    stair = {"project_id": pid, "framework": "H2020", "acronym": rp.find(f"{C}acronym").text, "title": rp.find(f"{C}title").text,
             "objective": None, "teaser": rp.find(f"{C}teaser").text,
             "programme": {"topic": topic.text if topic is not None else None, "funding_scheme": "IA"}, "call_topic": topic.text if topic is not None else None,
             "start_date": None, "end_date": None, "participants": [],
             "gaps": ["participants, dates, objective: only the project block embedded in the CORDIS article XML is in the sources"],
             "provenance": {"cordis_article_association": pv}, "licence": CC_BY}
    ai4 = he_project("101070000", org_rows, topics, "named in CORDIS article 451044")
    m1 = re.search(r".{0,80}\(StairwAI\) project\.", body)
    m2 = re.search(r"an initiative of the EU-funded [^ ]+ \(AI4EUROPE\) project", body)
    m3 = re.search(r"[^.]*says Michela Milano, a researcher at the https://www.unibo.it/en/homepage \(University of Bologna\)\.", body)
    pairs = [
        {"project_id": pid, "doc_id": doc["doc_id"], "label": 1, "method": "acronym",
         "evidence": {"ground_truth": f"CORDIS article XML <project type=\"relatedProject\" source=\"editorial\"> id {pid} acronym StairwAI",
                      "acronym_span": m1.group(0) if m1 else None, "also": "'Coordinated by the University of Bologna, the project aims ...' (coordinator named in the text; StairwAI participants are not in the sources, so news_actor cannot be scored here)"},
         "source": [pv]},
        {"project_id": "101070000", "doc_id": doc["doc_id"], "label": 0, "method": "mentioned_other_project", "targets": ["acronym", "text-mined", "news_actor", "matched"], "hard": True,
         "evidence": {"ground_truth": "CORDIS associates article 451044 with project 101017142 (StairwAI) only; AI4EUROPE is named as the origin of the AI-on-Demand platform, the story is StairwAI's result",
                      "acronym_span": m2.group(0) if m2 else None, "actor_span": m3.group(0).strip() if m3 else None,
                      "actor_is_participant": "ALMA MATER STUDIORUM - UNIVERSITA DI BOLOGNA (IT) is a participant of 101070000 in CORDIS organization rows"},
         "source": [pv]},
    ]
    return [stair] + ([ai4] if ai4 else []), [doc], pairs


def acknowledgements(org_rows, topics):
    repo = "openaire/iis"; c = full_commit(repo, REPOS[repo]["commit"])
    base = "iis-wf/iis-wf-referenceextraction/src/test/resources/eu/dnetlib/iis/wf/referenceextraction/project/data/"
    texts = [json.loads(l) for l in show(repo, c, base + "document_text.json").splitlines() if l.strip()]
    projs = [json.loads(l) for l in show(repo, c, base + "project.json").splitlines() if l.strip()]
    ec = [p for p in projs if str(p.get("fundingClass", "")).startswith("EC::") and re.fullmatch(r"\d{6,9}", str(p["projectGrantId"]))]
    he_ids = {r["projectID"] for r in org_rows}
    projects, docs, pairs = {}, [], []
    lic = {"id": "unclear", "evidence": "acknowledgement sentences of published papers (Web of Science / OpenAIRE record ids) in the Apache-2.0 test data of openaire/iis; only the funding statement is stored, as the evidence it is"}
    for i, t in enumerate(texts):
        if not (t["id"].startswith("WOS:") or t["id"].startswith("50|") or t["id"].startswith("wurpubs")):
            continue
        named = []
        for p in ec:
            g = str(p["projectGrantId"])
            m = re.search(r"(?<!\d)" + g + r"(?!\d)", t["text"])
            if m:
                named.append((p, m))
        if not named:
            continue
        if "unidentified" in t["id"]:
            continue
        did = ("wos:" + t["id"][4:]) if t["id"].startswith("WOS:") else "openaire:" + t["id"].split("|", 1)[-1]
        pv = prov(repo, c, base + "document_text.json", line=i + 1)
        docs.append({"doc_id": did, "kind": "publication", "ids": {"source_id": t["id"]}, "title": None, "abstract": None,
                     "funding_text": t["text"], "authors": [], "affiliations": [], "grants": [], "applicants": [], "published": None,
                     "provenance": [pv], "licence": lic})
        for p, m in named:
            g = str(p["projectGrantId"])
            if g in he_ids:
                proj = he_project(g, org_rows, topics, "grant named in an acknowledgement text")
            else:
                proj = {"project_id": g, "framework": p["fundingClass"].split("::")[1], "acronym": p.get("projectAcronym"), "title": None, "objective": None,
                        "programme": {"funding_class": p["fundingClass"]}, "start_date": None, "end_date": None, "participants": [],
                        "gaps": ["no CORDIS row in the sources: acronym and grant id as in OpenAIRE's project list (openaire/iis test data)"],
                        "provenance": {"openaire_project_list": prov(repo, c, base + "project.json")},
                        "licence": {"id": "Apache-2.0 (repository)", "evidence": "openaire/iis LICENSE"}}
            projects.setdefault(g, proj)
            acr = p.get("projectAcronym") or ""
            am = re.search(r"(?<![\w-])" + re.escape(acr) + r"(?![\w-])", t["text"], re.I) if acr else None
            pairs.append({"project_id": g, "doc_id": did, "label": 1, "method": "grant_text",
                          "evidence": {"ground_truth": "the paper's funding statement names the grant number",
                                       "grant_span": t["text"][max(0, m.start() - 120): m.end() + 40],
                                       **({"acronym_also": am.group(0)} if am else {})},
                          "source": [pv]})
        # a different EC grant of the same file, not named by this text
        named_ids = {str(p["projectGrantId"]) for p, _ in named}
        others = sorted((p for p in ec if str(p["projectGrantId"]) not in named_ids and str(p["projectGrantId"]) in projects), key=lambda p: str(p["projectGrantId"]))
        if others:
            q = others[(i * 7) % len(others)]
            pairs.append({"project_id": str(q["projectGrantId"]), "doc_id": did, "label": 0, "method": "different_grant", "targets": ["text-mined", "harvested"],
                          "evidence": {"ground_truth": f"the funding statement names {sorted(named_ids)} and not {q['projectGrantId']} ({q.get('projectAcronym')})"},
                          "source": [pv]})
    return list(projects.values()), docs, pairs


def key(s):
    s = unicodedata.normalize("NFKD", s or "").encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^a-z0-9 ]", " ", s)
    stop = {"the", "of", "de", "gmbh", "sa", "sl", "srl", "spa", "ltd", "limited", "bv", "ag", "ab", "oy", "nv", "inc", "ev",
            "univ", "university", "universitat", "universite", "universita", "universidad"}
    return " ".join(w for w in s.split() if w not in stop)


WORD_TRAPS = {  # (project_id, doc_id): chosen by hand from the scan printed by `python3 build_misc.py --scan`
    ("101060264", "doi:10.1002/cite.201650156"), ("101091790", "doi:10.3390/rs10060910"),
    ("101091997", "doi:10.3389/fenvs.2018.00069"), ("101084549", "doi:10.3389/fenvs.2018.00069"),
    ("101057739", "doi:10.18154/rwth-2018-227942"), ("101057529", "doi:10.1080/14616696.2018.1473627"),
    ("101057429", "doi:10.1109/escience.2015.41"), ("734922", "doi:10.3389/fgene.2018.00661"),
    ("743029", "doi:10.1039/c8nj01514g"), ("643051", "doi:10.1111/bdi.12453"), ("776810", "doi:10.3847/2041-8213/aa9f0c"),
    ("643963", "doi:10.1186/s13059-018-1503-4"),
}


def cross_traps(org_rows, topics, scan=False):
    projs = {p["project_id"]: p for p in L("he_projects.jsonl") + L("openaire_projects.jsonl")}
    docs = {d["doc_id"]: d for d in L("openaire_documents.jsonl")}
    pairs, extra_projects = [], []
    for d in docs.values():
        blob = " ".join(filter(None, [d["title"], d["abstract"]]))
        linked = {g["grant_id"] for g in d["grants"] + d["openaire_inferred_links"]}
        for p in projs.values():
            a = p["acronym"] or ""
            if len(a) < 3 or p["project_id"] in linked:
                continue
            m = re.search(r"(?<![\w-])" + re.escape(a) + r"(?![\w-])", blob, re.I)
            if not m:
                continue
            if scan:
                print(p["project_id"], a, "|", d["doc_id"], "|", blob[max(0, m.start() - 70): m.end() + 70].replace("\n", " "))
            if (p["project_id"], d["doc_id"]) in WORD_TRAPS:
                pairs.append({"project_id": p["project_id"], "doc_id": d["doc_id"], "label": 0, "method": "acronym_ordinary_word", "targets": ["acronym", "text-mined"],
                              "evidence": {"ground_truth": f"the record's complete OpenAIRE project relation list {sorted(linked)} does not name {p['project_id']}; the word is used in its ordinary sense" + ("; the record predates the Horizon Europe project" if p["project_id"].startswith("101") else ""),
                                           "word_span": blob[max(0, m.start() - 80): m.end() + 80], "published": d.get("published")},
                              "source": d["provenance"][:1]})
    # same name key, other country: affiliation vs Horizon Europe participant
    by_key = collections.defaultdict(list)
    for r in org_rows:
        by_key[key(r["name"])].append(r)
    done = set()
    for d in sorted(docs.values(), key=lambda d: d["doc_id"]):
        for a in d["affiliations"]:
            k = key(a["name"])
            if not a.get("country") or k not in by_key:
                continue
            other = [r for r in by_key[k] if r["country"] not in (a["country"], "UK" if a["country"] == "GB" else a["country"])]
            if not other or any(r["country"] in (a["country"], "UK" if a["country"] == "GB" else "") for r in by_key[k]):
                continue
            for r in sorted(other, key=lambda r: r["projectID"])[:2]:
                if r["name"].strip().lower() == (a["name"] or "").strip().lower():
                    continue  # same spelling: likely the same body with a wrong country in one source, not the trap
                if (r["projectID"], d["doc_id"]) in done:
                    continue
                done.add((r["projectID"], d["doc_id"]))
                if r["projectID"] not in projs:
                    hp = he_project(r["projectID"], org_rows, topics, "participant name key equals an affiliation in another country")
                    extra_projects.append(hp); projs[r["projectID"]] = hp
                pairs.append({"project_id": r["projectID"], "doc_id": d["doc_id"], "label": 0, "method": "org_same_name_other_country", "targets": ["matched", "news_actor", "applicant"],
                              "evidence": {"ground_truth": f"affiliation '{a['name']}' ({a['country']}) is not participant '{r['name']}' ({r['country']}); the record's project relations are {sorted(g['grant_id'] for g in d['grants'] + d['openaire_inferred_links'])} and it predates the Horizon Europe project",
                                           "affiliation": a, "participant": {"name": r["name"], "country": r["country"], "pic": r["organisationID"], "role": r["role"]}},
                              "source": d["provenance"][:1] + [r["_provenance"]]})
    return extra_projects, pairs


def main():
    scan = "--scan" in sys.argv
    org_rows = L("he_organization_rows.jsonl"); topics = L("he_topics_rows.jsonl")
    P, D, X = [], [], []
    for fn in (article, acknowledgements):
        p, d, x = fn(org_rows, topics)
        P += p; D += d; X += x
    p, x = cross_traps(org_rows, topics, scan)
    P += p; X += x
    for name, rows in [("misc_projects.jsonl", P), ("misc_documents.jsonl", D), ("misc_pairs.jsonl", X)]:
        with open(os.path.join(IN, name), "w") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(name, len(rows))


if __name__ == "__main__":
    main()
