"""CORDIS: EU-funded projects of the profile's programme codes, with their participants.

Reads the CORDIS open-data archives (`cordis-h2020projects-csv.zip`,
`cordis-HORIZONprojects-csv.zip`): `project.csv`, `organization.csv` and, when
present, `legalBasis.csv` (a project can sit under several programme codes, e.g. a
BBI project under both H2020-EU.2.1.4 and H2020-EU.3.2.6). A project matches when
one of its codes equals a profile code or is a sub-programme of it. The archives are
snapshots: the window keeps projects whose CORDIS record changed in it
(`contentUpdateDate`, else the signature or start date), so a backfill from 2014
loads them all and a weekly run picks up the changes.

Nothing lost, nothing unbounded: a bad row (a `NaN` amount, a short row) is a reject of
that row with its member, line and text, the rest is kept; an unreadable member (bad CRC,
corrupt data) is a reject naming it and the other members are still read; the members
read inflate at most SCINTEL_MAX_INFLATED_BYTES per archive; an archive that is no zip or
is cut short is a rejected page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator, Iterator
from datetime import date
from functools import partial
from typing import Any, ClassVar, TypeVar

import scrapy
from pydantic import Field
from scrapy.http import Response

from scintel.spiders.base import ScintelSpider
from scintel.spiders.cordis_csv import (
    CordisArchive,
    CordisCsvError,
    MemberError,
    Row,
    code_matches,
    normalise_code,
    parse_amount,
    parse_date,
    split_list,
)
from scintel.spiders.items import Rejected
from scintel.spiders.source_settings import SourceSettings, Words

log = logging.getLogger(__name__)

ARCHIVES = (
    "https://cordis.europa.eu/data/cordis-h2020projects-csv.zip",
    "https://cordis.europa.eu/data/cordis-HORIZONprojects-csv.zip",
)
PROJECT_PAGE = "https://cordis.europa.eu/project/id/{id}"
RAW_ENTRY_CHARS = 2000
# What an unreadable member costs the projects of its archive, for its reject.
LOST = {
    "legalbasis.csv": "projects matched on project.csv's own programme codes only",
    "project.csv": "no project read from this archive",
    "organization.csv": "projects loaded without participants",
}
# What parsing a row's values may raise; as in ScintelSpider.guarded, it costs only that row.
RECORD_ERRORS = (TypeError, ValueError, AttributeError, KeyError, IndexError)
T = TypeVar("T")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _money(values: dict[str, str], column: str) -> str | None:
    try:
        amount = parse_amount(values.get(column))
    except CordisCsvError as exc:
        raise CordisCsvError(f"{column}: {exc}") from None
    return str(amount) if amount is not None else None


def _parse_codes(values: dict[str, str], legal_basis: dict[str, list[str]]) -> list[str]:
    """All programme codes of a project: legalBasis.csv, else the project's own column."""
    codes = legal_basis.get(values.get("id", ""))
    if codes:
        return codes
    return split_list(values.get("legalBasis") or values.get("programme"))


def _parse_changed(values: dict[str, str]) -> date | None:
    """When CORDIS last changed the record, for the window."""
    for column in ("contentUpdateDate", "ecSignatureDate", "startDate"):
        if day := parse_date(values.get(column)):
            return day
    return None


def _parse_sme(values: dict[str, str]) -> bool | None:
    flag = (values.get("SME") or values.get("sme") or "").strip().lower()
    return {"true": True, "false": False}.get(flag)


def _parse_participant(values: dict[str, str]) -> tuple[int, dict[str, Any]]:
    """One organization.csv row: its place in the consortium and the participant."""
    name = " ".join(values.get("name", "").split())
    if not name:
        raise CordisCsvError("no organisation name")
    order = values.get("order", "")
    return int(order) if order.isdigit() else 0, {
        "name": name,
        "country": values.get("country") or None,
        "role": values.get("role") or None,
        "ec_contribution_eur": _money(values, "ecContribution"),
        # The participant identification code: today's organisationID, the 2020 layout's id.
        "pic": values.get("organisationID") or values.get("id") or None,
        "short_name": values.get("shortName") or None,
        "activity_type": values.get("activityType") or None,
        "sme": _parse_sme(values),
    }


