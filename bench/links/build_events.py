"""Labelled impact events (issue 16, deliverable 5): follow-on funding and uptake, from real records.

Follow-on. Source: the CORDIS participation rows compiled by thisisjohnc/horizon-europe-tools
(outputs/HE_CORDIS_summary-NZ_CA_pacific-[20240521_cordis_data]_20240602.xlsx, sheet
FP_participation): every FP7, H2020 and Horizon Europe participation of an organisation from
Canada, New Zealand or the Pacific, with the project's start and end dates and the
organisation's PIC. Horizon Europe projects get their complete participant list from the CORDIS
organization rows (mjarmak/funding-search-engine, see extract_he.py). A pair of projects that
share a PIC is labelled from the dates alone, by the issue's definition:
  1  the later project starts at least 12 months after the earlier one started, or after it ended;
  0  it starts sooner (the trap says whether both are of the same call or only close in time).
A timing negative holds whatever other participants the two projects share, so the partial
participant lists of FP7/H2020 projects (only the CA/NZ/Pacific partners are listed) cannot
turn it into a positive. Two negatives share an organisation name but no PIC (complete lists).

Uptake. Documents are real, openly licensed texts: six EU texts from stored page copies
(sources/pages.jsonl, with their URLs and licence evidence) and five texts of the annotated NLP
corpus (train and dev only; its test split stays out). Each event is labelled by hand against
the issue's definition: 1 when a participant of the project is a party of the text's typed event
(facility opening, acquisition, ...) on or after the project's start; 0 when the participant is
only mentioned, acts as the regulator, or is a party of an event before the project started.

Writes intermediate/events_projects.jsonl, events_documents.jsonl, events_raw.jsonl,
events_pairs.jsonl. System python3 only.
"""
import collections, csv, datetime as dt, hashlib, io, json, os, re, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
IN = os.path.join(HERE, "intermediate")
sys.path.insert(0, os.path.join(HERE, "lib"))
from sources import REPOS, show, prov, full_commit  # noqa: E402
from xlsx_min import read_xlsx  # noqa: E402
from build_misc_helpers import he_project  # noqa: E402
from assemble import split_of  # noqa: E402

L = lambda n: [json.loads(l) for l in open(os.path.join(IN, n))]
SUMMARY_REPO = "thisisjohnc/horizon-europe-tools"
SUMMARY_PATH = "outputs/HE_CORDIS_summary-NZ_CA_pacific-[20240521_cordis_data]_20240602.xlsx"
PREFIX_REPO = "banqusli/Knowledge_graph"
PREFIX_PATH = "knowledge_graph/csv/cordis_pro_copy.csv"
CORPUS = os.path.join(HERE, "..", "..", "scintel", "nlp", "corpus")
SUMMARY_LICENCE = {"id": "CC-BY-4.0 (CORDIS data) / CC-BY-SA-4.0 (compilation)",
                   "evidence": "CORDIS open data, reuse under Commission Decision 2011/833/EU; compiled by thisisjohnc/horizon-europe-tools, whose README licenses the work CC BY-SA 4.0 (LICENSE-CC-BY-SA.txt)"}
MIN_MONTHS = 12
QUOTA = {"dev": 36, "test": 30}  # follow-on positives and negatives kept per split (at most)
PER_PROJECT = 3        # a project takes part in at most this many follow-on events


def add_months(d, n):
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(y, m, day)
        except ValueError:
            continue


def months_between(a, b):
    n = (b.year - a.year) * 12 + (b.month - a.month)
    return n - 1 if b.day < a.day else n


def summary_rows():
    c = full_commit(SUMMARY_REPO, REPOS[SUMMARY_REPO]["commit"])
    table = read_xlsx(io.BytesIO(show(SUMMARY_REPO, c, SUMMARY_PATH, binary=True)), 1)
    head = table[0]
    rows = []
    for i, r in enumerate(table[1:], start=2):
        d = {h: (r[j] if j < len(r) else None) for j, h in enumerate(head)}
        d["_provenance"] = prov(SUMMARY_REPO, c, SUMMARY_PATH, sheet="FP_participation", sheet_row=i)
        rows.append(d)
    return rows


