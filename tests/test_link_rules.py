"""Acronym context on real titles and funding statements (the dev split of bench/links/:
real Horizon Europe reported outputs, OpenAIRE records and funding statements; the doc ids
name them). An acronym names its project only as the consortium writes it, with context."""

from __future__ import annotations

import re
from datetime import date

import pytest

from scintel.impact.acronyms import acronym_context, is_ordinary_word
from scintel.impact.corpus import ProjectRecord
from scintel.impact.curation import profile_curation
from scintel.impact.identity import Identities, Mention
from scintel.impact.links import GRANT_CODE, GRANT_NUMBER
from scintel.impact.parties import ProjectOrganisations
from scintel.profile import load_profile


def context(text: str, acronym: str, title: str) -> str | None:
    match = re.search(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])", text, re.I)
    assert match, acronym
    found = acronym_context(text, match.start(), match.end(), acronym, title)
    return found.rule if found else None


@pytest.mark.parametrize(
    ("text", "acronym", "title", "rule"),
    [
        (  # zenodo 10.5071/31stEUBCE2023-2BV.9.4, reported by 101060264
            "Concepts, Tools and Applications for Community-driven Bioeconomy Development in "
            "European Rural Areas - The SCALE-UP Project",
            "SCALE-UP",
            "Concepts, tools and applications for community-driven bioeconomy development in "
            "European rural areas",
            "acronym_project_word",
        ),
        (  # zenodo 10.5281/zenodo.10184764, reported by 101058632
            "RECOVER-REFORM-REUSE - START Newsletter Issue #3",
            "START",
            "SUSTAINABLE ENERGY HARVESTING SYSTEMS BASED ON INNOVATIVE MINE WASTE RECYCLING",
            "acronym_project_word",
        ),
        (  # zenodo 10.5281/zenodo.10213433: a title in capitals keeps the rule case-blind
            "REUSING SECONDARY MINERAL RESOURCES FOR THE ENERGY TRANSITION: THE PROJECT START "
            "EXAMPLE",
            "START",
            "SUSTAINABLE ENERGY HARVESTING SYSTEMS BASED ON INNOVATIVE MINE WASTE RECYCLING",
            "acronym_project_word",
        ),
        (  # zenodo 10.5281/zenodo.8154536, reported by 101058554
            "Next Generation BiOactiVe NAnocoatings - NOVA Scientists and industry unite to "
            "develop the next generation of antimicrobial coating technologies",
            "NOVA",
            "Next Generation BiOactiVe NAnocoatings",
            "acronym_title",
        ),
        # Ordinary words and other things of the same name (hard negatives of the set).
        (
            "Stop Experimenting on Us! Judicial Stories of Pesticide Resistance in Argentina",
            "STOP",
            "Surface Transfer of Pathogens",
            None,
        ),
        (
            "Distributed Random Forest forPredicting Forest Wildfires Based onWeather Data",
            "FOREST",
            "Advanced lightweight materials FOR Energy-efficient STructures",
            None,
        ),
        (
            "REACT: Autonomous intrusion response system for intelligent vehicles",
            "REACT",
            "Rapid elimination of invasive insect agricultural pest outbreaks by tackling them "
            "with Sterile Insect Technique programs",
            None,
        ),
        (
            "Early Treatments of Fragile Children with COVID-19Results of CLEVER (Children "
            "COVID Early Treatment), a Retrospective, Observational Study",
            "CLEVER",
            "Creating leverage to enhance biodiversity outcomes of global biomass trade",
            None,
        ),
    ],
)
def test_acronym_context_on_real_titles(text: str, acronym: str, title: str, rule: str) -> None:
    assert context(text, acronym, title) == rule


def test_ordinary_words_in_the_fields_languages() -> None:
    assert is_ordinary_word("START") and is_ordinary_word("SCALE-UP") and is_ordinary_word("NOVA")
    assert not is_ordinary_word("BIOSURF") and not is_ordinary_word("CorMeTop")