def _parse_participants(
    project: dict[str, str], rows: list[tuple[int, dict[str, Any]]]
) -> list[dict[str, Any]]:
    """Participants from organization.csv in CORDIS order; the old layout's lists otherwise."""
    if rows:
        return [person for _, person in sorted(rows, key=lambda r: r[0])]
    people: list[dict[str, Any]] = []
    if project.get("coordinator"):
        people.append(
            {
                "name": project["coordinator"],
                "country": project.get("coordinatorCountry") or None,
                "role": "coordinator",
            }
        )
    people += [
        {"name": name, "role": "participant"} for name in split_list(project.get("participants"))
    ]
    return people


def _parse_coordinator(project: dict[str, str], participants: list[dict[str, Any]]) -> str | None:
    for person in participants:
        if person.get("role") == "coordinator":
            return person["name"]
    return project.get("coordinator") or None


def _project_fields(values: dict[str, str], matching: list[str]) -> dict[str, Any]:
    """The item fields of one project.csv row, all but its participants."""
    signed = parse_date(values.get("ecSignatureDate"))
    start = parse_date(values.get("startDate"))
    codes = _parse_codes(values, {})
    return {
        "external_id": values["id"],
        "project_id": values["id"],
        "acronym": values.get("acronym") or None,
        "title": " ".join(values["title"].split()),
        "url": PROJECT_PAGE.format(id=values["id"]),
        "summary": values.get("objective") or None,
        "published": _iso(signed or start),
        "language": "en",
        "programme_code": normalise_code(max(matching, key=len)),
        "legal_basis": sorted({normalise_code(c) for c in matching + codes}),
        "start_date": _iso(start),
        "end_date": _iso(parse_date(values.get("endDate"))),
        "ec_contribution_eur": _money(values, "ecMaxContribution"),
        "total_cost_eur": _money(values, "totalCost"),
        "status": values.get("status") or None,
        "framework_programme": values.get("frameworkProgramme") or None,
        "topics": split_list(values.get("topics")),
        "call": values.get("masterCall") or values.get("call") or None,
        "funding_scheme": values.get("fundingScheme") or None,
        "grant_doi": values.get("grantDoi") or None,
        "updated": _iso(parse_date(values.get("contentUpdateDate"))),
    }


class CordisSettings(SourceSettings):
    programme_codes: Words = Field(min_length=1)
    archives: Words = Field(default_factory=list)


