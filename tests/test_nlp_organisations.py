"""What officers see as organisations: each class of error the model makes on real text,
read from the corpus's train and dev splits (the record id says where) or, for classes
those splits lack, from public texts named beside the test. Never from the test split."""

from __future__ import annotations

from functools import cache

import pytest
from spacy.language import Language

from scintel.nlp.analysis import FoundMention, analyse
from scintel.nlp.annotate import annotate
from scintel.nlp.corpus import load_split
from scintel.nlp.org_evidence import known_organisations
from scintel.nlp.pipeline import Resources, build_pipeline, load_resources
from scintel.profile import load_profile


@pytest.fixture(scope="module")
def resources() -> Resources:
    return load_resources(load_profile("ket-biotech"))


@pytest.fixture(scope="module")
def nlp(resources: Resources) -> Language:
    return build_pipeline(resources)  # the real model, the profile's rules, scintel_terms


@cache
def record(ident: str) -> dict:
    for split in ("train", "dev"):
        for found in load_split(split):
            if found["id"] == ident:
                return found
    raise KeyError(ident)


def mentions(nlp: Language, resources: Resources, text: str) -> list[FoundMention]:
    return next(analyse(nlp, resources, [(text, None)])).mentions


def labelled(nlp: Language, resources: Resources, text: str) -> set[tuple[str, str]]:
    return {(m.label, m.text) for m in mentions(nlp, resources, text)}


def orgs(nlp: Language, resources: Resources, text: str) -> set[str]:
    return {m.text for m in mentions(nlp, resources, text) if m.label == "ORG"}


def test_a_name_glued_to_a_heading_or_a_headline_verb_is_cut_out(
    nlp: Language, resources: Resources
) -> None:
    # train funding_call-doe-waste-foa-transportation-end-uses: the model's span runs from
    # "U.S. Department of Energy" over the line break into the next heading.
    call = record("funding_call-doe-waste-foa-transportation-end-uses")["text"]
    assert "U.S. Department of Energy" in orgs(nlp, resources, call)
    # train news-doe-45-5m-biotechnology-research: "U.S. Department of Energy Awards $45.5 ..."
    news = record("news-doe-45-5m-biotechnology-research")["text"]
    found = [m for m in mentions(nlp, resources, news) if m.label == "ORG" and m.start == 0]
    assert [m.text for m in found] == ["U.S. Department of Energy"]


def test_job_titles_facilities_and_affiliations_are_no_organisations(
    nlp: Language, resources: Resources
) -> None:
    # train news-nrel-2010-microalgae-biofuel: "Dr. Al Darzins, Principal Group Manager at the
    # U.S. Department of Energy's National Renewable Energy Laboratory (NREL)", "the San
    # Diego Convention Center", "Dan Kammen, University of California", "The Alliance for
    # Sustainable Energy, LLC".
    text = record("news-nrel-2010-microalgae-biofuel")["text"]
    found = labelled(nlp, resources, text)
    names = {t for label, t in found if label == "ORG"}
    assert {
        "U.S. Department of Energy",
        "National Renewable Energy Laboratory",
        "University of California",
        "Alliance for Sustainable Energy, LLC",
    } <= names
    assert not names & {
        "Principal Group",
        "San Diego Convention Center",
        "Dan Kammen, University of California",
        "U.S. Department of Energy's National Renewable Energy Laboratory",
    }
    assert ("PERSON", "Dan Kammen") in found


