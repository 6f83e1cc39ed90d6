"""Extract the Horizon Europe CORDIS tables used by the link set, verbatim, into intermediate/.

- organization rows: CORDIS Horizon Europe `organization.xlsx` as split into 81 parts and committed by
  mjarmak/funding-search-engine (src/test/resources/data/projects/split/organization_N.xlsx, Aug 2024);
- topics rows and report-summary rows: CORDIS Horizon Europe `topics.xlsx` / `reportSummaries.xlsx`
  committed by MichaelCarloH/Horizon-Europe-MDA (data/raw/, Apr 2025);
- reported publications: projects_reporting_publications.csv committed by
  adambuttrick/anr-funding-metadata-analysis (Horizon Europe projects and the DOIs their
  beneficiaries reported; Apr 2025).
Cells are kept as strings exactly as stored; nothing is normalised here.
"""
import csv, io, json, os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from sources import REPOS, show, ls, prov, full_commit
from xlsx_min import read_xlsx

OUT = os.path.join(os.path.dirname(__file__), "intermediate")
os.makedirs(OUT, exist_ok=True)


def dump(name, rows):
    with open(os.path.join(OUT, name), "w") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(name, len(rows))


def orgs():
    repo = "mjarmak/funding-search-engine"; c = full_commit(repo, REPOS[repo]["commit"])
    rows = []
    for path in sorted(ls(repo, c, "src/test/resources/data/projects/split/"),
                       key=lambda p: int(p.rsplit("_", 1)[1].split(".")[0])):
        table = read_xlsx(io.BytesIO(show(repo, c, path, binary=True)))
        head = table[0]
        for i, r in enumerate(table[1:], start=2):
            d = {h: (r[j] if j < len(r) else None) for j, h in enumerate(head)}
            d["_provenance"] = prov(repo, c, path, sheet_row=i)
            rows.append(d)
    dump("he_organization_rows.jsonl", rows)


def mda():
    repo = "MichaelCarloH/Horizon-Europe-MDA"; c = full_commit(repo, REPOS[repo]["commit"])
    for name, path in [("he_topics_rows.jsonl", "data/raw/topics.xlsx"),
                       ("he_reportsummaries_rows.jsonl", "data/raw/reportSummaries.xlsx")]:
        table = read_xlsx(io.BytesIO(show(repo, c, path, binary=True)))
        head = table[0]; rows = []
        for i, r in enumerate(table[1:], start=2):
            d = {h: (r[j] if j < len(r) else None) for j, h in enumerate(head)}
            d["_provenance"] = prov(repo, c, path, sheet_row=i)
            rows.append(d)
        dump(name, rows)


def pubs():
    repo = "adambuttrick/anr-funding-metadata-analysis"; c = full_commit(repo, REPOS[repo]["commit"])
    path = "format_horizon_europe_projects/projects_reporting_publications.csv"
    text = show(repo, c, path)
    rows = []
    for d in csv.DictReader(io.StringIO(text)):
        d["_provenance"] = prov(repo, c, path, csv_index=d.get(""))
        rows.append(d)
    dump("he_reported_publications_rows.jsonl", rows)


if __name__ == "__main__":
    orgs(); mda(); pubs()
