"""Writing enrichment results: entities and aliases, mentions, topics, signals,
duplicate and project-output links, fingerprints. Runs inside the caller's transaction;
every insert is an upsert on a natural key, so writing the same result twice is a no-op.

This module takes and gives rows (dicts and tuples), never NLP objects: the enrich step
(scintel/enrich.py) turns the pipeline's results into rows and the rows read here into
its indexes, so storage and nlp do not import each other."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, or_, select, tuple_, update
from sqlalchemy.orm import Session

from scintel.storage import models as m
from scintel.storage.loader import _chunks, _insert

Entity = tuple[str, str]  # (label, key)


def upsert_topics(
    session: Session, topics: Iterable[tuple[str, str, str | None]]
) -> dict[str, int]:
    """(key, name, description) topics as rows; returns key -> id for every topic."""
    table = m.Topic.__table__
    stmt = _insert(session, table)
    stmt = stmt.on_conflict_do_update(
        index_elements=["key"],
        set_={"name": stmt.excluded.name, "description": stmt.excluded.description},
    )
    rows = [{"key": k, "name": n, "description": d} for k, n, d in topics]
    if rows:
        session.execute(stmt, rows)
    return dict(session.execute(select(table.c.key, table.c.id)).all())


def sync_signal_types(session: Session, types: Iterable[tuple[str, str, bool, bool]]) -> None:
    """(key, label, market, uptake) rows: the registry as the views read it."""
    table = m.SignalTypeRow.__table__
    stmt = _insert(session, table)
    stmt = stmt.on_conflict_do_update(
        index_elements=["key"],
        set_={c: stmt.excluded[c] for c in ("label", "market", "uptake")},
    )
    rows = [{"key": k, "label": lb, "market": mk, "uptake": up} for k, lb, mk, up in types]
    if rows:
        session.execute(stmt, rows)


@dataclass(frozen=True)
class ProjectRow:
    """A project with the names of its participants and coordinator."""

    document_id: int
    project_id: str | None
    acronym: str | None
    start_date: date | None
    end_date: date | None
    organisations: list[str]


def project_rows(session: Session) -> Iterator[ProjectRow]:
    """Every project in the warehouse, with its organisations' names."""
    projects, parts = m.Project.__table__, m.ProjectParticipant.__table__
    names: dict[int, list[str]] = {}
    for doc_id, name in session.execute(select(parts.c.document_id, parts.c.name)):
        names.setdefault(doc_id, []).append(name)
    for row in session.execute(
        select(
            projects.c.document_id,
            projects.c.project_id,
            projects.c.acronym,
            projects.c.start_date,
            projects.c.end_date,
            projects.c.coordinator,
        )
    ):
        organisations = names.get(row.document_id, [])
        if row.coordinator:
            organisations = [*organisations, row.coordinator]
        yield ProjectRow(
            row.document_id,
            row.project_id,
            row.acronym,
            row.start_date,
            row.end_date,
            organisations,
        )


def organisation_names(session: Session) -> Iterator[str]:
    """Names of organisations known from metadata: project participants, patent applicants."""
    parts, patents = m.ProjectParticipant.__table__, m.Patent.__table__
    for (name,) in session.execute(select(parts.c.name)):
        yield name
    for (applicants,) in session.execute(select(patents.c.applicants)):
        yield from (a for a in applicants or [] if isinstance(a, str))


def fingerprint_rows(session: Session, since: date | None) -> Iterator[Any]:
    """Fingerprints of canonical documents (published since `since`, or undated), as rows
    with document_id, doi, url_key, text_hash and minhash."""
    fp, docs = m.DocumentFingerprint.__table__, m.Document.__table__
    query = (
        select(fp.c.document_id, fp.c.doi, fp.c.url_key, fp.c.text_hash, fp.c.minhash)
        .join(docs, docs.c.id == fp.c.document_id)
        .where(docs.c.canonical_id.is_(None))
        .order_by(fp.c.document_id)
    )
    if since is not None:
        query = query.where(or_(fp.c.published.is_(None), fp.c.published >= since))
    yield from session.execute(query.execution_options(yield_per=2000))


