"""Signals typed by what happened (issue 15, deliverable 5), on real texts.

Texts: the annotated corpus's train and dev splits (scintel/nlp/corpus, ids cited; their
provenance and licence are in the records), the EU texts of bench/links/sources/pages.jsonl
(Commission merger decisions and press releases, CBE JU news; URL, reference and licence
evidence in each row), and one passage of the Commission's page on its proposal for plants
obtained by new genomic techniques (provenance beside NGT_PROPOSAL).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from scintel.nlp.analysis import analyse
from scintel.nlp.annotate import annotate
from scintel.nlp.corpus import SIGNAL_TYPES as GUIDE_TYPES
from scintel.nlp.corpus import load_split
from scintel.nlp.detect import detect_signals
from scintel.nlp.pipeline import Resources, build_pipeline, load_resources
from scintel.nlp.signal_types import SIGNAL_TYPES, UPTAKE_SIGNALS
from scintel.profile import load_profile
from scintel.storage.items import parse_item

PAGES = Path(__file__).resolve().parents[1] / "bench" / "links" / "sources" / "pages.jsonl"
# https://food.ec.europa.eu/plants/genetically-modified-organisms/new-techniques-biotechnology_lv
# (European Commission, DG SANTE; EU reuse policy, Decision 2011/833/EU, CC BY 4.0), the page's
# heading and its first two sentences, verbatim, as the search tool's stored copy shows them.
NGT_PROPOSAL = (
    "Commission proposal on plants obtained by certain new genomic techniques\n"
    "The European Commission has adopted a proposal for a new Regulation on plants produced by "
    "certain new genomic techniques. The proposal, adopted on 5 July 2023, is part of a package "
    "of legislative proposals to support the EU's Farm to Fork and Biodiversity strategies."
)


@pytest.fixture(scope="module")
def resources() -> Resources:
    return load_resources(load_profile("ket-biotech"))


@pytest.fixture(scope="module")
def nlp(resources: Resources) -> Language:
    return build_pipeline(resources)


def _corpus(split: str, doc_id: str) -> dict[str, Any]:
    return next(r for r in load_split(split) if r["id"] == doc_id)


def _page(doc_id: str) -> dict[str, Any]:
    for line in PAGES.read_text("utf-8").splitlines():
        row = json.loads(line)
        if row["doc_id"] == doc_id:
            text = f"{row['title']}\n\n{row['text']}"
            return {"id": doc_id, "kind": "news", "text": text, "published": row["published"]}
    raise KeyError(doc_id)


def _read(nlp: Language, resources: Resources, record: dict[str, Any]) -> dict[str, Any]:
    return next(annotate(nlp, resources, [record]))


def _stored(nlp: Language, resources: Resources, record: dict[str, Any]) -> dict[str, Any]:
    """The warehouse's signals of a news record, by type."""
    title, _, body = record["text"].partition("\n")
    item = parse_item(
        json.dumps({"kind": "news", "source": "t", "external_id": record["id"], "title": title,
                    "summary": body.strip(), "published": record["published"]})
    )  # fmt: skip
    analysis = next(analyse(nlp, resources, [(record["text"], None)]))
    return {s.signal_type: s for s in detect_signals(item, analysis, resources)}


def test_every_type_reports_a_guide_type_and_uptake_is_flagged_by_what_happened() -> None:
    for t in SIGNAL_TYPES.values():
        if t.precedence is not None:
            assert t.guide_type in GUIDE_TYPES, t.key
    assert {"licensing", "product_launch", "facility_opening"} <= set(UPTAKE_SIGNALS)
    assert not {"market_forecast", "policy_proposal", "standardisation"} & set(UPTAKE_SIGNALS)