def prefix_projects():
    """Complete records of the H2020 projects.csv prefix committed by banqusli/Knowledge_graph."""
    c = full_commit(PREFIX_REPO, REPOS[PREFIX_REPO]["commit"])
    text = show(PREFIX_REPO, c, PREFIX_PATH)
    out = {}
    for i, r in enumerate(csv.DictReader(io.StringIO(text), delimiter=";"), start=1):
        if r.get("subjects") is None or not re.fullmatch(r"\d{4}-\d\d-\d\d", r.get("endDate") or ""):
            continue  # the file is cut inside its last record
        r["_provenance"] = prov(PREFIX_REPO, c, PREFIX_PATH, csv_record=i)
        out[r["id"]] = r
    return out


def summary_project(pid, rows, he_orgs, he_topics):
    r0 = rows[0]
    dates = {"start_date": r0["startDate"], "end_date": r0["endDate"],
             "dates_source": {"fields": "FP_participation.startDate/endDate", "provenance": r0["_provenance"]}}
    if r0["frameworkProgramme"] == "HORIZON" and any(o["projectID"] == pid for o in he_orgs):
        p = he_project(pid, he_orgs, he_topics, "impact event (follow-on or uptake)")
        p["title"] = r0["title"]
        p["title_source"] = {"field": "FP_participation.title", "provenance": r0["_provenance"]}
        p["gaps"] = ["objective: not in the sources"]
        p["provenance"]["dates"] = "CORDIS project rows as compiled in FP_participation"
        return p | dates
    return {
        "project_id": pid, "framework": r0["frameworkProgramme"], "acronym": r0["projectAcronym"],
        "title": r0["title"], "title_source": {"field": "FP_participation.title", "provenance": r0["_provenance"]},
        "objective": None, "programme": {"call": r0["subCall"], "type_of_action": r0["Type of action"]},
        "call_topic": r0["subCall"], **dates,
        "participants": [{
            "name": r["Organisation"], "short_name": r["shortName"], "country": r["country"], "role": r["role"],
            "pic": r["PIC"], "activity_type": r["activityType"], "sme": r["SME"], "order": r["order"],
            "provenance": r["_provenance"]} for r in sorted(rows, key=lambda r: int(r["order"] or 999))],
        "gaps": ["participants: only those from Canada, New Zealand and the Pacific (the compilation lists no others)",
                 "objective: not in the sources"],
        "provenance": {"participation": "CORDIS participation rows compiled in FP_participation (thisisjohnc/horizon-europe-tools)"},
        "licence": SUMMARY_LICENCE,
    }


def prefix_project(r):
    names = [n for n in r["participants"].split(";") if n]
    return {
        "project_id": r["id"], "framework": "H2020", "acronym": r["acronym"], "title": r["title"],
        "title_source": {"field": "projects.csv title", "provenance": r["_provenance"]},
        "objective": r["objective"], "programme": {"legal_basis": r["programme"], "topic": r["topics"], "funding_scheme": r["fundingScheme"]},
        "call_topic": r["topics"], "start_date": r["startDate"], "end_date": r["endDate"],
        "dates_source": {"fields": "projects.csv startDate/endDate", "provenance": r["_provenance"]},
        "participants": [{"name": r["coordinator"], "country": r["coordinatorCountry"], "role": "coordinator", "pic": None,
                          "provenance": r["_provenance"]}]
                        + [{"name": n, "country": None, "role": "participant", "pic": None, "provenance": r["_provenance"]} for n in names],
        "gaps": ["participants: names from the projects.csv lists; no PIC, and a country only for the coordinator (participantCountries is a set, not aligned with the names)"],
        "provenance": {"project": "CORDIS cordis-h2020projects.csv (May 2020 copy)"},
        "licence": {"id": "CC-BY-4.0", "evidence": "CORDIS open data, reuse under Commission Decision 2011/833/EU; copy committed in banqusli/Knowledge_graph (no LICENSE file)"},
    }