def test_a_name_cut_short_or_run_on_is_mended(nlp: Language, resources: Resources) -> None:
    # train news-dod-dbimp-12-bioindustrial-awards: "the Office of the Under" | "Secretary of
    # Defense for Research and Engineering"; train news-ec-second-insect-novel-food: an
    # unclosed bracket; train news-nrel-dupont-genencor-jv: "the Department on research and
    # development" is "the Department" (the DOE named before).
    dod = orgs(nlp, resources, record("news-dod-dbimp-12-bioindustrial-awards")["text"])
    assert "Office of the Under Secretary of Defense for Research and Engineering" in dod
    assert "Office of the Under" not in dod
    insects = orgs(nlp, resources, record("news-ec-second-insect-novel-food")["text"])
    assert "Standing Committee on Plants, Animals, Food and Feed" in insects
    dupont = mentions(nlp, resources, record("news-nrel-dupont-genencor-jv")["text"])
    department = [m for m in dupont if m.text.startswith("Department on")]
    assert department == []
    doe = {m.key for m in dupont if m.text == "U.S. Department of Energy"}
    assert len(doe) == 1 and any(m.text == "Department" and m.key in doe for m in dupont)


def test_companies_are_named_by_the_words_they_end_with(
    nlp: Language, resources: Resources
) -> None:
    # train news-dod-dbimp-12-bioindustrial-awards: the awardees' list, where the model calls
    # "Bluestem Biosciences" and "Erg Bio" persons.
    found = orgs(nlp, resources, record("news-dod-dbimp-12-bioindustrial-awards")["text"])
    assert {"Bluestem Biosciences", "Erg Bio", "C16 Biosciences", "Danimer Scientific"} <= found
    assert {"Savor Foods", "Algenesis Corporation"} <= found
    # ... and in that list of awardees with their places, every awardee (the model calls
    # "Cellibre" and "Onego" places and "Protein" of "Air Protein" a chemical).
    assert {"Air Protein", "Cellibre", "FERMWORX", "Mussel Polymers", "Onego"} <= found


def test_programmes_are_no_organisations_and_bodies_are_by_role(
    nlp: Language, resources: Resources
) -> None:
    # train news-dod-dbimp-12-bioindustrial-awards: "the Distributed Bioindustrial Manufacturing
    # Program (DBIMP)"; train news-doe-45-5m-biotechnology-research: "The BER program".
    dod = labelled(nlp, resources, record("news-dod-dbimp-12-bioindustrial-awards")["text"])
    assert ("PROGRAMME", "DBIMP") in dod and ("ORG", "DBIMP") not in dod
    text = record("news-doe-45-5m-biotechnology-research")["text"]
    at = text.index("BER program")
    assert [m.label for m in mentions(nlp, resources, text) if m.start == at] == ["PROGRAMME"]
    # train news-cbe-ju-first-grants-116m: the joint undertaking signs and speaks through its
    # Executive Director (ORG), its "grant agreements" are the scheme's (PROGRAMME).
    text = record("news-cbe-ju-first-grants-116m")["text"]
    by_start = {m.start: m for m in mentions(nlp, resources, text)}
    signed = text.index("CBE JU) has recently signed")
    speaks = text.index("CBE JU interim Executive Director")
    scheme = text.index("CBE JU grant agreements")
    assert by_start[signed].label == by_start[speaks].label == "ORG"
    assert by_start[signed].key == "circular bio based europe joint undertaking"
    assert by_start[scheme].label == "PROGRAMME"


def test_an_organisation_word_after_the_refers_back(nlp: Language, resources: Resources) -> None:
    # train news-ec-second-insect-novel-food: "... by the European Food Safety Authority
    # (EFSA). The Authority verifies ..."
    text = record("news-ec-second-insect-novel-food")["text"]
    at = text.index("The Authority verifies") + len("The ")
    found = [m for m in mentions(nlp, resources, text) if m.start == at]
    assert [(m.label, m.text, m.name) for m in found] == [
        ("ORG", "Authority", "European Food Safety Authority")
    ]


