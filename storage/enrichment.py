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


def fingerprint_rows(
    session: Session, since: date | None, matching: dict[str, set[str]] | None = None
) -> Iterator[Any]:
    """What dedup knows of documents, as rows: their fingerprint, kind, source, external id,
    canonical_id and for patents publication number and family. Without `matching`: every
    document published since `since` (or undated) and every member of a duplicate group,
    whatever its date, so groups are whole. With it: documents whose own DOI, PMID, PMCID,
    canonical URL, text hash, title key, patent family, publication number or priority key
    is among the given values (name -> values), whatever their date."""
    fp, docs, sources = (
        m.DocumentFingerprint.__table__,
        m.Document.__table__,
        m.Source.__table__,
    )
    patents = m.Patent.__table__
    query = (
        select(
            fp.c.document_id, fp.c.doi, fp.c.pmid, fp.c.pmcid, fp.c.url_key, fp.c.text_hash,
            fp.c.title_key, fp.c.minhash, fp.c.completeness, docs.c.kind,
            sources.c.name.label("source"), docs.c.external_id, docs.c.canonical_id,
            patents.c.publication_number, patents.c.family_id,
        )
        .join(docs, docs.c.id == fp.c.document_id)
        .join(sources, sources.c.id == docs.c.source_id)
        .outerjoin(patents, patents.c.document_id == fp.c.document_id)
        .order_by(fp.c.document_id)
    )  # fmt: skip
    if matching is not None:
        priorities = m.PatentPriority.__table__
        columns = {
            "doi": fp.c.doi, "pmid": fp.c.pmid, "pmcid": fp.c.pmcid, "url_key": fp.c.url_key,
            "text_hash": fp.c.text_hash, "title_key": fp.c.title_key,
            "family_id": patents.c.family_id, "publication_number": patents.c.publication_number,
        }  # fmt: skip
        wanted = [
            columns[name].in_(sorted(values))
            for name, values in matching.items()
            if values and name in columns
        ]
        if matching.get("priority"):
            claimed = select(priorities.c.document_id).where(
                priorities.c.key.in_(sorted(matching["priority"]))
            )
            wanted.append(fp.c.document_id.in_(claimed))
        if not wanted:
            return
        query = query.where(or_(*wanted))
    elif since is not None:
        grouped = select(docs.c.canonical_id).where(docs.c.canonical_id.is_not(None))
        query = query.where(
            or_(
                fp.c.published.is_(None),
                fp.c.published >= since,
                docs.c.canonical_id.is_not(None),
                docs.c.id.in_(grouped),
            )
        )
    yield from session.execute(query.execution_options(yield_per=2000))


def priority_rows(
    session: Session, document_ids: Sequence[int]
) -> dict[int, list[tuple[str, str | None]]]:
    """Patents' priority keys and offices (document id -> [(key, office)])."""
    table = m.PatentPriority.__table__
    found: dict[int, list[tuple[str, str | None]]] = {}
    for chunk in _chunks(sorted(document_ids), 500):
        rows = session.execute(
            select(table.c.document_id, table.c.key, table.c.office)
            .where(table.c.document_id.in_(chunk))
            .order_by(table.c.document_id, table.c.key)
        )
        for doc_id, key, office in rows:
            found.setdefault(doc_id, []).append((key, office))
    return found