class CordisSpider(ScintelSpider):
    """Projects and participants from the CORDIS open-data archives."""

    name = "cordis"
    label = "CORDIS"
    settings_model = CordisSettings
    kind = "project"
    endpoint = ARCHIVES[0]
    required_params = ("programme_codes",)
    custom_settings: ClassVar[dict[str, Any]] = {
        # The archives are tens of MB zipped; one at a time, patiently.
        "DOWNLOAD_MAXSIZE": 1024 * 1024 * 1024,
        "DOWNLOAD_WARNSIZE": 256 * 1024 * 1024,
        "DOWNLOAD_TIMEOUT": 900,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.codes = [str(c) for c in self.param("programme_codes", ["H2020-EU.2.1.4"])]
        self.archives = [str(a) for a in self.param("archives", list(ARCHIVES))]

    def first_requests(self) -> Iterator[scrapy.Request]:
        for url in self.archives:
            yield scrapy.Request(url, callback=self.parse, errback=self.on_error, dont_filter=True)

    def _reject_row(self, response: Response, row: Row, reason: str) -> Rejected:
        """A reject of one row with its place (member, line) and its text as received."""
        return self._reject(
            response, f"{row.member} line {row.line}: {reason}", row.raw[:RAW_ENTRY_CHARS]
        )

    def _guarded_row(
        self, response: Response, row: Row, parse: Callable[[dict[str, str]], T]
    ) -> T | Rejected:
        """`parse` of the row's values, or the row's reject: a bad row costs only itself."""
        try:
            return parse(row.values)
        except RECORD_ERRORS as exc:
            self.crawler.stats.inc_value("scintel/malformed_records")
            detail = str(exc) if isinstance(exc, CordisCsvError) else f"{type(exc).__name__}: {exc}"
            return self._reject_row(response, row, detail)

    def _rows(
        self, response: Response, archive: CordisArchive, base: str
    ) -> Iterator[Row | Rejected]:
        """The readable rows of one member and the rejects of its other rows; MemberError
        when it cannot be read (see `_lost`)."""
        if base in archive.members:
            for row in archive.rows(base):
                yield self._reject_row(response, row, row.error) if row.error else row

    def _lost(self, response: Response, exc: MemberError, base: str) -> Rejected:
        """The reject of a member that could not be read whole: nothing read from it counts
        (its rows may be cut short), the other members are still read."""
        return self._reject(response, f"{exc}; {LOST[base]}")

    def parse(self, response: Response) -> Iterator[Any]:
        try:
            archive = CordisArchive(
                response.body, self.crawler.settings.getint("SCINTEL_MAX_INFLATED_BYTES")
            )
        except CordisCsvError as exc:
            yield self._reject(response, f"archive unreadable: {exc}")
            return
        with archive:
            legal_basis = yield from self._legal_basis(response, archive)
            wanted = yield from self._projects(response, archive, legal_basis)
            members = yield from self._participants(response, archive, wanted)
        for pid, (values, fields) in wanted.items():
            participants = _parse_participants(values, members[pid])
            yield self._item(
                response,
                **fields,
                coordinator=_parse_coordinator(values, participants),
                participants=participants,
            )

    def _legal_basis(
        self, response: Response, archive: CordisArchive
    ) -> Generator[Rejected, None, dict[str, list[str]]]:
        """The programme codes of each project in legalBasis.csv; the rejects on the way."""
        legal_basis: dict[str, list[str]] = {}
        try:
            for row in self._rows(response, archive, "legalbasis.csv"):
                if isinstance(row, Rejected):
                    yield row
                elif row.values.get("projectID") and row.values.get("legalBasis"):
                    legal_basis.setdefault(row.values["projectID"], []).append(
                        row.values["legalBasis"]
                    )
        except MemberError as exc:
            yield self._lost(response, exc, "legalbasis.csv")
            return {}
        return legal_basis

    def _projects(
        self, response: Response, archive: CordisArchive, legal_basis: dict[str, list[str]]
    ) -> Generator[Rejected, None, dict[str, tuple[dict[str, str], dict[str, Any]]]]:
        """The profile's projects in the window, by id, as row values and item fields."""
        wanted: dict[str, tuple[dict[str, str], dict[str, Any]]] = {}
        first_line: dict[str, int] = {}
        try:
            for row in self._rows(response, archive, "project.csv"):
                if isinstance(row, Rejected):
                    yield row
                elif reject := self._take_project(response, row, legal_basis, wanted, first_line):
                    yield reject
        except MemberError as exc:
            yield self._lost(response, exc, "project.csv")
            return {}
        log.info(
            "%s: %d projects of %s in %s",
            self.name,
            len(wanted),
            ", ".join(self.codes),
            response.url,
        )
        return wanted

    def _take_project(
        self,
        response: Response,
        row: Row,
        legal_basis: dict[str, list[str]],
        wanted: dict[str, tuple[dict[str, str], dict[str, Any]]],
        first_line: dict[str, int],
    ) -> Rejected | None:
        """Add one project.csv row to `wanted` when it is the profile's and in the window;
        its reject when it is the profile's but cannot be read."""
        values = row.values
        matching = [c for c in _parse_codes(values, legal_basis) if code_matches(c, self.codes)]
        if not matching:
            return None
        pid = values.get("id")
        if not pid or not values.get("title"):
            return self._reject_row(response, row, "no id or title")
        if pid in first_line:  # a second row would silently replace the first
            return self._reject_row(
                response, row, f"project {pid} again (first at line {first_line[pid]})"
            )
        first_line[pid] = row.line
        changed = _parse_changed(values)
        if changed is not None and changed not in self.window:
            self.crawler.stats.inc_value("scintel/out_of_window")
            return None
        fields = self._guarded_row(response, row, partial(_project_fields, matching=matching))
        if isinstance(fields, Rejected):
            return fields
        wanted[pid] = (values, fields)
        return None

    def _participants(
        self, response: Response, archive: CordisArchive, wanted: dict[str, Any]
    ) -> Generator[Rejected, None, dict[str, list[tuple[int, dict[str, Any]]]]]:
        """The organization.csv participants of the wanted projects, with their places."""
        members: dict[str, list[tuple[int, dict[str, Any]]]] = {pid: [] for pid in wanted}
        if not wanted:
            return members
        try:
            for row in self._rows(response, archive, "organization.csv"):
                if isinstance(row, Rejected):
                    yield row
                elif (pid := row.values.get("projectID", "")) in members:
                    person = self._guarded_row(response, row, _parse_participant)
                    if isinstance(person, Rejected):
                        yield person
                    else:
                        members[pid].append(person)
        except MemberError as exc:
            yield self._lost(response, exc, "organization.csv")
            return {pid: [] for pid in wanted}
        return members