def test_places_are_places(nlp: Language, resources: Resources) -> None:
    # dev news-ec-boost-biotech-biomanufacturing-2024: "AI" is no Anguilla; dev
    # project-phbottle-phb-from-juice-wastewater: "Logoplaste Innovation Lab (Portugal)" is a
    # partner and its country, not a short form; train project-sustainablemeat: "The
    # EU-funded SUSTAINABLEMEAT project", "foie gras".
    boost = labelled(nlp, resources, record("news-ec-boost-biotech-biomanufacturing-2024")["text"])
    assert ("TECHNOLOGY", "AI") in boost  # as the gold has it: a technology, no place
    assert not any(t == "AI" and label != "TECHNOLOGY" for label, t in boost)
    bottle = labelled(nlp, resources, record("project-phbottle-phb-from-juice-wastewater")["text"])
    assert ("GPE", "Portugal") in bottle and ("ORG", "Portugal") not in bottle
    assert ("ORG", "Logoplaste do Brasil") in bottle and ("ORG", "Brasil") not in bottle
    meat = labelled(nlp, resources, record("project-sustainablemeat")["text"])
    assert ("ORG", "SUSTAINABLEMEAT") in meat and ("GPE", "EU") in meat
    assert not any(t.startswith("EU-funded") or t == "gras" for _, t in meat)


def test_a_short_form_names_its_long_forms_organisation(
    nlp: Language, resources: Resources
) -> None:
    # train project-vacceleraid-vaccine-technology: "Geza Ad Ltd. (GZA)", then "GZA" alone;
    # dev news-nrel-hydrogen-to-methane-bioreactor-dedication: "Southern California Gas
    # Co. (SoCalGas)".
    for ident, short in (
        ("project-vacceleraid-vaccine-technology", "GZA"),
        ("news-nrel-hydrogen-to-methane-bioreactor-dedication", "SoCalGas"),
    ):
        found = [m for m in mentions(nlp, resources, record(ident)["text"]) if m.label == "ORG"]
        shorts = [m for m in found if m.text == short]
        longs = {m.key for m in found if m.text != short and short not in m.text}
        assert shorts and all(m.key in longs for m in shorts), ident


def test_short_polities_are_places_even_in_headlines(nlp: Language, resources: Resources) -> None:
    # dev news-fda-upside-cultured-chicken: "Before Entering the U.S. Market, ..."; train
    # project-enzycle-enzymatic-recycling-plastics: "produced in the EU28"; train
    # news-nrel-portsmouth-petase-mhetase: "NREL, UK University Partner To Dive Deeper ...";
    # dev funding_call-horizon-cl6-2022-marine-microbiome: "the Earth’s largest microbiome".
    fda = labelled(nlp, resources, record("news-fda-upside-cultured-chicken")["text"])
    assert ("GPE", "U.S.") in fda
    enzycle = labelled(
        nlp, resources, record("project-enzycle-enzymatic-recycling-plastics")["text"]
    )
    assert ("GPE", "EU28") in enzycle
    nrel = labelled(nlp, resources, record("news-nrel-portsmouth-petase-mhetase")["text"])
    assert ("GPE", "UK") in nrel and ("ORG", "UK University") not in nrel
    ocean = labelled(
        nlp, resources, record("funding_call-horizon-cl6-2022-marine-microbiome")["text"]
    )
    assert ("GPE", "Earth") not in ocean


def test_institutions_in_the_title_of_an_act_do_not_act(
    nlp: Language, resources: Resources
) -> None:
    # EU act titles as EUR-Lex gives them (EU reuse policy, Decision 2011/833/EU), quoted in
    # FoodStandardsAgency/eulegscrape · Readme.md · 7300be8c83b99032857749daee5f2657d6073913.
    titles = (
        "Commission Implementing Regulation (EU) 2017/2470 of 20 December 2017 establishing "
        "the Union list of novel foods in accordance with Regulation (EU) 2015/2283 of the "
        "European Parliament and of the Council on novel foods",
        "Regulation (EC) No 1333/2008 of the European Parliament and of the Council of "
        "16 December 2008 on food additives",
    )
    for title in titles:
        assert orgs(nlp, resources, title) == set(), title
    # ... while the Commission acting in a text is one (dev news-ec-insects-two-years).
    insects = orgs(nlp, resources, record("news-ec-insects-two-years")["text"])
    assert "Commission" in insects