class EnrichmentWriter:
    """Writes one batch of enrichment results into the current transaction."""

    def __init__(self, session: Session, topic_ids: dict[str, int]) -> None:
        self.session = session
        self.topic_ids = topic_ids
        self.now = datetime.now(UTC)
        self._entity_ids: dict[Entity, int] = {}

    def entity_ids(self, entities: dict[Entity, tuple[str, str | None]]) -> dict[Entity, int]:
        """Ids of (label, key) entities, creating missing ones with their name and country."""
        # Sorted: two writers inserting the same new entities wait on each other in one
        # order, never in a cycle.
        missing = sorted(k for k in entities if k not in self._entity_ids)
        table = m.Entity.__table__
        if missing:
            rows = [
                {
                    "label": label,
                    "key": key,
                    "canonical_name": entities[(label, key)][0],
                    "country": entities[(label, key)][1],
                    "created_at": self.now,
                }
                for label, key in missing
            ]
            stmt = _insert(self.session, table).on_conflict_do_nothing(
                index_elements=["label", "key"]
            )
            for chunk in _chunks(rows, 500):
                self.session.execute(stmt, list(chunk))
            for chunk in _chunks(missing, 400):
                found = self.session.execute(
                    select(table.c.label, table.c.key, table.c.id).where(
                        tuple_(table.c.label, table.c.key).in_(chunk)
                    )
                )
                self._entity_ids.update({(r[0], r[1]): r[2] for r in found})
        return {k: self._entity_ids[k] for k in entities}

    def aliases(self, rows: Iterable[tuple[int, str, str]]) -> None:
        table = m.EntityAlias.__table__
        unique = {(e, k): {"entity_id": e, "alias": a, "alias_key": k} for e, a, k in rows}
        if unique:
            stmt = _insert(self.session, table).on_conflict_do_nothing(
                index_elements=["entity_id", "alias_key"]
            )
            for chunk in _chunks([unique[k] for k in sorted(unique)], 500):
                self.session.execute(stmt, list(chunk))

    def clear(self, document_ids: Sequence[int]) -> None:
        """Remove a re-enriched document's earlier results (its content changed)."""
        links = m.DocumentLink.__table__
        for chunk in _chunks(list(document_ids), 500):
            for model in (m.Mention, m.DocumentTopic, m.Signal, m.DocumentFingerprint):
                table = model.__table__
                self.session.execute(delete(table).where(table.c.document_id.in_(chunk)))
            self.session.execute(
                delete(links).where(
                    links.c.from_document_id.in_(chunk), links.c.link_type == "duplicate"
                )
            )
            self.session.execute(
                update(m.Document.__table__)
                .where(m.Document.__table__.c.id.in_(chunk))
                .values(canonical_id=None)
            )

    def mentions(self, rows: list[dict[str, Any]]) -> None:
        table = m.Mention.__table__
        stmt = _insert(self.session, table).on_conflict_do_nothing(
            index_elements=["document_id", "entity_id", "start_char"]
        )
        for chunk in _chunks(rows, 1000):
            self.session.execute(stmt, list(chunk))

    def write_topics(self, rows: list[dict[str, Any]]) -> None:
        table = m.DocumentTopic.__table__
        stmt = _insert(self.session, table)
        stmt = stmt.on_conflict_do_update(
            index_elements=["document_id", "topic_id"],
            set_={"score": stmt.excluded.score, "evidence": stmt.excluded.evidence},
        )
        for chunk in _chunks(rows, 1000):
            self.session.execute(stmt, list(chunk))

    def write_signals(self, rows: list[dict[str, Any]]) -> None:
        table = m.Signal.__table__
        stmt = _insert(self.session, table).on_conflict_do_nothing(
            index_elements=["document_id", "signal_type", "fingerprint"]
        )
        for chunk in _chunks(rows, 1000):
            self.session.execute(stmt, list(chunk))

    def write_links(self, rows: list[dict[str, Any]]) -> None:
        table = m.DocumentLink.__table__
        stmt = _insert(self.session, table).on_conflict_do_nothing(
            index_elements=["from_document_id", "to_document_id", "link_type"]
        )
        for chunk in _chunks(rows, 1000):
            self.session.execute(stmt, list(chunk))

    def write_fingerprints(self, rows: list[dict[str, Any]]) -> None:
        table = m.DocumentFingerprint.__table__
        stmt = _insert(self.session, table)
        stmt = stmt.on_conflict_do_update(
            index_elements=["document_id"],
            set_={c.name: stmt.excluded[c.name] for c in table.columns if not c.primary_key},
        )
        for chunk in _chunks(rows, 1000):
            self.session.execute(stmt, list(chunk))

    def mark_duplicates(self, pairs: list[tuple[int, int]]) -> None:
        docs = m.Document.__table__
        for duplicate, canonical in pairs:
            self.session.execute(
                update(docs).where(docs.c.id == duplicate).values(canonical_id=canonical)
            )

    def mark_enriched(self, document_ids: list[int]) -> None:
        docs = m.Document.__table__
        for chunk in _chunks(document_ids, 1000):
            self.session.execute(
                update(docs).where(docs.c.id.in_(chunk)).values(enriched_at=self.now)
            )

    def link_participants(self, rows: list[tuple[int, str, int]]) -> None:
        """Point project participants (document, name) at their organisation entity."""
        parts = m.ProjectParticipant.__table__
        for document_id, name, entity_id in rows:
            self.session.execute(
                update(parts)
                .where(parts.c.document_id == document_id, parts.c.name == name)
                .values(entity_id=entity_id)
            )
