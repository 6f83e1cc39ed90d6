"""Horizon Europe part of the link set: CORDIS project rows + reported publications.

Ground truth: the reported-publications table (project number -> DOI, as reported by the
beneficiaries) is the label source. Positives are (project, DOI it reported); negatives are
built only from DOIs that the same complete table attributes to *other* projects and never to
the project in the pair, so the label rests on the table, not on a guess.

Writes intermediate/he_projects.jsonl, he_documents.jsonl, he_pairs.jsonl.
"""
import collections, json, os, re

HERE = os.path.dirname(os.path.abspath(__file__))
IN = os.path.join(HERE, "intermediate")
L = lambda n: [json.loads(l) for l in open(os.path.join(IN, n))]

# Topics chosen (calls with >= 2 projects that reported publications), weighted to the
# scintel watch profile (bio-based / circular bio, pharma and biotech tools, advanced
# materials) plus calls whose projects carry acronyms that are ordinary English words.
TOPICS = [
    "HORIZON-CL6-2021-CIRCBIO-01-08", "HORIZON-CL6-2021-CIRCBIO-01-09", "HORIZON-JU-CBE-2022-R-05",
    "HORIZON-HLTH-2021-TOOL-06-02", "HORIZON-HLTH-2021-IND-07-01", "HORIZON-HLTH-2022-CARE-08-04",
    "HORIZON-CL4-2021-RESILIENCE-01-07", "HORIZON-CL4-2021-RESILIENCE-01-20",
    "HORIZON-CL4-2022-RESILIENCE-01-11", "HORIZON-CL4-2022-RESILIENCE-01-24",
    "HORIZON-CL4-2022-RESILIENCE-01-10", "HORIZON-CL6-2021-FARM2FORK-01-04",
    "HORIZON-CL6-2022-FARM2FORK-01-05", "HORIZON-CL6-2022-FARM2FORK-01-06",
    "HORIZON-CL6-2021-BIODIV-01-15", "HORIZON-CL6-2021-ZEROPOLLUTION-01-10",
    "HORIZON-HLTH-2021-ENVHLTH-02-03", "HORIZON-HLTH-2021-ENVHLTH-02-02",
    "HORIZON-HLTH-2021-STAYHLTH-01-02",
]
MAX_POS_PER_PROJECT = 3
MAX_WORD_TRAPS = 2
COMMON_WORDS = {  # acronyms that are also ordinary English words (checked by hand below)
    "START", "STOP", "NOVA", "SAFE", "REACT", "AWARE", "IGNITION", "REALM", "BAMBOO", "CLEVER",
    "TRIGGER", "LEARN", "FAMILY", "FOREST", "MUSIC", "EMPHASIS", "GREENER", "HEAL", "FLASH",
    "PRUDENT", "SUPREME", "ETERNAL", "IMPACTIVE",
}
REPORT_TITLE = re.compile(r"^Periodic Reporting for period \d+ - (?P<acr>.+?) \((?P<title>.+)\)\s*$", re.S)


def norm_doi(d):
    return (d or "").strip().lower()