@pytest.mark.parametrize(
    ("doc_id", "buyer", "target"),
    [
        ("news:ec-press/2025-02-10-bosch-jci", "Robert Bosch GmbH", None),
        ("news:ec-press/2025-04-04-safran-collins-actuation", "Safran USA Inc.", None),
        ("news:eur-lex/32024M11320", "Cisco Systems, Inc.", "Splunk Inc."),
        ("news:eur-lex/32023M11150", "Versalis S.p.A.", "Novamont S.p.A."),
    ],
)
def test_a_merger_clearance_is_an_acquisition_whose_parties_are_the_companies(
    nlp: Language, resources: Resources, doc_id: str, buyer: str, target: str | None
) -> None:
    """'The Commission has approved ... the acquisition of': the deal happened, the approval
    is its form; the Commission clears it and is no party. A buyer named with its legal
    form ("Cisco Systems, Inc. (...)") stays in its sentence."""
    signal = _read(nlp, resources, _page(doc_id))["signal"]
    parties = [p["text"] for p in signal["parties"]]
    assert signal["type"] == "acquisition", signal
    assert buyer in parties and not any("Commission" in p for p in parties)
    assert target is None or target in parties


def test_an_eu_authorisation_is_read_when_the_authority_is_not_in_the_cues_sentence(
    nlp: Language, resources: Resources
) -> None:
    """dev news-ec-insects-two-years: 'the EU authorised', 'Member States gave their approval',
    'the Commission has authorised': the authority named in the act's words, not as the
    agency of a cue's sentence (read as none before)."""
    record = _corpus("dev", "news-ec-insects-two-years")
    assert _read(nlp, resources, record)["signal"]["type"] == "regulatory_approval"


def test_a_funding_round_keeps_its_amount_in_its_own_currency_beside_eur(
    nlp: Language, resources: Resources
) -> None:
    """train news-cbe-ju-first-grants-116m: grants 'will receive' EUR 116 million."""
    record = _corpus("train", "news-cbe-ju-first-grants-116m")
    plain = _read(nlp, resources, record)["signal"]
    assert plain["type"] == "funding_round"
    amount = plain["amount"]
    assert amount["text"] == "€116 million" and amount["currency"] == "EUR" and amount["eur"]


@pytest.mark.parametrize(
    "doc_id",
    [
        "news-epa-food-waste-anaerobic-digestion-awards-2019",  # "EPA to Award $110,000 to ..."
        "news-eere-doe-usda-47m-biomass-grants-2011",  # "DOE and USDA Award $47 Million ..."
        "news-commission-state-aid-nordfuel-veolia-advanced-biofuels",  # approves investment aid
    ],
)
def test_awards_and_approved_aid_are_funding_rounds(
    nlp: Language, resources: Resources, doc_id: str
) -> None:
    """dev texts: an agency that will 'award' an amount funds, and the Commission that
    approves 'investment aid' authorises no product: both are funding rounds (read as none
    and as a regulatory approval before)."""
    record = _corpus("dev", doc_id)
    assert _read(nlp, resources, record)["signal"]["type"] == "funding_round"


def test_a_plant_opening_keeps_its_type_and_its_builders_as_parties(
    nlp: Language, resources: Resources
) -> None:
    """CBE JU news on AFYREN NEOXY's biorefinery (pages.jsonl) and dev
    news-range-fuels-groundbreaking ('Ground Broken for ...', the passive form)."""
    cbe = _page("news:cbe.europa.eu/new-circular-industrial-biorefinery-completed-in-france")
    assert _read(nlp, resources, cbe)["signal"]["event"] == "facility_opening"
    stored = _stored(nlp, resources, cbe)
    assert set(stored) == {"facility_opening"}
    assert stored["facility_opening"].evidence["organisations"]  # the impact step reads them
    range_fuels = _read(nlp, resources, _corpus("dev", "news-range-fuels-groundbreaking"))
    assert range_fuels["signal"]["type"] == "facility_opening"
    assert "Range Fuels" in [p["text"] for p in range_fuels["signal"]["parties"]]


def test_a_licence_in_a_plant_story_is_a_secondary_licensing_event(
    nlp: Language, resources: Resources
) -> None:
    """dev news-nrel-hydrogen-to-methane-bioreactor-dedication: the bioreactor's dedication is
    the story; 'licensed the technology to Electrochaea' is a licensing event beside it,
    which the guide files under partnership."""
    result = _read(
        nlp, resources, _corpus("dev", "news-nrel-hydrogen-to-methane-bioreactor-dedication")
    )
    assert result["signal"]["type"] == "facility_opening"
    licence = [s for s in result["secondary_signals"] if s["event"] == "licensing"]
    assert licence and licence[0]["type"] == "partnership"


