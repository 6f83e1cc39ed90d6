"""CORDIS: EU-funded projects of the profile's programme codes, with their participants.

Reads the CORDIS open-data archives (`cordis-h2020projects-csv.zip`,
`cordis-HORIZONprojects-csv.zip`): `project.csv`, `organization.csv` and, when
present, `legalBasis.csv` (a project can sit under several programme codes, e.g. a
BBI project under both H2020-EU.2.1.4 and H2020-EU.3.2.6). A project matches when
one of its codes equals a profile code or is a sub-programme of it. The archives are
snapshots: the window keeps projects whose CORDIS record changed in it
(`contentUpdateDate`, else the signature or start date), so a backfill from 2014
loads them all and a weekly run picks up the changes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response

from scintel.spiders.base import ScintelSpider
from scintel.spiders.cordis_csv import (
    CordisCsvError,
    Row,
    code_matches,
    normalise_code,
    parse_amount,
    parse_date,
    read_archive,
    read_rows,
    split_list,
)
from scintel.spiders.source_settings import CordisSettings

log = logging.getLogger(__name__)

ARCHIVES = (
    "https://cordis.europa.eu/data/cordis-h2020projects-csv.zip",
    "https://cordis.europa.eu/data/cordis-HORIZONprojects-csv.zip",
)
PROJECT_PAGE = "https://cordis.europa.eu/project/id/{id}"
RAW_ENTRY_CHARS = 2000


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _money(value: str | None) -> str | None:
    amount = parse_amount(value)
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


def _parse_participant(values: dict[str, str]) -> dict[str, Any]:
    return {
        "name": " ".join(values.get("name", "").split()),
        "country": values.get("country") or None,
        "role": values.get("role") or None,
        "ec_contribution_eur": _money(values.get("ecContribution")),
        "organisation_id": values.get("organisationID") or values.get("id") or None,
        "short_name": values.get("shortName") or None,
        "activity_type": values.get("activityType") or None,
        "sme": _parse_sme(values),
    }


def _parse_participants(
    project: dict[str, str], rows: list[dict[str, str]]
) -> list[dict[str, Any]]:
    """Participants from organization.csv in CORDIS order; the old layout's lists otherwise."""
    if rows:
        ordered = sorted(rows, key=lambda r: int(r["order"]) if r.get("order", "").isdigit() else 0)
        return [_parse_participant(r) for r in ordered if r.get("name", "").strip()]
    people = []
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


class CordisSpider(ScintelSpider):
    """Projects and participants from the CORDIS open-data archives."""

    name = "cordis"
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

    def _reject_row(self, response: Response, file: str, row: Row) -> Any:
        return self._reject(
            response, f"{file} line {row.line}: {row.error}", row.raw[:RAW_ENTRY_CHARS] or None
        )

    def parse(self, response: Response) -> Iterator[Any]:
        try:
            files = read_archive(response.body)
            project_rows = list(read_rows(files["project.csv"]))
            legal_rows = (
                list(read_rows(files["legalbasis.csv"])) if "legalbasis.csv" in files else []
            )
        except CordisCsvError as exc:
            yield self._reject(response, f"archive unreadable: {exc}")
            return
        legal_basis: dict[str, list[str]] = {}
        for row in legal_rows:
            if row.error:
                yield self._reject_row(response, "legalBasis.csv", row)
            elif row.values.get("projectID") and row.values.get("legalBasis"):
                legal_basis.setdefault(row.values["projectID"], []).append(row.values["legalBasis"])

        wanted: dict[str, tuple[dict[str, str], list[str]]] = {}
        for row in project_rows:
            if row.error:
                yield self._reject_row(response, "project.csv", row)
                continue
            values = row.values
            codes = _parse_codes(values, legal_basis)
            matching = [c for c in codes if code_matches(c, self.codes)]
            if not matching:
                continue
            if not values.get("id") or not values.get("title"):
                yield self._reject(
                    response,
                    f"project.csv line {row.line}: no id or title",
                    row.raw[:RAW_ENTRY_CHARS],
                )
                continue
            changed = _parse_changed(values)
            if changed is not None and changed not in self.window:
                self.crawler.stats.inc_value("scintel/out_of_window")
                continue
            wanted[values["id"]] = (values, matching)
        log.info(
            "%s: %d projects of %s in %s",
            self.name,
            len(wanted),
            ", ".join(self.codes),
            response.url,
        )

        members: dict[str, list[dict[str, str]]] = {pid: [] for pid in wanted}
        if "organization.csv" in files and wanted:
            try:
                for row in read_rows(files["organization.csv"]):
                    if row.error:
                        yield self._reject_row(response, "organization.csv", row)
                    elif row.values.get("projectID") in members:
                        members[row.values["projectID"]].append(row.values)
            except CordisCsvError as exc:
                yield self._reject(response, f"organization.csv unreadable: {exc}")

        for pid, (values, matching) in wanted.items():
            yield self._project_item(response, values, matching, members[pid])

    def _project_item(
        self,
        response: Response,
        values: dict[str, str],
        matching: list[str],
        orgs: list[dict[str, str]],
    ) -> dict[str, Any]:
        participants = _parse_participants(values, orgs)
        signed = parse_date(values.get("ecSignatureDate"))
        start = parse_date(values.get("startDate"))
        codes = _parse_codes(values, {})
        return self._item(
            response,
            external_id=values["id"],
            project_id=values["id"],
            acronym=values.get("acronym") or None,
            title=" ".join(values["title"].split()),
            url=PROJECT_PAGE.format(id=values["id"]),
            summary=values.get("objective") or None,
            published=_iso(signed or start),
            language="en",
            programme_code=normalise_code(max(matching, key=len)),
            legal_basis=sorted({normalise_code(c) for c in matching + codes}),
            start_date=_iso(start),
            end_date=_iso(parse_date(values.get("endDate"))),
            ec_contribution_eur=_money(values.get("ecMaxContribution")),
            total_cost_eur=_money(values.get("totalCost")),
            coordinator=_parse_coordinator(values, participants),
            participants=participants,
            status=values.get("status") or None,
            framework_programme=values.get("frameworkProgramme") or None,
            topics=split_list(values.get("topics")),
            call=values.get("masterCall") or values.get("call") or None,
            funding_scheme=values.get("fundingScheme") or None,
            grant_doi=values.get("grantDoi") or None,
            updated=_iso(parse_date(values.get("contentUpdateDate"))),
        )