ROOT_TAIL = re.compile(r"(II|III|IV|PLUS|2020|I3|NEXT|[0-9])$")


def acronym_root(a):
    s = re.sub(r"[^A-Z0-9]", "", (a or "").upper())
    while True:
        t = ROOT_TAIL.sub("", s)
        if t == s or len(t) < 3:
            return s
        s = t


def successor_name(a, b):
    """The later acronym names the earlier one as its root (SITEX -> SITEX-II)."""
    ra, rb = acronym_root(a), acronym_root(b)
    return len(ra) >= 4 and ra == rb and (a or "").upper() != (b or "").upper()


def follow_on(rows, projects):
    by_pid = collections.defaultdict(list)
    for r in rows:
        by_pid[r["projectID"]].append(r)
    info = {pid: rs[0] for pid, rs in by_pid.items()}
    by_pic = collections.defaultdict(set)
    for r in rows:
        by_pic[r["PIC"]].add(r["projectID"])
    # Horizon Europe projects share organisations beyond CA/NZ: use their complete lists
    he_pics = {pid: {o["pic"] for o in projects[pid]["participants"]} for pid in projects if projects[pid]["framework"] == "HORIZON"}
    pairs = {}
    for pic, pids in by_pic.items():
        for a in pids:
            for b in pids:
                A, B = info[a], info[b]
                if (A["startDate"], a) >= (B["startDate"], b):
                    continue
                pairs.setdefault((a, b), set()).add(pic)
    for (a, b), pics in pairs.items():
        if a in he_pics and b in he_pics:
            pics |= he_pics[a] & he_pics[b]
    cands = []
    for (a, b), pics in pairs.items():
        A, B = info[a], info[b]
        s1, e1 = dt.date.fromisoformat(A["startDate"]), dt.date.fromisoformat(A["endDate"])
        s2 = dt.date.fromisoformat(B["startDate"])
        after_run = s2 >= add_months(s1, MIN_MONTHS)
        after_end = s2 > e1
        label = int(after_run or after_end)
        same_call = A["subCall"] == B["subCall"]
        trap = None if label else ("same_call" if same_call else "started_within_months")
        cands.append({"a": a, "b": b, "pics": sorted(pics), "label": label, "trap": trap,
                      "months": months_between(s1, s2), "after_end": after_end, "same_call": same_call,
                      "successor": successor_name(A["projectAcronym"], B["projectAcronym"])})
    return cands, info