def test_words_of_a_heading_are_weak_evidence(nlp: Language, resources: Resources) -> None:
    # CORDIS project titles (EU reuse policy, CC BY 4.0): H2020 projects 668467 and 634179.
    for title in (
        "Smart Technologies for the Conversion of Industrial Lignin",
        "Effective Management of Pests and Harmful Alien Species - Integrated Solutions",
    ):
        assert orgs(nlp, resources, title) == set(), title
    # A line that is only a name is an item of a list, not a heading (train
    # news-nrel-2010-microalgae-biofuel lists "Sandia National Laboratories").
    found = orgs(nlp, resources, record("news-nrel-2010-microalgae-biofuel")["text"])
    assert "Sandia National Laboratories" in found


def test_chemical_abbreviations_are_no_organisations(nlp: Language, resources: Resources) -> None:
    # train news-bbi-macro-cascade-funding: "mannosylerythritol lipid (MEL) was chosen" (a
    # passive verb says nothing about an organisation).
    text = record("news-bbi-macro-cascade-funding")["text"]
    found = labelled(nlp, resources, text)
    assert not any(label == "ORG" and t == "MEL" for label, t in found)


def test_the_records_own_organisations_are_organisations(
    nlp: Language, resources: Resources
) -> None:
    # train project-vacceleraid-vaccine-technology: CORDIS project 744184, acronym
    # VACCELERAID (its reference). Cut after "objective of" (the project role rule's
    # evidence), the passage names the consortium with no evidence of its own: the
    # record's acronym makes it an organisation.
    full = record("project-vacceleraid-vaccine-technology")
    start = full["text"].index("VACCELERAID:")
    plain = dict(full, text=full["text"][start : full["text"].index("validate", start)])
    with_acronym = dict(plain, acronym="VACCELERAID")
    assert known_organisations(with_acronym) == ("VACCELERAID",)
    (without,), (given,) = (annotate(nlp, resources, [r]) for r in (plain, with_acronym))
    assert not any(e["start"] == 0 for e in without["entities"])
    assert [e["label"] for e in given["entities"] if e["start"] == 0] == ["ORG"]
    (whole,) = annotate(nlp, resources, [full])
    assert [e["label"] for e in whole["entities"] if e["start"] == start] == ["ORG"]


def test_coined_names_that_act_and_names_said_again_are_organisations(
    nlp: Language, resources: Resources
) -> None:
    # dev project-seamark-seaweed: "SeaMark will scale up ...", then "SeaMark's pathway",
    # "SeaMark is positioned"; train project-esencia-mycelium: "Esencia Foods" again where
    # the model missed it, and "Esencia starts ..."; train project-steelanol: "ArcelorMittal"
    # is not cut out of "ArcelorMittal Europe".
    seamark = mentions(nlp, resources, record("project-seamark-seaweed")["text"])
    assert [m.label for m in seamark if m.text == "SeaMark"] == ["ORG"] * 3
    esencia = [m for m in mentions(nlp, resources, record("project-esencia-mycelium")["text"])]
    assert sum(m.text == "Esencia Foods" and m.label == "ORG" for m in esencia) == 4
    assert any(m.text == "Esencia" and m.label == "ORG" for m in esencia)
    steel = record("project-steelanol")["text"]
    cut = steel.index("ArcelorMittal Europe’s direct")
    assert not any(m.start == cut for m in mentions(nlp, resources, steel))


