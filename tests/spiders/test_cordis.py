"""cordis: CORDIS open-data archives replayed through the real downloader."""

from __future__ import annotations

import csv
import io
import struct
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hostile import (
    assert_accounted,
    assert_failed_with_reject,
    page_rejects,
    record_rejects,
    redirect,
    truncated,
)

from scintel.replay import ReplayServer, Reply
from scintel.spiders.cordis_csv import CordisCsvError, code_matches, parse_amount, read_rows
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
        "pic": "999927451",
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
    assert parse_amount("") is None
    for wrong in ("n/a", "NaN", "-Infinity", "sNaN", "true", "-5", "1e999999"):
        with pytest.raises(CordisCsvError, match="not an amount"):
            parse_amount(wrong)
    assert code_matches("H2020-EU.2.1.4.2.", ["H2020-EU.2.1.4"]) == "H2020-EU.2.1.4"
    assert code_matches("H2020-EU.2.1.40.", ["H2020-EU.2.1.4"]) is None
    assert code_matches("HORIZON.2.6", ["HORIZON.2.6.6"]) is None


def test_crlf_and_bom_are_read() -> None:
    text = "\ufeff" + '"projectID";"name";"role"\r\n"1";"VTT";"coordinator"\r\n'
    rows = list(read_rows(text.encode("utf-8")))
    assert rows[0].values == {"projectID": "1", "name": "VTT", "role": "coordinator"}


# --- hostile input (tests/spiders/hostile.py) ---------------------------------------------

ZIP = {"Content-Type": "application/zip"}
ONLY_H2020 = {"archives": [f"https://cordis.europa.eu{H2020}"]}
# Project rows the two archives hold for the profile: its projects and the row cut short.
RECEIVED = len(KET_H2020 + KET_HORIZON) + 1
CAP = {"SCINTEL_MAX_INFLATED_BYTES": str(8 << 20)}


def _members(name: str, **changed: tuple[str, str]) -> dict[str, bytes]:
    """The fixture CSVs of one archive by member name, with `old` replaced by `new` (exactly
    once) in the members named (dots as underscores)."""
    members = {p.name: p.read_bytes() for p in sorted((FIXTURES / name).glob("*.csv"))}
    for key, (old, new) in changed.items():
        member = key.replace("_", ".")
        assert members[member].count(old.encode()) == 1, (member, old)
        members[member] = members[member].replace(old.encode(), new.encode())
    return members


def _archive(members: dict[str, bytes], stored: str | None = None) -> bytes:
    """A zip of `members`, deflated like CORDIS's, `stored` left uncompressed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(
                name, data, zipfile.ZIP_STORED if name == stored else zipfile.ZIP_DEFLATED
            )
    return buffer.getvalue()


def _flip_byte(data: bytes, member: str) -> bytes:
    """The archive with one byte in the middle of `member`'s data flipped."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    name_len, extra_len = struct.unpack(
        "<HH", data[info.header_offset + 26 : info.header_offset + 30]
    )
    at = info.header_offset + 30 + name_len + extra_len + info.compress_size // 2
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]


