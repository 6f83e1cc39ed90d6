"""One organisation identity: keys from the CORDIS PIC, the ROR id or a country-aware name that
keeps every script; joins with their rule and evidence; curation that adds, relates and
reverses. Participants are real CORDIS Horizon Europe organisation rows
(fixtures/impact/cordis_he_organisations.jsonl, provenance in fixtures/impact/README.md)."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from scintel.errors import ScintelError
from scintel.impact.curation import load_curation, profile_curation
from scintel.impact.identity import Identities, Mention, name_key, pic_id, ror_id
from scintel.nlp.normalise import org_key
from scintel.profile import load_profile

FIXTURES = Path(__file__).parent / "fixtures" / "impact"
ROWS = [
    json.loads(line)
    for line in (FIXTURES / "cordis_he_organisations.jsonl").read_text("utf-8").splitlines()
]
PARTICIPANTS = [Mention(r["name"], r["country"], pic=r["organisationID"]) for r in ROWS]
# TU Delft as OpenAlex (its ROR id), a patent (no country) and Europe PMC (parsed) name it.
TU_DELFT_ROR = Mention("Delft University of Technology", "NL", ror="https://ror.org/02e2c7k09")
TU_DELFT_APPLICANT = Mention("TECHNISCHE UNIVERSITEIT DELFT")
TU_DELFT_AFFILIATION = Mention("Delft University of Technology", "NL")


def pic_of(name: str, country: str) -> str:
    return next(
        f"pic:{r['organisationID']}" for r in ROWS if r["name"] == name and r["country"] == country
    )


def resolved(*mentions: Mention, curation_folder: Path | None = None) -> Identities:
    curation = load_curation(curation_folder) if curation_folder else None
    identities = Identities(curation)
    for mention in (*PARTICIPANTS, *mentions):
        identities.observe(mention)
    identities.resolve()
    return identities


def curation_with(tmp_path: Path, **files: str) -> Path:
    """The profile's curation with lines added to some of its files."""
    folder = tmp_path / "curation"
    shutil.copytree(load_profile("ket-biotech").path("curation"), folder)
    for name, lines in files.items():
        with (folder / f"{name}.csv").open("a", encoding="utf-8") as handle:
            handle.write(lines)
    return folder


def test_keys_keep_every_script_and_the_country() -> None:
    kelong = next(r for r in ROWS if r["organisationID"] == "971712439")
    assert kelong["name"] == "河南科隆集团有限公司"
    assert org_key(kelong["name"]) == "河南科隆集团有限公司"  # was '' and left out
    assert name_key(kelong["name"], "CN") == "name:河南科隆集团有限公司|CN"
    assert name_key("ＡＢＣ株式会社") == "name:abc株式会社"  # NFKC: full-width letters
    assert name_key("Universität Graz", "AT") == name_key("University of Graz", "Austria")
    assert name_key("MINISTRY OF HEALTH", "EL") == "name:ministry health|GR"  # EU's EL
    assert name_key("Københavns Universitet", "DK") == "name:kobenhavns university|DK"
    assert name_key(" — ") is None
    assert pic_id(" 999977366 ") == "999977366" and pic_id("99997736") is None
    assert ror_id("https://ror.org/02e2c7k09") == ror_id("02E2C7K09") == "02e2c7k09"
    assert resolved().key_for(kelong["name"], "CN", kelong["organisationID"]) == "pic:971712439"


def test_one_name_in_six_countries_is_six_organisations() -> None:
    identities = resolved(Mention("Ministry of Health", "EL"), Mention("Ministry of Health"))
    ministries = {
        identities.key_for(r["name"], r["country"], r["organisationID"])
        for r in ROWS
        if r["name"] == "MINISTRY OF HEALTH"
    }
    assert len(ministries) == 6 and all(k.startswith("pic:") for k in ministries)
    greek = pic_of("MINISTRY OF HEALTH", "EL")
    assert identities.key_for("Ministry of Health", "EL") == greek  # name and country: one id
    [merge] = identities.merges(greek)
    assert merge.rule == "id_name" and merge.member == "name:ministry health|GR"
    assert merge.evidence == {"name": "ministry health", "country": "GR", "ids": [greek]}
    # Without a country the name is no one organisation: it stays itself.
    assert identities.key_for("Ministry of Health") == "name:ministry health"
    assert identities.refused()["ambiguous_name"] >= 1


def test_two_ids_of_one_name_in_one_country_join_only_when_curated(tmp_path: Path) -> None:
    humboldt = Mention("HUMBOLDT-UNIVERSITÄT ZU BERLIN", "DE")  # as an affiliation gives it
    first = pic_of("Humboldt Universität zu Berlin", "DE")
    second = pic_of("HUMBOLDT-UNIVERSITAET ZU BERLIN", "DE")
    identities = resolved(humboldt)
    assert identities.key_for(humboldt.name, "DE") == "name:humboldt university zu berlin|DE"
    assert {identities.key_for("", pic=p[4:]) for p in (first, second)} == {first, second}
    # An analyst finds one university registered twice: one alias line joins them, and
    # the name-only mention joins the one organisation they now are.
    folder = curation_with(
        tmp_path, organisation_aliases=f"{second},{first},,one university registered twice\n"
    )
    identities = resolved(humboldt, curation_folder=folder)
    assert identities.key_for("", pic=second[4:]) == first
    assert identities.key_for(humboldt.name, "DE") == first
    rules = {(m.rule, m.member): m.evidence for m in identities.merges(first)}
    added = len((folder / "organisation_aliases.csv").read_text("utf-8").splitlines())
    assert rules[("curated_alias", second)]["line"] == f"organisation_aliases.csv:{added}"
    assert ("id_name", "name:humboldt university zu berlin|DE") in rules