def test_people_are_named_as_the_guide_reads_them(nlp: Language, resources: Resources) -> None:
    # train patent-wo2019209623-phytase-granule: "Inventors:" then "BECKER NATHANIEL T (US)"...
    patent = labelled(nlp, resources, record("patent-wo2019209623-phytase-granule")["text"])
    assert {("PERSON", "BECKER NATHANIEL T"), ("PERSON", "REICHMAN MICHAEL")} <= patent
    # dev news-engineering-bacteria-churn-out-chemicals: "Vítor Martins dos Santos".
    news = labelled(nlp, resources, record("news-engineering-bacteria-churn-out-chemicals")["text"])
    assert ("PERSON", "Vítor Martins dos Santos") in news
    # dev news-range-fuels-groundbreaking: the headline "Ground Broken for First Commercial
    # Cellulosic Biomass Plant"; train news-cbe-ju-first-grants-116m: "Innovation Agenda".
    headline = labelled(nlp, resources, record("news-range-fuels-groundbreaking")["text"])
    assert ("PERSON", "Ground Broken") not in headline
    cbe = labelled(nlp, resources, record("news-cbe-ju-first-grants-116m")["text"])
    assert ("PERSON", "Innovation Agenda") not in cbe
    # CORDIS H2020 project 689868's title and project 891624's objective (EU reuse policy,
    # CC BY 4.0; the objective as in ../shared/formats/cordis, banqusli/Knowledge_graph).
    title = (
        "Sonic Drilling coupled with Automated Mineralogy and chemistry On-Line-On-Mine-Real-Time"
    )
    assert not any(label == "PERSON" for label, _ in labelled(nlp, resources, title))
    objective = (
        "Overall, the process will provide high-value, chiral, cyclic motifs from abundant, "
        "achiral, linear substrates. Finally, Dr Satpathi has identified the "
        "phthalide-isoquinoline family of alkaloids as target molecules to display the power "
        "of his tandem methodology."
    )
    assert ("PERSON", "Satpathi") in labelled(nlp, resources, objective)


def test_programmes_keep_their_codes_and_whole_names(nlp: Language, resources: Resources) -> None:
    # train funding_call-bbi-vc1-d1-2015-lignocellulosic-building-blocks: "Types of action:
    # BBI-IA-DEMO Bio-based Industries Innovation action"; train
    # funding_call-bbi-2017-r7-secondary-biobased-chemicals: "BBI-RIA" is the action's code,
    # "H2020-JTI-BBI-2017" a work programme's identifier; train funding_call-lc-sfs-03-2018-microbiome: the model's
    # "Building a" is unfinished.
    call = labelled(
        nlp,
        resources,
        record("funding_call-bbi-vc1-d1-2015-lignocellulosic-building-blocks")["text"],
    )
    assert ("PROGRAMME", "Bio-based Industries Innovation action") in call
    assert ("PROGRAMME", "Bio-based Industries") not in call
    bbi = record("funding_call-bbi-2017-r7-secondary-biobased-chemicals")["text"]
    assert ("PROGRAMME", "BBI-RIA") in labelled(nlp, resources, bbi)
    code = bbi.index("H2020-JTI-BBI-2017")
    assert not any(m.start == code for m in mentions(nlp, resources, bbi))
    lc = labelled(nlp, resources, record("funding_call-lc-sfs-03-2018-microbiome")["text"])
    assert ("PROGRAMME", "Building a") not in lc


def test_a_strain_designation_stays_inside_the_organism(
    nlp: Language, resources: Resources
) -> None:
    # train news-nrel-portsmouth-petase-mhetase: "A bacterium, Ideonella sakaiensis 201-F6, ..."
    text = record("news-nrel-portsmouth-petase-mhetase")["text"]
    assert ("ORGANISM", "Ideonella sakaiensis 201-F6") in labelled(nlp, resources, text)