def pick(cands, projects):
    """A deterministic, varied selection per split (both projects in the split): for positives
    successor names first, then half near the 12-month line and half later; for negatives the
    same call first, then starts 8-11 months apart, then sooner. A project takes part in at
    most PER_PROJECT events and one pair of frameworks fills at most a third of a side."""
    use = collections.Counter()
    chosen = []
    h = lambda c: hashlib.sha256(f"{c['a']}|{c['b']}".encode()).hexdigest()
    for split, quota in QUOTA.items():
        for label in (1, 0):
            pool = sorted((c for c in cands if c["label"] == label and split_of(c["a"]) == split == split_of(c["b"])), key=h)
            if label:
                groups = [[c for c in pool if c["successor"]],
                          [c for c in pool if not c["successor"] and c["months"] < MIN_MONTHS + 3],
                          [c for c in pool if not c["successor"] and c["months"] >= MIN_MONTHS + 3]]
                shares = [quota, quota // 2, quota]
            else:
                groups = [[c for c in pool if c["same_call"]],
                          [c for c in pool if not c["same_call"] and c["months"] >= 8],
                          [c for c in pool if not c["same_call"] and c["months"] < 8]]
                shares = [quota * 2 // 5, quota * 2 // 5, quota]
            kinds = collections.Counter()
            taken = 0
            for group, share in zip(groups, shares, strict=True):
                got = 0
                for c in group:
                    if taken >= quota or got >= share:
                        break
                    fw = (projects[c["a"]]["framework"], projects[c["b"]]["framework"])
                    if use[c["a"]] >= PER_PROJECT or use[c["b"]] >= PER_PROJECT or kinds[fw] >= quota // 3 + 1:
                        continue
                    chosen.append(c)
                    use[c["a"]] += 1
                    use[c["b"]] += 1
                    kinds[fw] += 1
                    got += 1
                    taken += 1
    return chosen


def role_of(project, pic):
    return next(({"name": p["name"], "country": p.get("country"), "role": p.get("role"), "pic": pic}
                 for p in project["participants"] if p.get("pic") == pic), None)


def follow_on_event(c, info, projects):
    A, B = projects[c["a"]], projects[c["b"]]
    shared = [{"pic": pic, "earlier": role_of(A, pic), "later": role_of(B, pic)} for pic in c["pics"]]
    shared = [s for s in shared if s["earlier"] and s["later"]]
    org = sorted(shared, key=lambda s: (s["earlier"]["country"] not in ("CA", "NZ"), s["earlier"]["name"]))[0]
    ev = {
        "rule": "later project starts >= 12 months after the earlier one started, or after it ended, and shares a participant (same PIC)",
        "earlier": {"acronym": A["acronym"], "start_date": A["start_date"], "end_date": A["end_date"], "call": info[c["a"]]["subCall"]},
        "later": {"acronym": B["acronym"], "start_date": B["start_date"], "end_date": B["end_date"], "call": info[c["b"]]["subCall"]},
        "months_after_start": c["months"], "later_starts_after_earlier_ended": c["after_end"],
        "shared": [{"pic": s["pic"], "name": s["earlier"]["name"], "country": s["earlier"]["country"],
                    "role_earlier": s["earlier"]["role"], "role_later": s["later"]["role"]} for s in shared],
    }
    if c["successor"]:
        ev["successor_name"] = f"{B['acronym']} is named after {A['acronym']} (strong evidence the later project continues the earlier)"
    return {
        "type": "follow_on", "project_id": c["a"], "later_project_id": c["b"],
        "organisation": {"name": org["earlier"]["name"], "pic": org["pic"], "country": org["earlier"]["country"],
                         "role_earlier": org["earlier"]["role"], "role_later": org["later"]["role"]},
        "label": c["label"], "trap": c["trap"], "hard": c["label"] == 0 or c["months"] < MIN_MONTHS + 3,
        "evidence": ev,
        "provenance": [A["dates_source"]["provenance"], B["dates_source"]["provenance"]],
        "licence": SUMMARY_LICENCE,
    }


# Same organisation name, different PIC and no PIC shared by the two projects (complete lists).
SAME_NAME = [
    ("101086106", "101073394", "911403368", "918467587",
     "FACULTAD LATINOAMERICANA DE CIENCIAS SOCIALES (CR, PIC 911403368) in the earlier project, Facultad Latinoamericana de Ciencias Sociales (EC, PIC 918467587) in the later: same name, two organisations in two countries; the projects share no PIC; the later also starts 2 months after the earlier"),
    ("101086276", "101120360", "885386804", "999466467",
     "Board of Trustees of the Leland Stanford Junior University (US, PIC 885386804) and BOARD OF TRUSTEES OF THE LELAND STANFORD JUNIOR UNIVERSITY (US, PIC 999466467): same name under two PICs; the projects share no PIC, and the later starts 10 months after the earlier, so it is no follow-on whichever way the two registrations are read"),
]


def same_name_events(projects):
    out = []
    for a, b, pa, pb, why in SAME_NAME:
        A, B = projects[a], projects[b]
        assert not ({p["pic"] for p in A["participants"]} & {p["pic"] for p in B["participants"]}), (a, b)
        oa, ob = role_of(A, pa), role_of(B, pb)
        out.append({
            "type": "follow_on", "project_id": a, "later_project_id": b,
            "organisation": {"name": oa["name"], "pic": pa, "country": oa["country"], "role_earlier": oa["role"],
                             "later": {"name": ob["name"], "pic": pb, "country": ob["country"], "role": ob["role"]}},
            "label": 0, "trap": "same_name_other_pic", "hard": True,
            "evidence": {"rule": "a shared participant is the same PIC; these are two PICs", "note": why,
                         "earlier": {"acronym": A["acronym"], "start_date": A["start_date"], "end_date": A["end_date"]},
                         "later": {"acronym": B["acronym"], "start_date": B["start_date"], "end_date": B["end_date"]}},
            "provenance": [A["dates_source"]["provenance"], B["dates_source"]["provenance"]] + [p["provenance"] for p in (role_src(A, pa), role_src(B, pb))],
            "licence": SUMMARY_LICENCE,
        })
    return out


def role_src(project, pic):
    return next(p for p in project["participants"] if p.get("pic") == pic)


# --- uptake ---------------------------------------------------------------------------------

CORPUS_TEXTS = {  # id -> split file of the annotated corpus (train/dev only)
    "news-nrel-hydrogen-to-methane-bioreactor-dedication": "dev",
    "news-ec-insects-two-years": "dev",
    "news-ec-boost-biotech-biomanufacturing-2024": "dev",
    "news-engineering-bacteria-churn-out-chemicals": "dev",
    "news-nrel-2010-microalgae-biofuel": "train",
}

# (document, project, participant PIC or name, label, trap, event type, event date, party span, why)
UPTAKE = [
    ("news:cbe.europa.eu/new-circular-industrial-biorefinery-completed-in-france", "887432", "AFYREN NEOXY", 1, None,
     "facility_opening", "2022-09-29", "The new industrial plant by AFYREN NEOXY",
     "the coordinator's plant is inaugurated during the project (2020-05-01 to 2024-04-30)"),
    ("news:eur-lex/32023M11150", "101082070", "998899793", 1, None,
     "acquisition", "2023-09-28", "sole control of the whole of Novamont S.p.A. (Novamont, Italy)",
     "the participant Novamont is the target of an acquisition cleared 11 months after the project started (2022-11-01)"),
    ("news:ec-press/2025-04-04-safran-collins-actuation", "101056865", "999964659", 1, None,
     "acquisition", "2025-04-04", "by Safran USA Inc. (\u2018Safran\u2019), controlled by Safran S.A.",
     "the acquirer is Safran USA Inc., which the text names as controlled by Safran S.A., the project's coordinator; the group acquires during the project (2022-09-01 to 2026-08-31)"),
    ("news:ec-press/2025-04-04-safran-collins-actuation", "101072625", "999964659", 1, None,
     "acquisition", "2025-04-04", "by Safran USA Inc. (\u2018Safran\u2019), controlled by Safran S.A.",
     "as for HESTIA: Safran S.A. is a participant; the acquisition is cleared during the project (2022-10-01 to 2026-09-30)"),
    ("news:eur-lex/32024M11320", "101072637", "950586615", 1, None,
     "acquisition", "2024-02-07", "Cisco Systems, Inc. (\u201cCisco\u201d or \u201cNotifying Party\u201d, USA) will acquire sole control of Splunk Inc.",
     "the associated partner Cisco Systems, Inc. is the acquirer, notified 16 months after the project started (2022-10-01)"),
    ("news:ec-press/2025-02-10-bosch-jci", "101135537", "999908787", 1, None,
     "acquisition", "2025-02-10", "by Robert Bosch GmbH (\u2018Bosch\u2019) of Germany",
     "the participant Robert Bosch GmbH is the acquirer, 14 months after the project started (2023-12-01)"),
    ("news:ec-press/2025-02-10-bosch-jci", "861570", "ROBERT BOSCH GMBH", 1, None,
     "acquisition", "2025-02-10", "by Robert Bosch GmbH (\u2018Bosch\u2019) of Germany",
     "the participant Robert Bosch GmbH is the acquirer; the event falls 20 months after the project ended (2023-05-31): uptake by the definition, which sets no end (hard)"),
    ("news:ec-press/2025-02-18-roquette-iff-pharma", "101059632", "991637791", 1, None,
     "acquisition", "2025-02-18", "by France-based Roquette Fr\u00e8res S.A. (\u201cRoquette\u201d)",
     "the participant Roquette Fr\u00e8res is the acquirer during the project (2022-09-01 to 2026-08-31)"),
    ("news:ec-press/2025-02-10-bosch-jci", "101082394", "999877359", 0, "name_substring_other_org",
     "acquisition", "2025-02-10", "by Robert Bosch GmbH (\u2018Bosch\u2019) of Germany",
     "the party is Robert Bosch GmbH; the project's participant STELLENBOSCH UNIVERSITY only contains the letters 'BOSCH' and is not in the text"),
    ("news:eur-lex/32023M11150", "101126733", "903251779", 0, "before_project",
     "acquisition", "2023-09-28", "Versalis S.p.A. (Versalis, Italy) will acquire",
     "the associated partner Versalis is the acquirer, but the decision (28.9.2023) precedes the project's start (2023-11-01)"),
    ("corpus:news-nrel-hydrogen-to-methane-bioreactor-dedication", "101084066", "931016283", 0, "before_project",
     "facility_opening", "2019-08-22", "Electrochaea, a German company that has erected similar devices overseas",
     "Electrochaea is a party of the 2019 dedication, three years before the project started (2022-11-01)"),
    ("corpus:news-ec-insects-two-years", "101061677", "999992304", 0, "regulator_not_the_participant",
     "regulatory_approval", "2023-05-17", "the Commission has authorised a few more insects as novel foods",
     "the Commission acts as the authority approving insect foods; the participant is the Joint Research Centre (registered under the Commission) in a nuclear-education project; a regulator granting an approval is not the participant taking anything up"),
    ("corpus:news-ec-insects-two-years", "101058684", "999992304", 0, "regulator_not_the_participant",
     "regulatory_approval", "2023-05-17", "the Commission has authorised a few more insects as novel foods",
     "as for ENEN2plus: the Commission as regulator, the JRC as participant of a research-infrastructure project"),
    ("corpus:news-ec-boost-biotech-biomanufacturing-2024", "101061677", "999992304", 0, "mentioned_no_typed_event",
     None, "2024-06-26", "the Commission has proposed a series of targeted actions",
     "a policy proposal, no funding round, partnership, acquisition, approval or opening"),
    ("corpus:news-engineering-bacteria-churn-out-chemicals", "101059632", "999981634", 0, "mentioned_no_typed_event",
     None, "2017-04-07", "Vítor Martins dos Santos from Wageningen University in the Netherlands",
     "Wageningen University is named as a researcher's affiliation; no typed event, and the text is five years older than the project (2022-09-01)"),
    ("corpus:news-engineering-bacteria-churn-out-chemicals", "101082070", "999981634", 0, "mentioned_no_typed_event",
     None, "2017-04-07", "Vítor Martins dos Santos from Wageningen University in the Netherlands",
     "as for GIANT LEAPS: an affiliation, no typed event, before the project (2022-11-01)"),
    ("corpus:news-nrel-2010-microalgae-biofuel", "101073374", "999467340", 0, "mentioned_no_typed_event",
     None, "2010-02-17", "Dan Kammen, University of California",
     "a speaker's affiliation in a meeting announcement; no typed event, 13 years before the project (2023-01-01)"),
    ("corpus:news-nrel-2010-microalgae-biofuel", "101059547", "968428116", 0, "mentioned_no_typed_event",
     None, "2010-02-17", "Bob Hebner, University of Texas",
     "a speaker's affiliation; no typed event, before the project (2022-07-01)"),
]

# Link-set pairs the uptake documents give (issue 16's news_actor method): the one article about
# a project's own plant is an output; a participant acting in a text about something else is not.
NEWS_PAIRS = [
    ("887432", "news:cbe.europa.eu/new-circular-industrial-biorefinery-completed-in-france", 1, "news_actor", ["news_actor", "acronym"],
     {"actor_span": "The new industrial plant by AFYREN NEOXY", "acronym_span": "The CBE JU-funded AFTERBIOCHEM project inaugurated",
      "ground_truth": "the article reports the inauguration of the project's own flagship plant by its coordinator and names the project"}),
    ("101082070", "news:eur-lex/32023M11150", 0, "participant_acts_off_project", ["news_actor"],
     {"actor_span": "sole control of the whole of Novamont S.p.A.", "ground_truth": "a merger decision about the participant; it does not name the project or report its work"}),
    ("101056865", "news:ec-press/2025-04-04-safran-collins-actuation", 0, "participant_acts_off_project", ["news_actor"],
     {"actor_span": "controlled by Safran S.A.", "ground_truth": "a merger clearance about the coordinator's group; not a result of the project"}),
    ("101072637", "news:eur-lex/32024M11320", 0, "participant_acts_off_project", ["news_actor"],
     {"actor_span": "Cisco Systems, Inc. (\u201cCisco\u201d or \u201cNotifying Party\u201d, USA) will acquire sole control of Splunk Inc.",
      "ground_truth": "a merger decision about an associated partner; not a result of the project"}),
    ("101135537", "news:ec-press/2025-02-10-bosch-jci", 0, "participant_acts_off_project", ["news_actor"],
     {"actor_span": "by Robert Bosch GmbH (\u2018Bosch\u2019) of Germany", "ground_truth": "a merger clearance about a participant's acquisition of a heating business; not a result of the project"}),
    ("101059632", "news:ec-press/2025-02-18-roquette-iff-pharma", 0, "participant_acts_off_project", ["news_actor"],
     {"actor_span": "by France-based Roquette Fr\u00e8res S.A. (\u201cRoquette\u201d)", "ground_truth": "a merger clearance about a participant's acquisition of a pharmaceutical excipients business; not a result of the project"}),
    ("101084066", "corpus:news-nrel-hydrogen-to-methane-bioreactor-dedication", 0, "participant_acts_off_project", ["news_actor"],
     {"actor_span": "Electrochaea, a German company that has erected similar devices overseas",
      "ground_truth": "a 2019 dedication in which the participant took part, three years before the project existed"}),
]


def uptake_documents():
    docs = {}
    for r in (json.loads(l) for l in open(os.path.join(HERE, "sources", "pages.jsonl"))):
        docs[r["doc_id"]] = {
            "doc_id": r["doc_id"], "kind": "news", "ids": {"url": r["url"]}, "title": r["title"], "text": r["text"],
            "abstract": None, "outlet": r["outlet"], "published": r["published"], "published_note": r["published_note"],
            "authors": [], "affiliations": [], "grants": [], "applicants": [],
            "provenance": [{"url": r["url"], "reference": r["reference"], "retrieved": r["retrieved"],
                            "copy": "bench/links/sources/pages.jsonl"}],
            "licence": r["licence"]}
    commit = subprocess.run(["git", "-C", HERE, "log", "-1", "--format=%H", "--", "../../scintel/nlp/corpus"],
                            capture_output=True, text=True).stdout.strip() or None
    for rid, split in CORPUS_TEXTS.items():
        r = next(json.loads(l) for l in open(os.path.join(CORPUS, f"{split}.jsonl")) if json.loads(l)["id"] == rid)
        docs[f"corpus:{rid}"] = {
            "doc_id": f"corpus:{rid}", "kind": "news", "ids": {"url": r["url"]}, "title": r["title"], "text": r["text"],
            "abstract": None, "outlet": r["reference"] or None, "published": r["published"],
            "authors": [], "affiliations": [], "grants": [], "applicants": [],
            "provenance": [{"url": r["url"], "reference": r["reference"], "copy": f"scintel/nlp/corpus/{split}.jsonl",
                            "record_id": rid, "copy_commit": commit}],
            "licence": {"id": r["licence"], "evidence": r["licence_evidence"]}}
    return docs


def participant(project, key):
    return next(p for p in project["participants"] if key in (p.get("pic"), p.get("name")))


def uptake_events(docs, projects):
    out = []
    for doc_id, pid, who, label, trap, etype, date, span, why in UPTAKE:
        d, p = docs[doc_id], projects[pid]
        assert span in d["text"], (doc_id, span)
        o = participant(p, who)
        event_day = dt.date.fromisoformat(date)
        out.append({
            "type": "uptake", "project_id": pid, "doc_id": doc_id,
            "organisation": {"name": o["name"], "pic": o.get("pic"), "country": o.get("country"), "role": o.get("role")},
            "label": label, "trap": trap, "hard": (label == 0 and trap != "mentioned_no_typed_event") or "(hard)" in why or "Safran" in span,
            "evidence": {"rule": "a participant is a party of the text's typed event (funding round, partnership, acquisition, approval, facility opening) on or after the project's start; a mention is not",
                         "event_type": etype, "event_date": date, "party_span": span,
                         "project": {"acronym": p["acronym"], "start_date": p["start_date"], "end_date": p["end_date"]},
                         "event_after_project_start": event_day >= dt.date.fromisoformat(p["start_date"]),
                         "note": why},
            "provenance": d["provenance"] + [o["provenance"], p["dates_source"]["provenance"]],
            "licence": d["licence"],
        })
    return out


def main():
    he_orgs, he_topics = L("he_organization_rows.jsonl"), L("he_topics_rows.jsonl")
    rows = summary_rows()
    by_pid = collections.defaultdict(list)
    for r in rows:
        by_pid[r["projectID"]].append(r)
    projects = {pid: summary_project(pid, rs, he_orgs, he_topics) for pid, rs in by_pid.items()}
    prefix = prefix_projects()
    cands, info = follow_on(rows, projects)
    chosen = pick(cands, projects)
    events = [follow_on_event(c, info, projects) for c in chosen] + same_name_events(projects)
    for pid in ("887432", "861570"):  # AFTERBIOCHEM, SAFE-UP: from the H2020 projects.csv prefix
        projects[pid] = prefix_project(prefix[pid])
    docs = uptake_documents()
    events += uptake_events(docs, projects)
    for e in events:
        target = e.get("later_project_id") or e["doc_id"]
        e["event_id"] = f"{e['type']}|{e['project_id']}|{target}"
    used = {e["project_id"] for e in events} | {e["later_project_id"] for e in events if e.get("later_project_id")}
    used |= {p for p, *_ in NEWS_PAIRS}
    # projects of the other parts that these CORDIS rows also describe get their dates (assemble.fill)
    linked = {json.loads(l)["project_id"] for part in ("he", "openaire", "misc", "patent") for l in open(os.path.join(IN, f"{part}_projects.jsonl"))}
    for pid in sorted(linked & (set(projects) | set(prefix))):
        projects.setdefault(pid, prefix_project(prefix[pid]) if pid in prefix else None)
        used.add(pid)
    pairs = [{"project_id": pid, "doc_id": did, "label": lab, "method": m, "targets": t, "hard": lab == 0, "evidence": ev,
              "source": docs[did]["provenance"]} for pid, did, lab, m, t, ev in NEWS_PAIRS]
    out = {"events_projects.jsonl": [projects[p] for p in sorted(used)],
           "events_documents.jsonl": list(docs.values()),
           "events_raw.jsonl": events,
           "events_pairs.jsonl": pairs}
    for name, items in out.items():
        with open(os.path.join(IN, name), "w") as f:
            for r in items:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(name, len(items))
    c = collections.Counter((e["type"], e["label"], e["trap"]) for e in events)
    for k, n in sorted(c.items(), key=str):
        print(" ", k, n)


if __name__ == "__main__":
    main()