def test_a_commission_proposal_is_a_policy_proposal_and_no_guide_event(
    nlp: Language, resources: Resources
) -> None:
    record = {"id": "ngt", "kind": "news", "text": NGT_PROPOSAL, "published": "2023-07-05"}
    signal = _read(nlp, resources, record)["signal"]
    assert signal["event"] == "policy_proposal" and signal["type"] == "none"
    assert [p["text"] for p in signal["parties"]] == ["European Commission"]
    stored = _stored(nlp, resources, record)
    assert set(stored) == {"policy_proposal"}


def test_a_market_growth_figure_in_a_project_summary_does_not_make_it_an_event(
    nlp: Language, resources: Resources
) -> None:
    """dev project-surfs-up-biosurfactants: 'The biosurfactant market is expected to grow at a
    CAGR of between 5.2 and 10.5%' is context of a project, whose primary stays none (gold)."""
    record = _corpus("dev", "project-surfs-up-biosurfactants")
    assert _read(nlp, resources, record)["signal"]["type"] == "none"


def test_a_research_news_story_with_a_proposal_of_actions_stays_none(
    nlp: Language, resources: Resources
) -> None:
    """dev news-ec-boost-biotech-biomanufacturing-2024 (gold none): 'the Commission has proposed
    a series of targeted actions' is a policy proposal, which the guide does not type."""
    record = _corpus("dev", "news-ec-boost-biotech-biomanufacturing-2024")
    assert _read(nlp, resources, record)["signal"]["type"] == "none"


def test_an_agency_that_announced_an_amount_for_projects_funds_them(
    nlp: Language, resources: Resources
) -> None:
    """train news-doe-46m-waste-algae-carbon-biofuel: 'The U.S. Department of Energy today
    announced $46 million for 22 projects' (read as no event before)."""
    record = _corpus("train", "news-doe-46m-waste-algae-carbon-biofuel")
    signal = _read(nlp, resources, record)["signal"]
    assert signal["type"] == "funding_round"
    assert signal["amount"]["text"] == "$46 million"


@pytest.mark.parametrize(
    ("split", "doc_id", "kind"),
    [
        ("train", "news-eere-114m-small-scale-biorefineries-2008", "funding_round"),
        ("train", "news-aphis-deregulates-high-oleic-soybean-2010", "regulatory_approval"),
        ("train", "news-ars-caterpillar-vegetable-oil-lubricants-2001", "partnership"),
    ],
)
def test_an_agency_that_will_invest_deregulates_or_signs_a_research_agreement(
    nlp: Language, resources: Resources, split: str, doc_id: str, kind: str
) -> None:
    """'DOE ... will invest $114 million in four small-scale biorefinery projects', 'APHIS
    will deregulate a genetically engineered soybean line' and 'Under a research agreement
    with Caterpillar Inc.' (read as none before)."""
    assert _read(nlp, resources, _corpus(split, doc_id))["signal"]["type"] == kind


def test_an_approved_aid_scheme_is_a_funding_round_without_an_amount_beside_it(
    nlp: Language, resources: Resources
) -> None:
    """A train text: 'The European Commission has approved, under EU State aid rules, an
    Italian scheme ...' names no amount in its sentence; the Commission's approval of the
    scheme is the evidence (CONVENTIONS 8; read as none before)."""
    record = _corpus("train", "news-italy-biomethane-state-aid")
    assert _read(nlp, resources, record)["signal"]["type"] == "funding_round"


def test_funding_with_a_named_grant_is_a_funding_round_outside_the_lead(
    nlp: Language, resources: Resources
) -> None:
    """A train text: 'The USDA is funding the initiative with a $2.15-million grant' in its
    third paragraph; the bare word 'funding' counts half, the grant beside it says how."""
    record = _corpus("train", "news-ars-veterinary-immune-reagent-network")
    signal = _read(nlp, resources, record)["signal"]
    assert signal["type"] == "funding_round"
    assert signal["amount"]["text"] == "$2.15-million"