# The BBI JU's press release "Over €100 million available for advancing European bio-based
# sector" (15 April 2020), https://www.bbi.europa.eu/news/over-%E2%82%AC100-million-available-advancing-european-bio-based-sector,
# a page of an EU body reused under Commission Decision 2011/833/EU (CC BY 4.0), as the
# corpus's other bbi.europa.eu texts; two sentences verbatim from the stored copy. Not in
# the corpus (no split holds it).
BBI_2020_CALL = (
    "The Call’s funding supports four strategic orientations defined in the Strategic "
    "Innovation and Research Agenda of the European bio-based industries (SIRA): feedstock, "
    "process, products and market uptake.\n\n"
    "The topics open for application are divided as follows: five Research and Innovation "
    "Actions (RIA), seven Innovation Actions (four Demonstration Actions - DEMO and three "
    "Flagship Actions - FLAG) and four Coordination and Support Actions (CSA):"
)
# CORDIS's reference table of H2020 programmes (../shared/formats/cordis,
# cordisref_h2020_programmes.csv, the objective of the bioeconomy challenge), first sentence.
H2020_BIOECONOMY = (
    "Agriculture, forestry, fisheries and aquaculture together with the bio-based industries "
    "are the major sectors underpinning the bioeconomy."
)


def test_instruments_in_the_plural_are_programmes(nlp: Language, resources: Resources) -> None:
    found = labelled(nlp, resources, BBI_2020_CALL)
    for instrument in (
        "Research and Innovation Actions",
        "Innovation Actions",
        "Coordination and Support Actions",
    ):
        assert ("PROGRAMME", instrument) in found
    assert ("PROGRAMME", "CSA") in found


def test_a_programmes_alias_in_lower_case_is_the_sector_not_the_programme(
    nlp: Language, resources: Resources
) -> None:
    # "Bio-based Industries" is an alias of the BBI JU; "the European bio-based industries"
    # and "the bio-based industries" are the sector.
    for text in (BBI_2020_CALL, H2020_BIOECONOMY):
        found = mentions(nlp, resources, text)
        assert not [m for m in found if m.label == "PROGRAMME" and "industries" in m.text.lower()]
    # the programme's own lower-case name stays one: dev news-range-fuels-groundbreaking,
    # "see EERE's biomass program"
    news = record("news-range-fuels-groundbreaking")["text"]
    assert ("PROGRAMME", "biomass program") in labelled(nlp, resources, news)


# Two NIH RePORTER abstracts (../shared/formats/nih_reporter_v1_projects_search_1.json, its
# README gives the source: ropensci/awardFindR, tests/fixtures/nih.yml, MIT), projects
# 5K23DA037453-05 and 5K01TW011187-02, passages verbatim (cut and joined at ' ... ').
NIH_EHR = (
    "Research Focus: Electronic health records (EHR) are increasingly being used to prompt "
    "health care providers to assess and treat tobacco use, as well as to document that these "
    'services were rendered. The United States Congress passed legislation ("meaningful use" '
    "of EHR) that could increase the use of the EHR for both assessing smoking status and "
    "providing cessation assistance in clinics serving Medicaid and Medicare patients. "
    "Outcomes: These results will aid in determining whether resources being invested in the "
    "meaningful use of EHR are producing any measurable changes and how they might need to be "
    "improved."
)
NIH_PREP = (
    "Comprehensive HIV prevention\nprograms that include biomedical interventions, such as "
    "pre-exposure prophylaxis (PrEP), could dramatically\nreduce HIV incidence in pregnant and "
    "breastfeeding women in high HIV incidence areas ... The results from our study will "
    "provide a model to implement WHO guidance and scale-up\nPrEP delivery in pregnant and "
    "breastfeeding women at risk of HIV."
)


def test_the_short_form_of_a_common_noun_is_no_organisation(
    nlp: Language, resources: Resources
) -> None:
    # The long form is capitalised only as a sentence's first word; "EHR are producing"
    # reads as acting and "scale-up PrEP" as a start-up's name, but both are short forms of
    # common nouns.
    assert "EHR" not in orgs(nlp, resources, NIH_EHR)
    assert "PrEP" not in orgs(nlp, resources, NIH_PREP)
    # an organisation's short form stays one: train
    # funding_call-doe-waste-foa-transportation-end-uses, "Bioenergy Technologies Office (BETO)"
    call = record("funding_call-doe-waste-foa-transportation-end-uses")["text"]
    assert "BETO" in orgs(nlp, resources, call)