def test_a_non_word_acronym_beside_project_in_a_funding_statement() -> None:
    text = (  # Web of Science funding statement, OpenAIRE IIS test data, SE2ND 271554
        "This work is supported by the ANR contracts DOCFLUC, HYFONT, SPINLOC and the EU-FP7 "
        "project SE2ND[271554]."
    )
    assert context(text, "SE2ND", "") == "acronym_project_word"
    assert context(text, "HYFONT", "") is None  # another funder's contract, no project word


def test_grant_numbers_in_real_funding_statements() -> None:
    statement = (  # OpenAIRE IIS test document, ENGAGE 201413
        "NIH/NIMH (5R01MH63706: 02), ENGAGE project and grant agreement HEALTH-F4-2007-201413"
    )
    assert [m.group(1) for m in GRANT_CODE.finditer(statement)] == ["201413"]
    assert [m.group(1) for m in GRANT_CODE.finditer("(PIIF-GA-2011-300820 and PIEF-GA-2010-275103)")] == ["300820", "275103"]  # fmt: skip
    # A DOI, a decimal and another funder's code hold no grant number.
    assert not GRANT_NUMBER.findall("doi 10.1101/2020.06.01.127001 and award CBET-887115")


def test_a_group_named_in_a_record_is_its_member_in_a_consortium() -> None:
    """The profile curates EVONIK OPERATIONS GMBH as a company of Evonik Industries, and
    "Evonik" as the group's everyday name: a story opening with "Evonik" is the coordinator
    acting, and a Novonesis patent is the participant Novozymes A/S's."""
    curation = profile_curation(load_profile("ket-biotech"))
    biosurf = ProjectRecord(1, "101000000", "BIOSURF", "Biosurfactants", None, None, None,
                            date(2021, 6, 1), date(2025, 5, 31), None,
                            [("EVONIK OPERATIONS GMBH", "DE", "coordinator", None),
                             ("Novozymes A/S", "DK", "participant", None)])  # fmt: skip
    identities = Identities(curation)
    for name, country, _, _ in biosurf.organisation_refs():
        identities.observe(Mention(name, country))
    identities.resolve()
    parties = ProjectOrganisations([biosurf], identities, curation)
    evonik = parties.by_project(parties.key("Evonik"))[0]
    assert (evonik.name, evonik.role, evonik.via_group) == (
        "EVONIK OPERATIONS GMBH",
        "coordinator",
        "name:evonik industries|DE",
    )
    assert parties.by_project(parties.key("NOVOZYMES A/S"))[0].via_group is None
    assert parties.by_project(parties.key("Novonesis"))[0].name == "Novozymes A/S"
    found = parties.finder().find("Evonik starts commercial rhamnolipid production")
    assert [(start, end) for _, start, end in found] == [(0, 6)]
    assert not parties.by_project(parties.key("Evonik Nutrition & Care"))  # another company


def test_a_subsidiary_named_after_a_participant_is_the_participants() -> None:
    """'Safran USA Inc.' (the acquirer in the Commission's Collins Aerospace decision, dev
    event of bench/links) is named after the participant SAFRAN SA; 'Bosch' is no part of
    STELLENBOSCH UNIVERSITY, and a generic remainder ('Global') joins nothing."""
    curation = profile_curation(load_profile("ket-biotech"))
    project = ProjectRecord(1, "101056865", "HESTIA", "Aircraft actuation", None, None, None,
                            date(2022, 9, 1), date(2026, 8, 31), None,
                            [("SAFRAN SA", "FR", "coordinator", "999964659"),
                             ("STELLENBOSCH UNIVERSITY", "ZA", "participant", "999877359")])  # fmt: skip
    identities = Identities(curation)
    for name, country, _, pic in project.organisation_refs():
        identities.observe(Mention(name, country, pic=pic))
    identities.resolve()
    parties = ProjectOrganisations([project], identities, curation)
    safran = parties.named("Safran USA Inc.")[0]
    assert (safran.name, safran.via_group) == ("SAFRAN SA", "subsidiary by name: Safran USA Inc.")
    assert parties.named("Robert Bosch GmbH") == {}
    assert parties.named("Global Corporation") == {}