def _bomb(members: dict[str, bytes], member: str, inflated: int = 64 << 20) -> dict[str, bytes]:
    """`member` grown to `inflated` bytes of its own rows repeated: a small zip, a big CSV."""
    header, _, rows = members[member].partition(b"\n")
    return members | {member: header + b"\n" + rows * (inflated // len(rows) + 1)}


def test_a_nan_amount_rejects_its_project_alone(replay: ReplayServer, tmp_path: Path) -> None:
    members = _members(
        "h2020", project_csv=('"5999876,25";"H2020-EU.2.1.4."', '"NaN";"H2020-EU.2.1.4."')
    )
    replay.add(H2020, Reply(200, _archive(members), ZIP))
    replay.add(HORIZON, Reply(200, _archive(_members("horizon")), ZIP))
    result = _crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert sorted(result.ids()) == sorted(set(KET_H2020 + KET_HORIZON) - {"760994"})
    rejects = sorted(record_rejects(result), key=lambda r: r["reason"])
    assert [r["reason"] for r in rejects] == [
        "project.csv line 17: 5 fields for 20 columns",
        "project.csv line 2: ecMaxContribution: not an amount: 'NaN'",
    ]
    assert rejects[1]["entry"].startswith('"760994";"ENZYFLOW";"CLOSED";')
    assert '"NaN"' in rejects[1]["entry"] and "\n" in rejects[1]["entry"]  # as received
    assert page_rejects(result) == []
    assert_accounted(result, received=RECEIVED)


def test_a_wrong_typed_participant_amount_rejects_that_participant_alone(
    replay: ReplayServer, tmp_path: Path
) -> None:
    members = _members(
        "h2020", organization_csv=('"participant";"535000";', '"participant";"true";')
    )
    replay.add(H2020, Reply(200, _archive(members), ZIP))
    result = _crawl(replay, tmp_path, **ONLY_H2020)

    assert result.code == 0, result.log
    assert sorted(result.ids()) == sorted(KET_H2020)
    assert [r["reason"] for r in result.rejected] == [
        "project.csv line 17: 5 fields for 20 columns",
        "organization.csv line 7: ecContribution: not an amount: 'true'",
    ]
    assert result.rejected[1]["entry"].startswith('"760994";"ENZYFLOW";"999927451";')
    orgs = [r["name"] for r in _rows("h2020", "organization.csv") if r["projectID"] == "760994"]
    assert [p["name"] for p in result.item("760994")["participants"]] == [
        name for name in orgs if name != "Novozymes A/S"
    ]
    # every organization.csv row of a kept project is a participant or a reject
    rows = [r for r in _rows("h2020", "organization.csv") if r["projectID"] in KET_H2020]
    kept = sum(len(i["participants"]) for i in result.items)
    assert kept + 1 == len(rows)


def test_a_project_row_twice_is_a_reject_not_a_silent_replacement(
    replay: ReplayServer, tmp_path: Path
) -> None:
    members = _members("h2020")
    project = members["project.csv"]
    first = project[project.index(b"\n") + 1 : project.index(b'\n"814418";') + 1]
    members["project.csv"] = project + first
    replay.add(H2020, Reply(200, _archive(members), ZIP))
    result = _crawl(replay, tmp_path, **ONLY_H2020)

    assert result.code == 0, result.log
    assert sorted(result.ids()) == sorted(KET_H2020)
    again = project.count(b"\n") + 1
    assert [r["reason"] for r in record_rejects(result)] == [
        "project.csv line 17: 5 fields for 20 columns",
        f"project.csv line {again}: project 760994 again (first at line 2)",
    ]
    assert result.rejected[1]["entry"] == first.decode().rstrip("\n")
    assert_accounted(result, received=len(KET_H2020) + 2)


def test_a_member_with_a_bad_crc_is_a_reject_and_the_others_are_read(
    replay: ReplayServer, tmp_path: Path
) -> None:
    """The organizations are lost, the projects load without participants, the reject
    names the member; the other archive is whole. The member is stored, so the flipped
    byte is a bad CRC whichever zlib made the zip (deflated, it may be a zlib error)."""
    archive = _flip_byte(_archive(_members("h2020"), stored="organization.csv"), "organization.csv")
    replay.add(H2020, Reply(200, archive, ZIP))
    replay.add(HORIZON, Reply(200, _archive(_members("horizon")), ZIP))
    result = _crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert sorted(result.ids()) == sorted(KET_H2020 + KET_HORIZON)
    assert [r["reason"] for r in page_rejects(result)] == [
        "organization.csv unreadable: Bad CRC-32 for file 'organization.csv'; "
        "projects loaded without participants"
    ]
    assert all(result.item(pid)["participants"] == [] for pid in KET_H2020)
    assert all(result.item(pid)["participants"] for pid in KET_HORIZON)
    assert_accounted(result, received=RECEIVED)


def test_a_zip_bomb_stops_at_the_cap_as_a_failed_crawl(
    replay: ReplayServer, tmp_path: Path
) -> None:
    bomb = _archive(_bomb(_members("h2020"), "project.csv"))
    assert len(bomb) < 1 << 20
    replay.add(H2020, Reply(200, bomb, ZIP))
    result = run_spider("cordis", replay.url, tmp_path / "out", "2026-11-01", "2026-11-25",
                        SPEC | ONLY_H2020, settings=CAP)  # fmt: skip

    assert_failed_with_reject(result, "inflates past")
    assert [r["reason"] for r in result.rejected] == [
        f"project.csv inflates past the cap of {8 << 20} inflated bytes "
        "(SCINTEL_MAX_INFLATED_BYTES); no project read from this archive"
    ]
    assert result.items == []


def test_a_bomb_in_the_organizations_costs_only_the_participants(
    replay: ReplayServer, tmp_path: Path
) -> None:
    replay.add(H2020, Reply(200, _archive(_bomb(_members("h2020"), "organization.csv")), ZIP))
    result = run_spider("cordis", replay.url, tmp_path / "out", "2026-11-01", "2026-11-25",
                        SPEC | ONLY_H2020, settings=CAP)  # fmt: skip

    assert result.code == 0, result.log
    assert sorted(result.ids()) == sorted(KET_H2020)
    assert [r["reason"] for r in page_rejects(result)] == [
        f"organization.csv inflates past the cap of {8 << 20} inflated bytes "
        "(SCINTEL_MAX_INFLATED_BYTES); projects loaded without participants"
    ]
    assert all(item["participants"] == [] for item in result.items)


def test_a_truncated_archive_is_a_reject_and_a_failed_crawl(
    replay: ReplayServer, tmp_path: Path, archives: dict[str, Reply]
) -> None:
    replay.add(H2020, truncated(archives["h2020"]))
    result = _crawl(replay, tmp_path, **ONLY_H2020)

    assert_failed_with_reject(result, "cut short")
    assert [r["reason"] for r in result.rejected] == [
        "archive unreadable: zip archive cut short or corrupt: File is not a zip file"
    ]
    assert result.items == []


def test_a_redirect_loop_is_a_reject_not_a_silent_end(replay: ReplayServer, tmp_path: Path) -> None:
    replay.add(H2020, redirect(f"{H2020}?loop=1"))
    replay.add(H2020, redirect(H2020), {"loop": "1"})
    result = _crawl(replay, tmp_path, **ONLY_H2020)

    assert_failed_with_reject(result, "redirect loop")
    assert [r["reason"] for r in result.rejected] == [
        f"download failed: redirect loop back to {replay.url}{H2020}"
    ]
    assert [r for r in replay.requests if r != "/robots.txt"] == [H2020, f"{H2020}?loop=1"]
