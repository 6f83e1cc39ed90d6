"""A realistic KET-biotech warehouse for digest tests: documents through the loader,
enrichment rows (topics, entities, mentions, signals, links) as the enricher writes them.

The showcase week is 2026-W47 (16-22 Nov 2026); weeks W36-W46 give the charts and the
entity trends their history.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from scintel.storage import models as m
from scintel.storage.items import parse_item
from scintel.storage.loader import Loader

WEEK = "2026-W47"
MONDAY = date(2026, 11, 16)

TOPICS = {
    "enzymes": "Industrial enzymes and biocatalysis",
    "synbio": "Synthetic biology and metabolic engineering",
    "bioprocess": "Bioprocessing and fermentation",
    "biorefinery": "Biorefineries and bio-based chemicals",
    "biopolymers": "Biopolymers and biomaterials",
    "omics": "Omics and bioinformatics platforms",
    "cellfree": "Cell-free systems",
    "agrifood": "Agri-food biotechnology",
    "marine": "Marine biotechnology",
    "health": "Health biotechnology platforms",
}
ENTITIES = {
    "novozymes": ("ORG", "Novonesis (Novozymes)"),
    "basf": ("ORG", "BASF SE"),
    "carbios": ("ORG", "Carbios"),
    "lanzatech": ("ORG", "LanzaTech"),
    "dtu": ("ORG", "Technical University of Denmark"),
    "solugen": ("ORG", "Solugen"),
    "pet_hydrolase": ("TECHNOLOGY", "PET hydrolase"),
    "transaminase": ("TECHNOLOGY", "transaminase"),
    "gas_fermentation": ("TECHNOLOGY", "gas fermentation"),
    "c_autoethanogenum": ("ORGANISM", "Clostridium autoethanogenum"),
    "y_lipolytica": ("ORGANISM", "Yarrowia lipolytica"),
    "horizon_europe": ("PROGRAMME", "Horizon Europe"),
    "cbe_ju": ("PROGRAMME", "Circular Bio-based Europe JU"),
}


def _day(offset: int) -> str:
    return (MONDAY + timedelta(days=offset)).isoformat()


# item, topics {key: [evidence terms]}, entities [keys], signals [(type, score, amount, evidence)]
SHOWCASE: list[tuple[dict[str, Any], dict[str, list[str]], list[str], list[tuple]]] = [
    (
        {
            "kind": "publication",
            "source": "europepmc",
            "external_id": "MED:41234567",
            "title": "Engineered transaminases for chiral amine synthesis at 100 g/L substrate loading",
            "summary": "Directed evolution of an amine transaminase from Vibrio fluvialis gave a 40-fold "
            "more active variant used in a 10 L biocatalytic process.",
            "url": "https://europepmc.org/article/MED/41234567",
            "published": _day(2),
            "doi": "10.1038/s41467-026-11111-1",
            "pmid": "41234567",
            "journal": "Nature Communications",
            "authors": ["Rossi M", "Jensen K"],
            "grants": [{"funder": "European Commission", "id": "101000794"}],
        },
        {"enzymes": ["transaminase", "directed evolution", "biocatalytic"]},
        ["transaminase", "dtu", "novozymes"],
        [],
    ),
    (
        {
            "kind": "publication",
            "source": "europepmc",
            "external_id": "MED:41234602",
            "title": "A thermostable PET hydrolase depolymerises post-consumer bottles at 72 °C",
            "url": "https://europepmc.org/article/MED/41234602",
            "published": _day(1),
            "doi": "10.1126/science.adq0001",
            "journal": "Science",
            "authors": ["Martin A"],
        },
        {
            "enzymes": ["pet hydrolase", "enzyme engineering"],
            "biopolymers": ["polyethylene terephthalate"],
        },
        ["pet_hydrolase", "carbios"],
        [],
    ),
    (
        {
            "kind": "publication",
            "source": "biorxiv",
            "external_id": "10.1101/2026.11.17.624001",
            "title": "Gas fermentation of CO<sub>2</sub> by <i>Clostridium autoethanogenum</i> in a 1,000 L pilot reactor",
            "url": "https://www.biorxiv.org/content/10.1101/2026.11.17.624001v1",
            "published": _day(1),
            "doi": "10.1101/2026.11.17.624001",
            "authors": ["Köpke M"],
        },
        {"bioprocess": ["gas fermentation", "pilot reactor"]},
        ["gas_fermentation", "c_autoethanogenum", "lanzatech"],
        [],
    ),
    (
        {
            "kind": "publication",
            "source": "europepmc",
            "external_id": "MED:41234777",
            "title": "A genome-scale metabolic model of Yarrowia lipolytica guides succinic acid production",
            "url": "https://europepmc.org/article/MED/41234777",
            "published": _day(3),
            "journal": "Metabolic Engineering",
        },
        {"synbio": ["genome-scale metabolic model", "metabolic engineering"]},
        ["y_lipolytica"],
        [],
    ),
    (
        {
            "kind": "publication",
            "source": "openalex",
            "external_id": "W4410000001",
            "title": "Organosolv fractionation and enzymatic hydrolysis in an integrated lignocellulosic biorefinery",
            "url": "https://openalex.org/W4410000001",
            "published": _day(4),
            "journal": "Bioresource Technology",
        },
        {"biorefinery": ["lignocellulosic", "biorefinery"], "enzymes": ["enzymatic hydrolysis"]},
        [],
        [],
    ),
    (
        {
            "kind": "publication",
            "source": "europepmc",
            "external_id": "MED:41234888",
            "title": "Cell-free protein synthesis for on-demand production of industrial lipases",
            "url": "https://europepmc.org/article/MED/41234888",
            "published": _day(2),
            "journal": "ACS Synthetic Biology",
        },
        {"cellfree": ["cell-free protein synthesis"], "enzymes": ["lipase"]},
        [],
        [],
    ),
    (
        {
            "kind": "publication",
            "source": "europepmc",
            "external_id": "MED:41234999",
            "title": "Polyhydroxyalkanoates from food waste with mixed microbial cultures",
            "url": "https://europepmc.org/article/MED/41234999",
            "published": _day(5),
            "journal": "Water Research",
        },
        {"biopolymers": ["polyhydroxyalkanoate", "pha"]},
        [],
        [],
    ),
    (
        {
            "kind": "patent",
            "source": "epo_ops",
            "external_id": "EP4567890A1",
            "title": "Transaminase variants with improved thermostability",
            "url": "https://worldwide.espacenet.com/patent/search?q=pn%3DEP4567890A1",
            "publication_number": "EP4567890A1",
            "applicants": ["NOVOZYMES AS"],
            "inventors": ["JENSEN KARIN"],
            "cpc": ["C12N9/1096", "C12P13/001"],
            "priority_date": "2025-05-02",
            "published": _day(2),
        },
        {"enzymes": ["transaminase"]},
        ["transaminase", "novozymes"],
        [("patent_publication", 0.7, None, {})],
    ),
    (
        {
            "kind": "patent",
            "source": "epo_ops",
            "external_id": "EP4567901A1",
            "title": "Polypeptides having lipase activity and polynucleotides encoding same",
            "url": "https://worldwide.espacenet.com/patent/search?q=pn%3DEP4567901A1",
            "publication_number": "EP4567901A1",
            "applicants": ["Novozymes A/S"],
            "cpc": ["C12N9/20"],
            "published": _day(2),
        },
        {"enzymes": ["lipase"]},
        ["novozymes"],
        [],
    ),
    (
        {
            "kind": "patent",
            "source": "epo_ops",
            "external_id": "EP4568012A1",
            "title": "Process for the enzymatic depolymerisation of polyethylene terephthalate",
            "url": "https://worldwide.espacenet.com/patent/search?q=pn%3DEP4568012A1",
            "publication_number": "EP4568012A1",
            "applicants": ["CARBIOS"],
            "cpc": ["C12P7/62", "C08J11/10"],
            "published": _day(2),
        },
        {"biopolymers": ["polyethylene terephthalate"], "enzymes": ["depolymerisation"]},
        ["carbios", "pet_hydrolase"],
        [],
    ),
    (
        {
            "kind": "patent",
            "source": "patentsview",
            "external_id": "US20260345678A1",
            "title": "Recombinant Clostridium bacteria for ethanol production from industrial off-gas",
            "url": "https://ppubs.uspto.gov/pubwebapp/external.html?q=20260345678.pn.",
            "publication_number": "US20260345678A1",
            "applicants": ["LanzaTech, Inc."],
            "cpc": ["C12P7/06", "C12N1/20"],
            "published": _day(3),
        },
        {"bioprocess": ["gas fermentation"]},
        ["lanzatech", "c_autoethanogenum", "gas_fermentation"],
        [],
    ),
    (
        {
            "kind": "patent",
            "source": "epo_ops",
            "external_id": "EP4568123A2",
            "title": "Fermentative production of 1,4-butanediol",
            "url": "https://worldwide.espacenet.com/patent/search?q=pn%3DEP4568123A2",
            "publication_number": "EP4568123A2",
            "applicants": ["BASF SE", "GENOMATICA INC"],
            "cpc": ["C12P7/18"],
            "published": _day(3),
        },
        {"biorefinery": ["1,4-butanediol", "bio-based chemicals"]},
        ["basf"],
        [],
    ),
    (
        {
            "kind": "funding_call",
            "source": "eu_funding",
            "external_id": "HORIZON-JU-CBE-2026-IA-03",
            "title": "Scaling up enzymatic recycling of plastics in biorefineries",
            "url": "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/topic-details/HORIZON-JU-CBE-2026-IA-03",
            "identifier": "HORIZON-JU-CBE-2026-IA-03",
            "programme": "Circular Bio-based Europe JU",
            "status": "open",
            "opening_date": "2026-04-16",
            "deadline": "2026-12-03",
            "budget_eur": 15000000,
            "published": "2026-04-16",
        },
        {"biorefinery": ["biorefineries"], "biopolymers": ["plastics"]},
        ["cbe_ju"],
        [],
    ),
    (
        {
            "kind": "funding_call",
            "source": "eu_funding",
            "external_id": "HORIZON-EIC-2026-PATHFINDERCHALLENGES-01-02",
            "title": "EIC Pathfinder Challenge: cell-free biomanufacturing",
            "url": "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/topic-details/HORIZON-EIC-2026-PATHFINDERCHALLENGES-01-02",
            "identifier": "HORIZON-EIC-2026-PATHFINDERCHALLENGES-01-02",
            "programme": "Horizon Europe",
            "status": "open",
            "opening_date": "2026-06-10",
            "deadline": "2026-12-16",
            "budget_eur": 32000000,
            "published": "2026-06-10",
        },
        {"cellfree": ["cell-free"]},
        ["horizon_europe"],
        [],
    ),
    (
        {
            "kind": "funding_call",
            "source": "eu_funding",
            "external_id": "HORIZON-CL6-2027-CIRCBIO-01-05",
            "title": "Biotech routes to circular bio-based chemicals",
            "url": "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/topic-details/HORIZON-CL6-2027-CIRCBIO-01-05",
            "identifier": "HORIZON-CL6-2027-CIRCBIO-01-05",
            "programme": "Horizon Europe Cluster 6",
            "status": "open",
            "opening_date": _day(2),
            "deadline": "2027-02-17",
            "budget_eur": 12000000,
            "published": _day(2),
        },
        {"biorefinery": ["bio-based chemicals"]},
        ["horizon_europe"],
        [
            (
                "funding_call",
                0.9,
                None,
                {
                    "identifier": "HORIZON-CL6-2027-CIRCBIO-01-05",
                    "deadline": "2027-02-17",
                    "status": "open",
                },
            )
        ],
    ),
    (
        {
            "kind": "funding_call",
            "source": "eu_funding",
            "external_id": "HORIZON-CL6-2026-FARM2FORK-02-01",
            "title": "Microbiome innovations for food systems (closed)",
            "url": "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/topic-details/HORIZON-CL6-2026-FARM2FORK-02-01",
            "identifier": "HORIZON-CL6-2026-FARM2FORK-02-01",
            "status": "open",
            "deadline": "2026-11-19",
            "published": "2026-05-01",
        },
        {},
        [],
        [],
    ),
    (
        {
            "kind": "news",
            "source": "news",
            "external_id": "https://www.fiercebiotech.example/solugen-series-d",
            "title": "Solugen raises $200 million Series D to build bio-based chemical plants",
            "url": "https://www.fiercebiotech.example/solugen-series-d",
            "published": _day(1),
            "outlet": "Fierce Biotech",
        },
        {"biorefinery": ["bio-based chemical"]},
        ["solugen"],
        [
            (
                "funding_round",
                0.92,
                Decimal(184000000),
                {
                    "sentence": "Houston-based Solugen said on Tuesday it raised $200 million in a Series D round "
                    "led by GIC to build two chemienzymatic plants.",
                    "amount": 200000000,
                    "currency": "USD",
                },
            )
        ],
    ),
    (
        {
            "kind": "news",
            "source": "news",
            "external_id": "https://www.biofuelsdigest.example/novonesis-basf",
            "title": "Novonesis and BASF sign enzyme co-development partnership for cold-wash detergents",
            "url": "https://www.biofuelsdigest.example/novonesis-basf",
            "published": _day(3),
            "outlet": "Biofuels Digest",
        },
        {"enzymes": ["enzyme"]},
        ["novozymes", "basf"],
        [
            (
                "partnership",
                0.85,
                None,
                {
                    "sentence": "Novonesis and BASF signed a multi-year agreement to co-develop enzymes for "
                    "cold-wash detergents.",
                    "parties": ["Novonesis", "BASF"],
                },
            )
        ],
    ),
    (
        {
            "kind": "news",
            "source": "news",
            "external_id": "https://www.labiotech.example/carbios-longlaville",
            "title": "Carbios secures financing for PET biorecycling plant in Longlaville",
            "url": "https://www.labiotech.example/carbios-longlaville",
            "published": _day(4),
            "outlet": "Labiotech.eu",
        },
        {"biopolymers": ["pet", "biorecycling"]},
        ["carbios", "pet_hydrolase"],
        [
            (
                "funding_round",
                0.8,
                Decimal(45000000),
                {
                    "cue": "financing",
                    "snippet": "Carbios closed €45 million of new financing for its "
                    "Longlaville plant.",
                    "amount": "45000000",
                    "currency": "EUR",
                    "amount_text": "€45 million",
                },
            )
        ],
    ),
    (
        {
            "kind": "news",
            "source": "news",
            "external_id": "https://www.chemanager.example/dsm-biocatalysts",
            "title": "dsm-firmenich acquires enzyme specialist Biocatalysts Ltd",
            "url": "https://www.chemanager.example/dsm-biocatalysts",
            "published": _day(2),
            "outlet": "CHEManager",
        },
        {"enzymes": ["enzyme"]},
        [],
        [
            (
                "acquisition",
                0.88,
                None,
                {
                    "sentence": "dsm-firmenich has agreed to acquire Biocatalysts Ltd, "
                    "a Welsh enzyme maker."
                },
            )
        ],
    ),
    (
        {
            "kind": "news",
            "source": "news",
            "external_id": "https://www.foodnavigator.example/efsa-blg",
            "title": "EFSA backs precision-fermented beta-lactoglobulin as a novel food",
            "url": "https://www.foodnavigator.example/efsa-blg",
            "published": _day(5),
            "outlet": "FoodNavigator",
        },
        {"agrifood": ["precision fermentation", "novel food"]},
        [],
        [
            (
                "regulatory_approval",
                0.8,
                None,
                {
                    "sentence": "EFSA concluded that the precision-fermented "
                    "protein is safe under the proposed uses."
                },
            )
        ],
    ),
    (
        {
            "kind": "project",
            "source": "cordis",
            "external_id": "101000794",
            "title": "Enzymatic routes to bio-based amines",
            "url": "https://cordis.europa.eu/project/id/101000794",
            "project_id": "101000794",
            "acronym": "AMINOZYME",
            "programme_code": "H2020-EU.2.1.4",
            "start_date": "2021-01-01",
            "end_date": "2025-12-31",
            "ec_contribution_eur": 4999875.5,
            "coordinator": "Danmarks Tekniske Universitet",
            "participants": [
                {"name": "Danmarks Tekniske Universitet", "country": "DK", "role": "coordinator"},
                {"name": "Novozymes A/S", "country": "DK", "role": "participant"},
            ],
            "published": "2020-11-20",
        },
        {},
        ["dtu", "novozymes"],
        [],
    ),
]
# The same paper as the first one, seen on bioRxiv: a duplicate that must not be shown twice.
DUPLICATE = {
    "kind": "publication",
    "source": "biorxiv",
    "external_id": "10.1101/2026.11.02.600001",
    "title": "Engineered transaminases for chiral amine synthesis at 100 g/L substrate loading",
    "url": "https://www.biorxiv.org/content/10.1101/2026.11.02.600001v2",
    "published": _day(2),
}

OLD_OUTPUT, OLDER_OUTPUT = "H-publication-6-0", "H-publication-6-1"  # published in 2026-W41
HISTORY_TITLES = {
    "publication": [
        "Metabolic engineering of {org} for {chem} production",
        "Immobilised {tech} for continuous flow biocatalysis",
        "Techno-economic analysis of {chem} from sugar beet pulp",
    ],
    "patent": ["Method for producing {chem} using {org}", "Variant {tech} polypeptides"],
    "news": ["{company} expands {chem} capacity in Europe", "{company} opens biotech R&D centre"],
}
FILL = {
    "org": ["Escherichia coli", "Bacillus subtilis", "Saccharomyces cerevisiae"],
    "chem": ["lactic acid", "succinic acid", "1,3-propanediol"],
    "tech": ["lipase", "laccase", "ketoreductase"],
    "company": ["Novonesis", "BASF", "Corbion"],
}


def _items() -> list[dict[str, Any]]:
    rng = random.Random(7)
    history = []
    for back in range(1, 12):
        monday = MONDAY - timedelta(weeks=back)
        for kind, per_week in (("publication", 6), ("patent", 2), ("news", 2)):
            for n in range(per_week + rng.randint(0, 3)):
                template = rng.choice(HISTORY_TITLES[kind])
                title = template.format(**{k: rng.choice(v) for k, v in FILL.items()})
                ext = f"H-{kind}-{back}-{n}"
                item = {
                    "kind": kind,
                    "source": {"publication": "europepmc", "patent": "epo_ops", "news": "news"}[
                        kind
                    ],
                    "external_id": ext,
                    "title": title,
                    "url": f"https://example.org/{ext}",
                    "published": (monday + timedelta(days=rng.randint(0, 6))).isoformat(),
                }
                if kind == "patent":
                    item |= {"publication_number": ext, "applicants": ["BASF SE"]}
                if kind == "news":
                    item |= {"outlet": "European Biotechnology"}
                history.append(item)
    return [s[0] for s in SHOWCASE] + [DUPLICATE] + history


def populate(engine: Engine) -> dict[str, int]:
    """Load the showcase week and its history; returns document ids by external_id."""
    with Session(engine) as session, session.begin():
        loader = Loader(session)
        items = [parse_item(json.dumps(i)) for i in _items()]
        result = loader.upsert(items)
        ids = {i.external_id: d for i, d in zip(items, result.document_ids, strict=True)}

        topics = {k: m.Topic(key=k, name=name) for k, name in TOPICS.items()}
        entities = {
            k: m.Entity(label=lab, canonical_name=name, key=k)
            for k, (lab, name) in ENTITIES.items()
        }
        session.add_all([*topics.values(), *entities.values()])
        session.flush()

        for item, doc_topics, doc_entities, signals in SHOWCASE:
            doc_id = ids[item["external_id"]]
            for rank, (key, terms) in enumerate(doc_topics.items()):
                session.add(
                    m.DocumentTopic(
                        document_id=doc_id,
                        topic_id=topics[key].id,
                        score=0.9 - 0.2 * rank,
                        evidence=[{"term": t, "count": 1, "weight": 0.4} for t in terms],
                    )
                )
            for n, key in enumerate(doc_entities):
                session.add(
                    m.Mention(
                        document_id=doc_id,
                        entity_id=entities[key].id,
                        start_char=n * 20,
                        end_char=n * 20 + 8,
                        text=key,
                        origin="ruler",
                    )
                )
            for signal_type, score, amount, evidence in signals:
                session.add(
                    m.Signal(
                        document_id=doc_id,
                        signal_type=signal_type,
                        score=score,
                        iso_week=WEEK,
                        amount_eur=amount,
                        evidence=evidence,
                    )
                )
        session.get(m.Document, ids[DUPLICATE["external_id"]]).canonical_id = ids["MED:41234567"]
        # The harvested link the impact step makes of the paper's grant acknowledgement.
        session.add(
            m.DocumentLink(
                from_document_id=ids["101000794"],
                to_document_id=ids["MED:41234567"],
                link_type="project_output",
                method="harvested",
                confidence=1.0,
                evidence={"grant_id": "101000794", "funder": "European Commission"},
                found_at=datetime(2026, 11, 18, 8, tzinfo=UTC),
            )
        )
        # A participant match: the Novozymes patent credited to the AMINOZYME project.
        session.add(
            m.DocumentLink(
                from_document_id=ids["101000794"],
                to_document_id=ids["EP4567890A1"],
                link_type="project_output",
                method="participant_match",
                confidence=0.8,
                evidence={"participant": "Novozymes A/S"},
                found_at=datetime(2026, 11, 18, 9, tzinfo=UTC),
            )
        )
        # An older paper credited to the project this week: new to the officers, so shown.
        session.add(
            m.DocumentLink(
                from_document_id=ids["101000794"],
                to_document_id=ids[OLD_OUTPUT],
                link_type="project_output",
                method="participant_match",
                confidence=0.7,
                found_at=datetime(2026, 11, 20, 14, tzinfo=UTC),
            )
        )
        # ... and one credited before the week: not new, so not shown.
        session.add(
            m.DocumentLink(
                from_document_id=ids["101000794"],
                to_document_id=ids[OLDER_OUTPUT],
                link_type="project_output",
                method="participant_match",
                confidence=0.7,
                found_at=datetime(2026, 11, 15, 23, tzinfo=UTC),
            )
        )

        # History: steady Novonesis and topic tags, so only the week's real movers move.
        rng = random.Random(11)
        history = session.execute(
            select(m.Document.id, m.Document.kind).where(m.Document.external_id.like("H-%"))
        ).all()
        for doc_id, kind in history:
            key = {
                "publication": rng.choice(["synbio", "bioprocess", "enzymes", "biorefinery"]),
                "patent": "enzymes",
                "news": "biorefinery",
            }[kind]
            session.add(
                m.DocumentTopic(
                    document_id=doc_id,
                    topic_id=topics[key].id,
                    score=0.6,
                    evidence=["fermentation"],
                )
            )
            if rng.random() < 0.35:
                session.add(
                    m.Mention(
                        document_id=doc_id,
                        entity_id=entities["novozymes"].id,
                        start_char=0,
                        end_char=9,
                        text="Novozymes",
                        origin="ner",
                    )
                )
    return ids