def test_short_and_common_names_join_nothing_by_name() -> None:
    carbon = pic_of("CARBON", "FR")
    identities = resolved(Mention("Carbon", "FR"), Mention("Carbon"))
    # "Y CARBON LLC" (UA) and "CARBON" (FR) had one key; now each is its own PIC.
    assert org_key("Y CARBON LLC") == org_key("CARBON") == "carbon"
    assert identities.key_for("Y CARBON LLC", "UA", "929424804") != carbon
    # "carbon" is a common word: a mention of it is no mention of the company.
    assert identities.key_for("Carbon", "FR") == "name:carbon|FR"
    assert identities.key_for("Carbon") == "name:carbon"
    assert identities.refused()["generic_name"] >= 1


def test_ids_and_names_of_one_organisation_meet_with_their_evidence(tmp_path: Path) -> None:
    tu_delft = pic_of("TECHNISCHE UNIVERSITEIT DELFT", "NL")
    curated = curation_with(tmp_path)  # the profile's: "Delft University of Technology" alias
    mentions = (TU_DELFT_ROR, TU_DELFT_APPLICANT, TU_DELFT_AFFILIATION)
    identities = resolved(*mentions, curation_folder=curated)
    assert {identities.key_for(m.name, m.country, m.pic, m.ror) for m in mentions} == {tu_delft}
    assert identities.ids(tu_delft, "ror") == ["02e2c7k09"]
    merges = {m.rule: m for m in identities.merges(tu_delft)}
    assert set(merges) == {"curated_alias", "id_name", "same_name_country", "name_one_country"}
    assert merges["curated_alias"].evidence["alias"] == "Delft University of Technology"
    assert merges["curated_alias"].evidence["line"].startswith("organisation_aliases.csv:")
    assert merges["same_name_country"].evidence["ids"] == [tu_delft, "ror:02e2c7k09"]
    assert merges["id_name"].member == "name:technische university delft|NL"  # Europe PMC's
    assert merges["name_one_country"].member == "name:technische university delft"
    # Without the alias the English name is another organisation (as the issue found it).
    plain = resolved(*mentions)
    assert plain.key_for(TU_DELFT_ROR.name, "NL", ror=TU_DELFT_ROR.ror) == "ror:02e2c7k09"
    # A split line reverses a merge whatever the rule: the ROR stays apart.
    split = curation_with(
        tmp_path / "split",
        organisation_splits=f"{tu_delft},,ror:02e2c7k09,,checked: not the same (test)\n",
    )
    apart = resolved(*mentions, curation_folder=split)
    assert apart.key_for("", ror="02e2c7k09") == "ror:02e2c7k09"
    assert apart.key_for(TU_DELFT_AFFILIATION.name, "NL") == tu_delft
    assert apart.refused()["curated_split"] == 1
    # The Dutch name now belongs to two organisations: a mention without a country joins neither.
    assert apart.key_for(TU_DELFT_APPLICANT.name) == "name:technische university delft"


def test_groups_relate_members_and_keep_them_apart() -> None:
    identities = Identities(profile_curation(load_profile("ket-biotech")))
    for mention in PARTICIPANTS:
        identities.observe(mention)
    identities.resolve()
    novozymes, hansen = pic_of("NOVOZYMES A/S", "DK"), pic_of("CHR. HANSEN AS", "DK")
    novonesis = identities.key_for("Novonesis", "DK")
    assert novonesis == "name:novonesis|DK" and novonesis not in (novozymes, hansen)
    assert identities.group_of(novozymes) == identities.group_of(hansen) == novonesis
    assert identities.family(hansen) == {novonesis, novozymes, hansen}
    assert identities.group_of(pic_of("DANMARKS TEKNISKE UNIVERSITET", "DK")) is None


def test_keys_do_not_depend_on_the_order_of_mentions(tmp_path: Path) -> None:
    folder = curation_with(tmp_path)
    extra = [TU_DELFT_ROR, TU_DELFT_APPLICANT, TU_DELFT_AFFILIATION, Mention("Carbon", "FR"),
             Mention("Ministry of Health", "EL"), Mention("NOVOZYMES AS")]  # fmt: skip
    everything = PARTICIPANTS + extra
    answers = []
    for seed in range(4):
        mentions = list(everything)
        random.Random(seed).shuffle(mentions)
        identities = Identities(load_curation(folder))
        for mention in mentions:
            identities.observe(mention)
        identities.resolve()
        answers.append(
            (
                [identities.key_for(m.name, m.country, m.pic, m.ror) for m in everything],
                {
                    k: [m.as_dict() for m in identities.merges(k)]
                    for k in identities.organisation_keys()
                },
            )
        )
    assert all(answer == answers[0] for answer in answers[1:])


@pytest.mark.parametrize(
    ("file", "line", "error"),
    [
        ("organisation_aliases", "pic:12345,ACME,,typo\n", r"alias: not a PIC: '12345'"),
        ("organisation_groups", "ACME,Atlantis,ACME Group,,\n", r"member_country: not a country"),
        ("organisation_splits", "ACME,,ror:xyz,,\n", r"other: not a ROR: 'xyz'"),
    ],
)
def test_bad_organisation_curation_names_file_and_line(
    tmp_path: Path, file: str, line: str, error: str
) -> None:
    folder = curation_with(tmp_path, **{file: line})
    with pytest.raises(ScintelError, match=rf"{file}\.csv:\d+: {error}"):
        load_curation(folder)
