"""Organisations and their part in documents: the nodes of the network and the basis of
follow-on funding and uptake indicators (organisation_documents).

Every participant, applicant and publication affiliation is one mention of an organisation;
all of them are observed first and resolved together by scintel.impact.identity, so one
organisation has one key whichever source names it and in whatever order they were loaded.
"""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from scintel.impact.corpus import ProjectRecord
from scintel.impact.curation import Curation, CurationEffect
from scintel.impact.identity import Identities, Mention, is_generic, rule_of
from scintel.impact.names import NameFinder, display_name
from scintel.nlp.normalise import org_key
from scintel.nlp.signal_types import UPTAKE_SIGNALS
from scintel.storage import models as m
from scintel.storage.items import affiliations

log = logging.getLogger(__name__)

ROLE_COUNTERS = {
    "coordinator": "projects",
    "participant": "projects",
    "applicant": "patents",
    "affiliation": "publications",
}
MAX_NAMES = 20  # spellings kept per organisation in organisations.names
STORED = [
    m.Organisation.__table__.c[c]
    for c in (
        *("id", "key", "name", "names", "key_rule", "pic", "ror", "country", "group_key"),
        *("entity_id", "projects", "patents", "publications"),
    )
]


@dataclass(frozen=True)
class Observation:
    """A mention of an organisation in a document, in a role."""

    mention: Mention
    document_id: int
    role: str


@dataclass
class Registry:
    """Organisations seen in the warehouse, keyed by their identity."""

    identities: Identities
    effect: CurationEffect
    spellings: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    roles: set[tuple[str, int, str]] = field(default_factory=set)
    groups: dict[str, str] = field(default_factory=dict)  # member key -> group key

    @property
    def curation(self) -> Curation:
        return self.identities.curation

    def add(self, seen: Observation) -> str | None:
        """Record one observation; returns its key, or None when vetoed or nameless."""
        mention = seen.mention
        name_level, display, merged = self.curation.resolve(mention.name)
        if self.curation.is_vetoed_organisation(name_level):
            self.effect.participations_vetoed += 1
            return None
        key = self.identities.key_for(mention.name, mention.country, mention.pic, mention.ror)
        if key is None:
            return None
        if merged:
            self.effect.names_merged += 1
        self.spellings[key][display] += 1  # a curated alias shows its canonical name
        self.roles.add((key, seen.document_id, seen.role))
        return key

    def finder(self) -> NameFinder:
        """Finds these organisations in text by their spellings: a spelling that names two
        organisations (in two countries, say) or is too generic to be a name finds none."""
        owners: dict[str, set[str]] = defaultdict(set)
        for key, names in self.spellings.items():
            for name in names:
                owners[org_key(name)].add(key)
        for alias_key, (canonical_key, _) in self.curation.aliases.items():
            owners[alias_key] |= owners.get(canonical_key, set())
        return NameFinder(
            {
                text: min(keys)
                for text, keys in owners.items()
                if text and len(keys) == 1 and not is_generic(text)
            }
        )


def observations(session: Session, projects: list[ProjectRecord]) -> list[Observation]:
    """Every participant, patent applicant and publication affiliation in the warehouse."""
    found = [
        Observation(Mention(name, country, pic=pic), project.document_id, role)
        for project in projects
        for name, country, role, pic in project.organisation_refs()
    ]
    patents = session.execute(
        select(m.Patent.document_id, m.Patent.applicants)
        .join(m.Document, m.Document.id == m.Patent.document_id)
        .where(m.Document.canonical_id.is_(None))
        .order_by(m.Patent.document_id)
    )
    for doc_id, applicants in patents:
        found += [
            Observation(Mention(name), doc_id, "applicant")
            for name in applicants or []
            if isinstance(name, str)
        ]
    publications = session.execute(
        select(m.Document.id, m.Document.extra)
        .where(m.Document.kind == "publication", m.Document.canonical_id.is_(None))
        .order_by(m.Document.id)
    )
    for doc_id, extra in publications:
        found += [
            Observation(Mention(a.name, a.country, ror=a.ror), doc_id, "affiliation")
            for a in affiliations(extra)
        ]
    return found