def stored_identifiers(
    session: Session, document_ids: Sequence[int]
) -> dict[int, tuple[dict[str, str | None], dict[str, str]]]:
    """Publications' stored DOI, PMID and PMCID, and which of them dedup filled in from a
    twin (document id -> (identifiers, filled))."""
    pubs, fp = m.Publication.__table__, m.DocumentFingerprint.__table__
    found: dict[int, tuple[dict[str, str | None], dict[str, str]]] = {}
    for chunk in _chunks(list(document_ids), 500):
        rows = session.execute(
            select(pubs.c.document_id, pubs.c.doi, pubs.c.pmid, pubs.c.pmcid, fp.c.filled)
            .outerjoin(fp, fp.c.document_id == pubs.c.document_id)
            .where(pubs.c.document_id.in_(chunk))
        )
        for doc_id, doi, pmid, pmcid, filled in rows:
            found[doc_id] = ({"doi": doi, "pmid": pmid, "pmcid": pmcid}, filled or {})
    return found


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
        """Remove a re-enriched document's earlier results (its content changed). Its
        fingerprint is overwritten and its duplicate group rewritten (regroup), not
        removed: the group's other members depend on it."""
        for chunk in _chunks(list(document_ids), 500):
            for model in (m.Mention, m.DocumentTopic, m.Signal):
                table = model.__table__
                self.session.execute(delete(table).where(table.c.document_id.in_(chunk)))

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

    def write_priorities(
        self, document_ids: Sequence[int], rows: list[tuple[int, str, str | None]]
    ) -> None:
        """Replace these patents' priority keys with (document id, key, office) rows."""
        table = m.PatentPriority.__table__
        for chunk in _chunks(list(document_ids), 500):
            self.session.execute(delete(table).where(table.c.document_id.in_(chunk)))
        unique = {(d, k): {"document_id": d, "key": k, "office": o} for d, k, o in rows}
        for chunk in _chunks([unique[k] for k in sorted(unique)], 1000):
            self.session.execute(_insert(self.session, table), list(chunk))

    def regroup(
        self,
        assignments: dict[int, int | None],
        before: dict[int, int | None],
        links: list[dict[str, Any]],
    ) -> None:
        """Store duplicate groups: each member's canonical_id (None for the canonical copy)
        and its one duplicate link to the canonical copy. `before` holds the stored
        canonical_id of the members that had a group already (new documents are absent). A
        copy that stops being canonical loses its signals (only canonical copies carry
        them), and documents outside the groups that still name it as canonical follow it."""
        docs, link_table = m.Document.__table__, m.DocumentLink.__table__
        signals = m.Signal.__table__
        members = sorted(assignments)
        by_target: dict[int | None, list[int]] = {}
        for doc_id in members:
            if assignments[doc_id] != before.get(doc_id):
                by_target.setdefault(assignments[doc_id], []).append(doc_id)
        for target, doc_ids in by_target.items():
            for chunk in _chunks(doc_ids, 500):
                self.session.execute(
                    update(docs).where(docs.c.id.in_(chunk)).values(canonical_id=target)
                )
        for chunk in _chunks(members, 500):
            self.session.execute(
                delete(link_table).where(
                    link_table.c.from_document_id.in_(chunk),
                    link_table.c.link_type == "duplicate",
                )
            )
        demoted = [
            d for d in members if d in before and before[d] is None and assignments[d] is not None
        ]
        for doc_id in demoted:
            head = assignments[doc_id]
            self.session.execute(delete(signals).where(signals.c.document_id == doc_id))
            self.session.execute(
                update(docs)
                .where(docs.c.canonical_id == doc_id, docs.c.id.not_in(members))
                .values(canonical_id=head)
            )
            self.session.execute(
                update(link_table)
                .where(
                    link_table.c.to_document_id == doc_id,
                    link_table.c.link_type == "duplicate",
                    link_table.c.from_document_id.not_in(members),
                )
                .values(to_document_id=head)
            )
        self.write_links(links)

    def set_identifiers(
        self, values: dict[int, dict[str, str | None]], filled: dict[int, dict[str, str]]
    ) -> None:
        """Write publications' DOI, PMID and PMCID (a canonical copy's union of its group's,
        a duplicate's own again) and record which were filled in from a twin."""
        pubs, fp = m.Publication.__table__, m.DocumentFingerprint.__table__
        for doc_id, columns in sorted(values.items()):
            self.session.execute(update(pubs).where(pubs.c.document_id == doc_id).values(**columns))
        for doc_id, names in sorted(filled.items()):
            self.session.execute(
                update(fp).where(fp.c.document_id == doc_id).values(filled=names or None)
            )

    def unmark_enriched(self, document_ids: list[int]) -> None:
        """Documents to enrich again (a duplicate that became canonical needs its signals)."""
        docs = m.Document.__table__
        for chunk in _chunks(document_ids, 1000):
            self.session.execute(update(docs).where(docs.c.id.in_(chunk)).values(enriched_at=None))

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
