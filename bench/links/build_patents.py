"""Patent traps from the real EPO OPS / USPTO ODP responses in /work/shared/formats (their
provenance is in /work/shared/formats/README.md: parkerhancock/patent_client cassettes at
7b5e5569fe0b3d81b3686d3540a0d1b1fc903289, Apache-2.0).

Only negatives can be built from them: the applicants are group companies (other legal entity,
other country) of Horizon Europe participants, and the filings predate the projects. No real
CORDIS projectIrps row or patent text naming an EU grant was found, so there is no 'applicant'
positive (see README, gaps).
"""
import json, os, re, sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
IN = os.path.join(HERE, "intermediate")
SHARED = "/work/shared/formats"
sys.path.insert(0, os.path.join(HERE, "lib"))
from build_misc_helpers import he_project  # noqa: E402

L = lambda n: [json.loads(l) for l in open(os.path.join(IN, n))]
PC = "parkerhancock/patent_client"; PCC = "7b5e5569fe0b3d81b3686d3540a0d1b1fc903289"
LIC = {"id": "Apache-2.0 (repository) / public patent bibliographic data", "evidence": "parkerhancock/patent_client LICENSE Apache-2.0; EPO OPS / USPTO bibliographic data are public"}


def epo_wo():
    f = os.path.join(SHARED, "epo_ops_biblio_WO2009085664.xml")
    t = open(f, encoding="utf-8").read()
    app = re.findall(r'<applicant [^>]*data-format="original"[^>]*>.*?<name>(.*?)</name>', t, re.S)
    title = re.search(r'<invention-title lang="en">(.*?)</invention-title>', t).group(1)
    ab = re.search(r"<abstract lang=\"en\">\s*<p>(.*?)</p>", t, re.S)
    ipc = re.findall(r"<text>([A-H]\d\d[A-Z][^<]*)</text>", t)
    return {"doc_id": "patent:WO2009085664A2", "kind": "patent", "ids": {"publication_number": "WO2009085664A2"},
            "title": title, "abstract": ab.group(1).strip() if ab else None, "applicants": [a.strip() for a in app],
            "published": "2009-07-09", "filed": "2008-12-12", "priority": "2007-12-27", "classifications": [re.sub(r"\s+", " ", x).strip() for x in ipc],
            "authors": [], "affiliations": [], "grants": [],
            "provenance": [{"repo": PC, "commit": PCC, "path": "patent_client/_sync/epo/ops/published/cassettes/manager_test/TestPublished.test_get_biblio_from_wo.yaml (interaction 1)",
                            "local_copy": "/work/shared/formats/epo_ops_biblio_WO2009085664.xml", "sha256_16": "cc72579b561e4972"}],
            "licence": LIC}


def uspto():
    d = json.load(open(os.path.join(SHARED, "uspto_odp_application_16123456.json")))["patentBag"][0]
    return {"doc_id": "patent:US10902286B2", "kind": "patent", "ids": {"application_number": d["applicationNumberText"], "patent_number": d.get("patentNumber") or d["applicationMetaData"].get("patentNumber"),
            "earliest_publication": "US 2019-0095759 A1"},
            "title": (d.get("inventionTitle") or d["applicationMetaData"].get("inventionTitle")), "abstract": None,
            "applicants": [a["assigneeNameText"] for x in d.get("assignmentBag", []) for a in x.get("assigneeBag", [])][:1] or ["FUJIFILM Corporation"],
            "published": d.get("earliestPublicationDate") or d["applicationMetaData"].get("earliestPublicationDate"), "filed": d.get("filingDate"), "classifications": d.get("cpcClassificationBag"),
            "authors": [], "affiliations": [], "grants": [],
            "provenance": [{"repo": PC, "commit": PCC, "path": "patent_client/_sync/uspto/odp/cassettes/manager_test/test_simple_keyword_searches.yaml (interaction 0)",
                            "local_copy": "/work/shared/formats/uspto_odp_application_16123456.json", "sha256_16": "1ab11a207c1ba477"}],
            "licence": LIC}


def main():
    org_rows = L("he_organization_rows.jsonl"); topics = L("he_topics_rows.jsonl")
    reports = L("he_reportsummaries_rows.jsonl")
    wo, us = epo_wo(), uspto()
    projects, pairs = [], []
    for pid, doc, applicant, participant_rx, why in [
        ("101114820", wo, "MICROSOFT CORPORATION", r"^MICROSOFT", "browser-history relevance sorting (G06F) vs an AI controller for air-traffic control; filed 2008, the project is a 2023 SESAR project"),
        ("101113193", us, "FUJIFILM CORPORATION", r"^FUJIFILM", "filed 2018-09-06, before the Horizon Europe project existed"),
        ("101081373", us, "FUJIFILM CORPORATION", r"^FUJIFILM", "filed 2018-09-06, before the Horizon Europe project existed"),
    ]:
        p = he_project(pid, org_rows, topics, "participant is a group company of a patent applicant")
        for r in reports:
            m = re.match(r"^Periodic Reporting for period \d+ - (.+?) \((.+)\)\s*$", r["title"] or "", re.S)
            if r["projectID"] == pid and m and m.group(1).strip() == p["acronym"]:
                p["title"] = m.group(2).strip(); p["title_source"] = {"field": "reportSummaries.title", "verbatim": r["title"], "provenance": r["_provenance"]}
        projects.append(p)
        part = next(x for x in p["participants"] if re.search(participant_rx, x["name"].upper()))
        pairs.append({"project_id": pid, "doc_id": doc["doc_id"], "label": 0, "method": "applicant_other_entity_other_country", "targets": ["applicant", "matched"],
                      "evidence": {"ground_truth": f"applicant '{applicant}' is not the participant '{part['name']}' ({part['country']}, {part['role']}); {why}",
                                   "applicant": doc["applicants"], "participant": {"name": part["name"], "country": part["country"], "pic": part["pic"], "role": part["role"]},
                                   "patent_dates": {k: doc.get(k) for k in ("priority", "filed", "published") if doc.get(k)}, "patent_title": doc["title"]},
                      "source": doc["provenance"] + [part["provenance"]]})
    for name, rows in [("patent_projects.jsonl", projects), ("patent_documents.jsonl", [wo, us]), ("patent_pairs.jsonl", pairs)]:
        with open(os.path.join(IN, name), "w") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(name, len(rows))


if __name__ == "__main__":
    main()