def _resolved(seen: list[Observation], curation: Curation) -> Identities:
    known = Identities(curation)
    for item in seen:
        known.observe(item.mention)
    known.resolve()
    return known


def identities(session: Session, projects: list[ProjectRecord], curation: Curation) -> Identities:
    """The organisation identities of everything the warehouse holds, resolved: what the
    network step keys organisations by (`Identities.key_for`)."""
    return _resolved(observations(session, projects), curation)


def collect(session: Session, projects: list[ProjectRecord], curation: Curation) -> Registry:
    """Every organisation of the given projects, patents, affiliations and news mentions."""
    seen = observations(session, projects)
    registry = Registry(_resolved(seen, curation), CurationEffect())
    for item in seen:
        registry.add(item)
    _groups(registry)
    _mentions(session, registry)
    return registry


def _groups(registry: Registry) -> None:
    """The curated groups of the organisations present; a group is an organisation too."""
    for member in list(registry.spellings):
        if (group := registry.identities.group_of(member)) is not None:
            registry.groups[member] = group
            for name in registry.identities.names(group):
                registry.spellings[group][name] += 0  # present and named, with no role


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
        select(m.Mention.document_id, m.Entity.canonical_name, m.Entity.country)
        .join(m.Entity, m.Entity.id == m.Mention.entity_id)
        .join(m.Document, m.Document.id == m.Mention.document_id)
        .where(m.Entity.label == "ORG", m.Document.kind != "project")
        .distinct()
    )
    for doc_id, name, country in entity_rows:
        key = registry.identities.key_for(name, country)
        if key in registry.spellings:
            registry.roles.add((key, doc_id, "mentioned"))


def _entity_links(session: Session, known: Identities, keys: set[str]) -> dict[str, int]:
    """The NLP step's ORG entity of each organisation: the entity whose name (in its
    country) keys to it, else the entity the NLP step linked a participant of it to, else
    an entity one of whose spellings keys to it."""
    found: dict[str, int] = {}
    entities = session.execute(
        select(m.Entity.id, m.Entity.canonical_name, m.Entity.country)
        .where(m.Entity.label == "ORG")
        .order_by(m.Entity.id)
    ).all()
    for entity_id, name, country in entities:
        if (key := known.key_for(name, country)) in keys:
            found.setdefault(key, entity_id)
    participants = session.execute(
        select(
            m.ProjectParticipant.name,
            m.ProjectParticipant.country,
            m.ProjectParticipant.pic,
            m.ProjectParticipant.entity_id,
        )
        .where(m.ProjectParticipant.entity_id.is_not(None))
        .order_by(m.ProjectParticipant.id)
    )
    for name, country, pic, entity_id in participants:
        if (key := known.key_for(name, country, pic)) in keys:
            found.setdefault(key, entity_id)
    countries = {entity_id: country for entity_id, _, country in entities}
    aliases = session.execute(
        select(m.EntityAlias.entity_id, m.EntityAlias.alias)
        .where(m.EntityAlias.entity_id.in_(select(m.Entity.id).where(m.Entity.label == "ORG")))
        .order_by(m.EntityAlias.entity_id, m.EntityAlias.id)
    )
    for entity_id, alias in aliases:
        if (key := known.key_for(alias, countries.get(entity_id))) in keys:
            found.setdefault(key, entity_id)
    return found


def _activity(registry: Registry) -> dict[str, Counter[str]]:
    """Distinct documents per organisation and kind of role (projects, patents, publications)."""
    documents = {
        (key, ROLE_COUNTERS[role], doc)
        for key, doc, role in registry.roles
        if role in ROLE_COUNTERS
    }
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for key, kind, _ in documents:
        counts[key][kind] += 1
    return counts