def main():
    orgs = L("he_organization_rows.jsonl")
    topics = L("he_topics_rows.jsonl")
    reports = L("he_reportsummaries_rows.jsonl")
    pubs = L("he_reported_publications_rows.jsonl")

    org_by_p = collections.defaultdict(list)
    for o in orgs:
        org_by_p[o["projectID"]].append(o)
    topic_by_p = collections.defaultdict(list)
    for t in topics:
        topic_by_p[t["projectID"]].append(t)
    report_by_p = collections.defaultdict(list)
    for r in reports:
        report_by_p[r["projectID"]].append(r)
    pubs_by_p = collections.defaultdict(list)
    reporters = collections.defaultdict(set)  # doi -> projects that reported it (whole table)
    for p in pubs:
        pubs_by_p[p["funder_code"]].append(p)
        reporters[norm_doi(p["doi"])].add(p["funder_code"])

    chosen = []
    for t in TOPICS:
        ps = sorted({x["projectID"] for x in topics if x["topic"] == t and x["projectID"] in pubs_by_p and x["projectID"] in org_by_p})
        if len(ps) >= 2:
            chosen.extend((t, p) for p in ps)
    chosen_ids = [p for _, p in chosen]
    print("projects chosen", len(chosen_ids))

    projects, docs, pairs = [], {}, []

    def doc_for(p):
        doi = norm_doi(p["doi"])
        did = "doi:" + doi
        if did not in docs:
            docs[did] = {
                "doc_id": did, "kind": "publication", "ids": {"doi": p["doi"]},
                "title": p["title"], "published": None,
                "reported_year": (p.get("publishedYear") or "").replace(".0", "") or None,
                "reported_year_note": "column publishedYear of the source CSV, which its notebook made by renaming the reporting field submitted_date: the year the beneficiary reported it, not necessarily the publication date",
                "abstract": None, "authors": [], "affiliations": [], "grants": [], "applicants": [],
                "title_note": "as reported by the beneficiary (publicationTitle); for some rows this is the journal title",
                "provenance": [p["_provenance"]],
                "licence": {"id": "MIT (repository) / CORDIS-derived reporting data",
                            "evidence": "adambuttrick/anr-funding-metadata-analysis LICENSE: MIT; rows are project-reported publications of Horizon Europe grants (funder_code = grant agreement number)"},
            }
        return did

    for topic, pid in chosen:
        o = sorted(org_by_p[pid], key=lambda r: int(r.get("order") or 999))
        acr = o[0]["projectAcronym"]
        title, title_src = None, None
        for r in report_by_p.get(pid, []):
            m = REPORT_TITLE.match(r["title"] or "")
            if m and m.group("acr").strip() == acr.strip():
                title, title_src = m.group("title").strip(), {"field": "reportSummaries.title", "verbatim": r["title"], "provenance": r["_provenance"]}
                break
        projects.append({
            "project_id": pid, "framework": "HORIZON", "acronym": acr, "title": title,
            "title_source": title_src, "objective": None,
            "programme": {"topics": [{"topic": t["topic"], "title": t["title"], "provenance": t["_provenance"]} for t in topic_by_p[pid]]},
            "call_topic": topic, "start_date": None, "end_date": None,
            "participants": [{
                "name": r["name"], "short_name": r["shortName"] or None, "country": r["country"], "role": r["role"],
                "pic": r["organisationID"], "activity_type": r["activityType"], "sme": r["SME"], "city": r["city"],
                "order": r["order"], "end_of_participation": r["endOfParticipation"], "provenance": r["_provenance"],
            } for r in o],
            "gaps": ["objective, start/end dates: the Horizon Europe project.csv committed in the sources is absent (over 4 MiB)"] + ([] if title else ["title: no periodic-report title naming this acronym"]),
            "provenance": {"organization": "CORDIS Horizon Europe organization.xlsx (split copy)", "topics": "CORDIS Horizon Europe topics.xlsx", "title": "CORDIS Horizon Europe reportSummaries.xlsx"},
            "licence": {"id": "CC-BY-4.0", "evidence": "CORDIS open data (data.europa.eu, 'cordis-eu-research-projects-under-horizon-europe-2021-2027'), reuse under Commission Decision 2011/833/EU; copies in repositories without a LICENSE file"},
        })

    # positives
    for topic, pid in chosen:
        acr = next(p for p in projects if p["project_id"] == pid)["acronym"]
        own = pubs_by_p[pid]
        seen = set()
        picked = []
        for p in sorted(own, key=lambda p: (0 if re.search(r"(?<![\w-])" + re.escape(acr) + r"(?![\w-])", p["title"] or "") else 1, norm_doi(p["doi"]))):
            d = norm_doi(p["doi"])
            if d in seen or not d:
                continue
            seen.add(d); picked.append(p)
            if len(picked) >= MAX_POS_PER_PROJECT:
                break
        for p in picked:
            did = doc_for(p)
            m = re.search(r"(?<![\w-])" + re.escape(acr) + r"(?![\w-])", p["title"] or "")
            pairs.append({
                "project_id": pid, "doc_id": did, "label": 1,
                "method": "acronym" if m else "reported",
                "evidence": {"ground_truth": f"projects_reporting_publications.csv row {p.get('')}: funder_code={p['funder_code']}, doi={p['doi']}",
                             **({"acronym_span": (p['title'] or '')[max(0, m.start()-60):m.end()+60]} if m else {}),
                             "note": None if m else "reported by the project; the stored record carries no grant id or acronym, so no metadata method can find it (recall ceiling case)"},
                "source": [p["_provenance"]],
            })

    # same-call negatives: a DOI that a sibling project of the same topic reported, never this project
    by_topic = collections.defaultdict(list)
    for t, pid in chosen:
        by_topic[t].append(pid)
    for t, pids in by_topic.items():
        for pid in pids:
            for q in pids:
                if q == pid:
                    continue
                cand = [p for p in sorted(pubs_by_p[q], key=lambda p: norm_doi(p["doi"])) if norm_doi(p["doi"]) and pid not in reporters[norm_doi(p["doi"])]]
                if cand:
                    p = cand[0]
                    did = doc_for(p)
                    pairs.append({
                        "project_id": pid, "doc_id": did, "label": 0, "method": "same_call", "targets": ["matched", "text-mined"],
                        "evidence": {"ground_truth": f"DOI reported only by {sorted(reporters[norm_doi(p['doi'])])} (sibling in call topic {t}); never reported by {pid} in the complete Horizon Europe table",
                                     "shared_topic": t},
                        "source": [p["_provenance"]],
                    })
                    break

    # acronym-as-ordinary-word traps: publications of other projects whose title uses the word
    word_pubs = []
    for pr in projects:
        acr = pr["acronym"]
        if acr.upper() not in COMMON_WORDS:
            continue
        rx = re.compile(r"(?<![\w-])" + re.escape(acr) + r"(?![\w-])", re.I)
        n = 0
        for p in sorted(pubs, key=lambda p: norm_doi(p["doi"])):
            d = norm_doi(p["doi"])
            if not d or pr["project_id"] in reporters[d]:
                continue
            m = rx.search(p["title"] or "")
            if not m:
                continue
            did = doc_for(p)
            pairs.append({
                "project_id": pr["project_id"], "doc_id": did, "label": 0,
                # an all-capitals hit in a mixed-case title is another project's or system's name, not the ordinary word
                "method": "acronym_other_meaning" if (m.group(0).isupper() and not (p["title"] or "").isupper()) else "acronym_ordinary_word",
                "targets": ["acronym", "text-mined"],
                "evidence": {"ground_truth": f"DOI reported only by {sorted(reporters[d])}, never by {pr['project_id']} ({acr})",
                             "word_span": (p["title"] or "")[max(0, m.start()-60):m.end()+60]},
                "source": [p["_provenance"]],
            })
            n += 1
            if n >= MAX_WORD_TRAPS:
                break

    for name, rows in [("he_projects.jsonl", projects), ("he_documents.jsonl", list(docs.values())), ("he_pairs.jsonl", pairs)]:
        with open(os.path.join(IN, name), "w") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(name, len(rows))


if __name__ == "__main__":
    main()
