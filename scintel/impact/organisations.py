"""Organisations and their part in documents: the nodes of the network and the basis of
follow-on funding and uptake indicators (organisation_documents)."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from scintel.impact.corpus import ProjectRecord
from scintel.impact.curation import Curation, CurationEffect
from scintel.impact.names import NameFinder, display_name
from scintel.nlp.signal_types import UPTAKE_SIGNALS
from scintel.storage import models as m

log = logging.getLogger(__name__)

ROLE_COUNTERS = {
    "coordinator": "projects",
    "participant": "projects",
    "applicant": "patents",
    "affiliation": "publications",
}


@dataclass
class Registry:
    """Organisations seen in the warehouse, keyed by their curated key."""

    curation: Curation
    effect: CurationEffect
    spellings: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    countries: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    roles: set[tuple[str, int, str]] = field(default_factory=set)

    def add(self, name: str, document_id: int, role: str, country: str | None = None) -> str | None:
        """Record a name in a document; returns its key, or None when vetoed or empty."""
        key, display, merged = self.curation.resolve(name)
        if not key:
            return None
        if self.curation.is_vetoed_organisation(key):
            self.effect.participations_vetoed += 1
            return None
        if merged:
            self.effect.names_merged += 1
        self.spellings[key][display] += 1
        if country:
            self.countries[key][country.upper()] += 1
        self.roles.add((key, document_id, role))
        return key

    def finder(self) -> NameFinder:
        """Finds these organisations (and their curated aliases) in text."""
        keys = {key: key for key in self.spellings}
        for alias_key, (canonical_key, _) in self.curation.aliases.items():
            if canonical_key in self.spellings:
                keys[alias_key] = canonical_key
        return NameFinder(keys)


def _affiliations(extra: dict[str, Any] | None) -> list[str]:
    """Affiliation names a publication item carried in an extra `affiliations` field."""
    value = (extra or {}).get("affiliations")
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        names: list[str] = []
        for entry in value:
            if isinstance(entry, str):
                names.append(entry)
            elif isinstance(entry, list):
                names.extend(e for e in entry if isinstance(e, str))
        return names
    return []


def collect(session: Session, projects: list[ProjectRecord], curation: Curation) -> Registry:
    """Every organisation of the given projects, patents, affiliations and news mentions."""
    registry = Registry(curation, CurationEffect())
    for project in projects:
        for name, country, role in project.organisation_names():
            registry.add(name, project.document_id, role, country)
    patents = session.execute(
        select(m.Patent.document_id, m.Patent.applicants)
        .join(m.Document, m.Document.id == m.Patent.document_id)
        .where(m.Document.canonical_id.is_(None))
    )
    for doc_id, applicants in patents:
        for name in applicants or []:
            if isinstance(name, str):
                registry.add(name, doc_id, "applicant")
    publications = session.execute(
        select(m.Document.id, m.Document.extra).where(
            m.Document.kind == "publication", m.Document.canonical_id.is_(None)
        )
    )
    for doc_id, extra in publications:
        for name in _affiliations(extra):
            registry.add(name, doc_id, "affiliation")
    _mentions(session, registry)
    return registry


def _mentions(session: Session, registry: Registry) -> None:
    """Organisations named in news and in documents carrying uptake signals."""
    finder = registry.finder()
    with_signals = select(m.Signal.document_id).where(m.Signal.signal_type.in_(UPTAKE_SIGNALS))
    rows = session.execute(
        select(m.Document.id, m.Document.title, m.Document.summary).where(
            m.Document.canonical_id.is_(None),
            (m.Document.kind == "news") | m.Document.id.in_(with_signals),
            m.Document.kind != "project",
        )
    )
    for doc_id, title, summary in rows:
        text = " ".join(filter(None, [title, summary]))
        for key, _, _ in finder.find(text):
            registry.roles.add((key, doc_id, "mentioned"))
    # Organisation entities the NLP step linked in any document count as mentions too.
    entity_rows = session.execute(
        select(m.Mention.document_id, m.Entity.canonical_name)
        .join(m.Entity, m.Entity.id == m.Mention.entity_id)
        .join(m.Document, m.Document.id == m.Mention.document_id)
        .where(m.Entity.label == "ORG", m.Document.kind != "project")
        .distinct()
    )
    for doc_id, name in entity_rows:
        key, _, _ = registry.curation.resolve(name)
        if key in registry.spellings:
            registry.roles.add((key, doc_id, "mentioned"))


def store(session: Session, registry: Registry) -> dict[str, int]:
    """Upsert organisations by key and replace their document roles; returns counts."""
    now = datetime.now(UTC)
    table = m.Organisation.__table__
    existing = {key: oid for key, oid in session.execute(select(table.c.key, table.c.id))}
    entity_ids = _org_entities(session, registry.curation)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for key, doc_id, role in registry.roles:
        if role in ROLE_COUNTERS:
            counts[key][(ROLE_COUNTERS[role], doc_id)] += 1
    inserted = updated = 0
    for key in sorted(registry.spellings):
        values = {
            "name": display_name(sorted(registry.spellings[key])),
            "country": _top(registry.countries.get(key)),
            "entity_id": entity_ids.get(key),
            "projects": sum(1 for kind, _ in counts[key] if kind == "projects"),
            "patents": sum(1 for kind, _ in counts[key] if kind == "patents"),
            "publications": sum(1 for kind, _ in counts[key] if kind == "publications"),
        }
        if key in existing:
            result = session.execute(
                update(table)
                .where(table.c.id == existing[key])
                .where(
                    (table.c.name != values["name"])
                    | (func.coalesce(table.c.country, "") != (values["country"] or ""))
                    | (func.coalesce(table.c.entity_id, 0) != (values["entity_id"] or 0))
                    | (table.c.projects != values["projects"])
                    | (table.c.patents != values["patents"])
                    | (table.c.publications != values["publications"])
                )
                .values(**values, updated_at=now)
            )
            updated += result.rowcount or 0
        else:
            existing[key] = session.execute(
                table.insert().values(key=key, updated_at=now, **values).returning(table.c.id)
            ).scalar_one()
            inserted += 1
    gone = [oid for key, oid in existing.items() if key not in registry.spellings]
    for start in range(0, len(gone), 900):
        session.execute(delete(table).where(table.c.id.in_(gone[start : start + 900])))
    roles = m.OrganisationDocument.__table__
    session.execute(delete(roles))
    rows = [
        {"organisation_id": existing[key], "document_id": doc_id, "role": role}
        for key, doc_id, role in sorted(registry.roles)
    ]
    for start in range(0, len(rows), 1000):
        session.execute(roles.insert(), rows[start : start + 1000])
    return {
        "organisations": len(registry.spellings),
        "inserted": inserted,
        "updated": updated,
        "removed": len(gone),
        "roles": len(rows),
    }


def _top(counter: Counter[str] | None) -> str | None:
    if not counter:
        return None
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _org_entities(session: Session, curation: Curation) -> dict[str, int]:
    """ORG entities of the NLP step by organisation key, to link nodes to entities."""
    found: dict[str, int] = {}
    rows = session.execute(
        select(m.Entity.id, m.Entity.canonical_name)
        .where(m.Entity.label == "ORG")
        .order_by(m.Entity.id)
    )
    for entity_id, name in rows:
        found.setdefault(curation.resolve(name)[0], entity_id)
    return found