def _values(
    registry: Registry, key: str, counts: Counter[str], entity_id: int | None
) -> dict[str, Any]:
    """The organisations row of one key."""
    known = registry.identities
    spellings = known.names(key) + registry.spellings[key]  # as written, and as curated
    pics, rors = known.ids(key, "pic"), known.ids(key, "ror")
    names = sorted(spellings, key=lambda n: (-spellings[n], n))[:MAX_NAMES]
    return {
        "name": display_name(sorted(registry.spellings[key])),
        "names": names,
        "key_rule": rule_of(key),
        "pic": pics[0] if pics else None,
        "ror": rors[0] if rors else None,
        "country": known.country(key),
        "group_key": registry.groups.get(key),
        "entity_id": entity_id,
        "projects": counts["projects"],
        "patents": counts["patents"],
        "publications": counts["publications"],
    }


def store(session: Session, registry: Registry) -> dict[str, int]:
    """Upsert organisations by key, replace their document roles and merges; returns counts."""
    now = datetime.now(UTC)
    table = m.Organisation.__table__
    stored = {row.key: row._asdict() for row in session.execute(select(*STORED))}
    keys = set(registry.spellings)
    entity_ids = _entity_links(session, registry.identities, keys)
    activity = _activity(registry)
    existing = {key: row["id"] for key, row in stored.items()}
    inserted = updated = 0
    for key in sorted(keys):
        values = _values(registry, key, activity[key], entity_ids.get(key))
        if key not in stored:
            existing[key] = session.execute(
                table.insert().values(key=key, updated_at=now, **values).returning(table.c.id)
            ).scalar_one()
            inserted += 1
        elif any(stored[key][name] != value for name, value in values.items()):
            session.execute(
                update(table).where(table.c.id == existing[key]).values(**values, updated_at=now)
            )
            updated += 1
    gone = [oid for key, oid in existing.items() if key not in keys]
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
    merges = _store_merges(session, registry, {k: existing[k] for k in keys})
    return {
        "organisations": len(keys),
        "inserted": inserted,
        "updated": updated,
        "removed": len(gone),
        "roles": len(rows),
        "merges": merges,
        "by_key_rule": dict(sorted(Counter(rule_of(k) for k in keys).items())),
        "joins_refused": registry.identities.refused(),
    }


def _store_merges(session: Session, registry: Registry, ids: dict[str, int]) -> int:
    """Keep organisation_merges equal to the identities' merges (unchanged rows stay)."""
    table = m.OrganisationMerge.__table__
    wanted: dict[tuple[int, str, str], dict[str, Any]] = {}
    for key, organisation_id in ids.items():
        for merge in registry.identities.merges(key):
            wanted.setdefault((organisation_id, merge.rule, merge.member), merge.evidence)
    stored = {
        (row.organisation_id, row.rule, row.member): (row.id, row.evidence)
        for row in session.execute(
            select(
                table.c.id, table.c.organisation_id, table.c.rule, table.c.member, table.c.evidence
            )
        )
    }

    def same(a: Any, b: Any) -> bool:
        return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)

    stale = [
        row_id
        for ident, (row_id, evidence) in stored.items()
        if ident not in wanted or not same(wanted[ident], evidence)
    ]
    for start in range(0, len(stale), 900):
        session.execute(delete(table).where(table.c.id.in_(stale[start : start + 900])))
    kept = {ident for ident, (row_id, _) in stored.items() if row_id not in set(stale)}
    rows = [
        {"organisation_id": o, "rule": r, "member": mb, "evidence": wanted[(o, r, mb)]}
        for o, r, mb in sorted(wanted)
        if (o, r, mb) not in kept
    ]
    for start in range(0, len(rows), 1000):
        session.execute(table.insert(), rows[start : start + 1000])
    return len(wanted)
