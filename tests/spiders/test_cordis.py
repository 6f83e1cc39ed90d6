"""cordis: CORDIS open-data archives replayed through the real downloader."""

from __future__ import annotations

import csv
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from scintel.replay import ReplayServer, Reply
from scintel.spiders.cordis_csv import code_matches, parse_amount, read_rows
from scintel.testing import CrawlResult, run_spider

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "cordis"
H2020 = "/data/cordis-h2020projects-csv.zip"
HORIZON = "/data/cordis-HORIZONprojects-csv.zip"
SPEC = {"programme_codes": ["H2020-EU.2.1.4", "HORIZON.2.6.6"]}
KET_H2020 = [
    "101000560",
    "101000794",
    "101023202",
    "720793",
    "760801",
    "760994",
    "814418",
    "821263",
    "862087",
    "887466",
    "952920",
]
KET_HORIZON = ["101070245", "101084401", "101112345", "101135072", "101157811", "101181902"]


def _zip(folder: Path, target: Path) -> Path:
    """The archive as CORDIS serves it: the CSV files of one framework programme, zipped."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in sorted(folder.glob("*.csv")):
            archive.write(member, member.name)
    return target


@pytest.fixture
def archives(tmp_path: Path) -> dict[str, Reply]:
    return {
        name: Reply.file(
            _zip(FIXTURES / name, tmp_path / f"{name}.zip"),
            headers={"Content-Type": "application/zip"},
        )
        for name in ("h2020", "horizon", "layout2020")
    }


def _crawl(
    server: ReplayServer,
    tmp_path: Path,
    since: str = "2026-11-01",
    until: str = "2026-11-25",
    **spec,
) -> CrawlResult:
    return run_spider("cordis", server.url, tmp_path / "out", since, until, SPEC | spec)


def _rows(name: str, file: str) -> list[dict[str, str]]:
    with (FIXTURES / name / file).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_projects_of_the_programme_codes_with_participants(
    replay: ReplayServer, tmp_path: Path, archives: dict[str, Reply]
) -> None:
    replay.add(H2020, archives["h2020"]).add(HORIZON, archives["horizon"])
    result = _crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert sorted(result.ids()) == sorted(KET_H2020 + KET_HORIZON)
    # FERMESTER and BIOSURF are BBI projects: H2020-EU.2.1.4 is only in legalBasis.csv
    assert result.item("887466")["legal_basis"] == ["H2020-EU.2.1.4", "H2020-EU.3.2.6"]

    item = result.item("760994")
    project = next(r for r in _rows("h2020", "project.csv") if r["id"] == "760994")
    orgs = [r for r in _rows("h2020", "organization.csv") if r["projectID"] == "760994"]
    assert item["kind"] == "project"
    assert item["project_id"] == project["id"] and item["acronym"] == "ENZYFLOW"
    assert item["title"] == project["title"]
    assert (
        item["summary"] == project["objective"] and "\n" in item["summary"]
    )  # multi-line objective kept
    assert item["start_date"] == project["startDate"] and item["end_date"] == project["endDate"]
    assert Decimal(item["ec_contribution_eur"]) == Decimal(
        project["ecMaxContribution"].replace(",", ".")
    )
    assert item["programme_code"] == "H2020-EU.2.1.4.2"
    assert item["url"] == "https://cordis.europa.eu/project/id/760994"
    assert item["grant_doi"] == "10.3030/760994"
    assert item["coordinator"] == "TECHNISCHE UNIVERSITAET GRAZ"
    assert [(p["name"], p["country"], p["role"]) for p in item["participants"]] == [
        (o["name"], o["country"], o["role"]) for o in orgs
    ]
    assert item["participants"][0]["sme"] is False
    assert item["participants"][0]["ec_contribution_eur"] == "1250312.50"  # decimal comma
    assert item["participants"][5] == {
        "name": "Novozymes A/S",
        "country": "DK",
        "role": "participant",
        "ec_contribution_eur": "535000.00",
        "organisation_id": "999927451",
        "short_name": "NZ",
        "activity_type": "PRC",
        "sme": True,
    }

    # today's export breaks objectives that open with a doubled quote: repaired, not split
    lignoval = result.item("101157811")
    assert lignoval["summary"].endswith("pilot batches reach 50 kg.")
    assert '"white-rot" enzymes' in lignoval["summary"]
    assert lignoval["participants"][0]["country"] == "FR"
    assert "€2 per kg" in result.item("101000794")["summary"]

    # other programmes skipped; the row cut short is rejected with its line
    assert "101037054" not in result.ids() and "101165535" not in result.ids()
    assert [r["reason"] for r in result.rejected] == [
        "project.csv line 17: 5 fields for 20 columns"
    ]


def test_window_keeps_records_changed_in_it(
    replay: ReplayServer, tmp_path: Path, archives: dict[str, Reply]
) -> None:
    replay.add(H2020, archives["h2020"]).add(HORIZON, archives["horizon"])
    result = _crawl(replay, tmp_path, since="2026-11-22", until="2026-11-25")

    assert sorted(result.ids()) == [
        "101000794",
        "101084401",
        "101112345",
        "101135072",
        "887466",
        "952920",
    ]
    assert result.stats["scintel/out_of_window"] == 11


def test_2020_layout_is_read_by_header(
    replay: ReplayServer, tmp_path: Path, archives: dict[str, Reply]
) -> None:
    replay.add(H2020, archives["layout2020"]).add(HORIZON, archives["horizon"])
    result = _crawl(replay, tmp_path, since="2016-01-01")

    item = result.item("720793")
    assert item["ec_contribution_eur"] == "4987310.50"
    assert item["coordinator"] == "EVONIK OPERATIONS GMBH"
    assert [p["name"] for p in item["participants"]][1:] == [
        "DANMARKS TEKNISKE UNIVERSITET",
        "TECHNISCHE UNIVERSITEIT DELFT",
        "PURAC BIOCHEM BV",
    ]
    assert "897004" not in result.ids()


def test_429_then_200_is_retried(
    replay: ReplayServer, tmp_path: Path, archives: dict[str, Reply]
) -> None:
    busy = Reply(429, b"Too Many Requests", {"Retry-After": "1"})
    replay.add(H2020, [busy, archives["h2020"]]).add(HORIZON, archives["horizon"])
    result = _crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert len(result.items) == len(KET_H2020 + KET_HORIZON)
    assert result.stats["retry/count"] == 1


def test_an_archive_that_is_not_a_zip_is_rejected_and_the_other_read(
    replay: ReplayServer, tmp_path: Path, archives: dict[str, Reply]
) -> None:
    page = Reply(200, b"<html><body>Maintenance</body></html>", {"Content-Type": "text/html"})
    replay.add(H2020, page).add(HORIZON, archives["horizon"])
    result = _crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert sorted(result.ids()) == KET_HORIZON
    assert [r["reason"] for r in result.rejected] == ["archive unreadable: not a zip archive"]
    assert Path(result.rejected[0]["raw_ref"]).read_bytes() == page.body


def test_money_and_codes() -> None:
    assert parse_amount("1385286,25") == Decimal("1385286.25")
    assert parse_amount("1.385.286,25") == Decimal("1385286.25")
    assert parse_amount("1500000") == Decimal("1500000.00")
    assert parse_amount("") is None and parse_amount("n/a") is None
    assert code_matches("H2020-EU.2.1.4.2.", ["H2020-EU.2.1.4"]) == "H2020-EU.2.1.4"
    assert code_matches("H2020-EU.2.1.40.", ["H2020-EU.2.1.4"]) is None
    assert code_matches("HORIZON.2.6", ["HORIZON.2.6.6"]) is None


def test_crlf_and_bom_are_read() -> None:
    text = "\ufeff" + '"projectID";"name";"role"\r\n"1";"VTT";"coordinator"\r\n'
    rows = list(read_rows(text.encode("utf-8")))
    assert rows[0].values == {"projectID": "1", "name": "VTT", "role": "coordinator"}