# NSF award 1850052 (../shared/formats/nsf_awards_search_page1.json, from ropensci/awardFindR,
# MIT) and NIH project 5I21RX002216-03 (the RePORTER file above), sentences verbatim.
NSF_TDA = (
    "With Big Data comes the need for succinct data summaries that are easy to visualize and "
    "understand. Topological Data Analysis (TDA) offers a particular suite of computational "
    "tools for summarizing and visualizing shape in high-dimensional data sets."
)
NIH_PTM = (
    "However, our team has developed Progressive Tinnitus Management (PTM), a program designed "
    "to be delivered in-person or by telephone to teach Veterans (with and without TBI) methods "
    "for managing tinnitus symptoms. In randomized, controlled trials, clinic-based and "
    "telephone- based PTM led to clinically-significant reductions in tinnitus-related distress"
)


def test_a_method_named_in_title_case_is_no_organisation(
    nlp: Language, resources: Resources
) -> None:
    # "TDA offers", "PTM led": acting verbs, but after a method's name and its short form.
    assert not {"Topological Data Analysis", "TDA"} & orgs(nlp, resources, NSF_TDA)
    assert "PTM" not in orgs(nlp, resources, NIH_PTM)
    # an institution's name ending so stays one: train news-dod-dbimp-12-bioindustrial-awards
    news = record("news-dod-dbimp-12-bioindustrial-awards")["text"]
    office = "Office of the Under Secretary of Defense for Research and Engineering"
    assert office in orgs(nlp, resources, news)


def test_a_project_summarys_title_gives_the_projects_name(
    nlp: Language, resources: Resources
) -> None:
    # train project-forestvalue-era-net-cofund ("ForestValue - Innovating forest-based
    # bioeconomy"), project-pulp2value-sugar-beet-pulp-cbe ("... VALUE added products
    # (PULP2VALUE)") and project-echo-systems-cho-itn (a CORDIS report's "Periodic Reporting
    # for period 2 - eCHO Systems (Enhancing ...)"): the title names the project, which the
    # text then names with no role of its own.
    for ident, name in (
        ("project-forestvalue-era-net-cofund", "ForestValue"),
        ("project-pulp2value-sugar-beet-pulp-cbe", "PULP2VALUE"),
        ("project-echo-systems-cho-itn", "eCHO Systems"),
    ):
        full = record(ident)
        assert known_organisations(full) == (name,), ident
        (found,) = annotate(nlp, resources, [full])
        assert ("ORG", name) in {(e["label"], e["text"]) for e in found["entities"]}, ident
        # the same title on a paper names a method or a product, not a consortium
        assert known_organisations(dict(full, kind="publication")) == (), ident
    assert known_organisations({"kind": "project", "title": "Mycoprotein production"}) == ()


def test_a_coined_name_that_has_done_or_was_designed_to_is_the_project(
    nlp: Language, resources: Resources
) -> None:
    # train project-promys-synthetic-networks-cell-factories ("PROMYS was designed to
    # develop", "PROMYS has made substantial developments") and
    # project-detective-ngt-detection-reporting ("DETECTIVE has made significant progress"):
    # a report says what the project has done; no title or acronym field names it.
    for ident, first, last, name in (
        ("project-promys-synthetic-networks-cell-factories", "To address", "bottle", "PROMYS"),
        (
            "project-detective-ngt-detection-reporting",
            "DETECTIVE has",
            "traceability.",
            "DETECTIVE",
        ),
    ):
        text = record(ident)["text"]
        start = text.index(first)
        assert ("ORG", name) in labelled(nlp, resources, text[start : text.index(last, start)])
