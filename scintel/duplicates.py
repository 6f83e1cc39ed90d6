"""Duplicate groups in the warehouse, for the enrich step: what dedup knows of each
enriched document (its fingerprint row), and the groups its batch touches, written back.

A group is rewritten whole whenever one of its members is enriched: canonical copy,
duplicate links, and identifiers (the canonical copy gets the twins' DOI, PMID or PMCID it
lacks; a copy that stops being canonical gets its own back). So the stored groups are the
same whatever order the records arrived in. See docs/warehouse.md, "Duplicates".
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from scintel.nlp.analysis import Analysis
from scintel.nlp.dedup import (
    COMPLETENESS_FIELDS,
    DEFAULT_FIELDS,
    IDENTIFIERS,
    NORMALISERS,
    DocPrint,
    DuplicateIndex,
    Group,
    Priority,
    Signer,
    completeness,
    priority,
    title_key,
    url_key,
)
from scintel.storage.enrichment import (
    EnrichmentWriter,
    fingerprint_rows,
    priority_rows,
    stored_identifiers,
)
from scintel.storage.items import Item

log = logging.getLogger(__name__)

Stored = tuple[dict[str, str | None], dict[str, str]]  # identifiers as stored, and fills


def own_identifiers(item: Item, stored: Stored | None) -> tuple[dict[str, str | None], dict]:
    """A publication's own DOI, PMID and PMCID, normalised: the item's, else the stored
    copy's (the loader keeps what a poorer copy lacks) unless dedup filled that in from a
    twin. Returns them with the fills still in place."""
    values = {name: NORMALISERS[name](getattr(item, name, None)) for name in IDENTIFIERS}
    kept: dict[str, str] = {}
    if stored is None:
        return values, kept
    have, filled = stored
    for name in IDENTIFIERS:
        current = NORMALISERS[name](have[name])
        if values[name] is None and current is not None:
            if current == filled.get(name):
                kept[name] = current
            else:
                values[name] = current
    return values, kept


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def patent_priorities(item: Item) -> tuple[Priority, ...]:
    """The filings a patent claims and its own application (a later member may claim it)."""
    found = [priority(c.number, c.date, c.country) for c in getattr(item, "priority_claims", [])]
    extra = item.model_extra or {}
    filed = _day(extra.get("application_date") or extra.get("filing_date"))
    office = getattr(item, "publication_number", "")[:2] or None
    found.append(priority(extra.get("application_number"), filed, office))
    return tuple(sorted({p for p in found if p is not None}, key=lambda p: (p.key, p.office or "")))


def _present(item: Item, identifiers: dict[str, str | None]) -> set[str]:
    names = COMPLETENESS_FIELDS.get(item.kind, DEFAULT_FIELDS)
    have = {n for n in names if getattr(item, n, None) not in (None, "", [], {})}
    return (have - set(IDENTIFIERS)) | {n for n, v in identifiers.items() if v}


def print_of(row: Any, priorities: list[tuple[str, str | None]]) -> DocPrint:
    """A DocPrint from a fingerprint_rows row and the document's priority_rows."""
    return DocPrint(
        row.document_id,
        row.doi,
        row.url_key,
        row.text_hash or None,
        row.minhash,
        key=f"{row.source}:{row.external_id}",
        kind=row.kind,
        pmid=row.pmid,
        pmcid=row.pmcid,
        title_key=row.title_key,
        completeness=row.completeness or 0,
        publication_number=row.publication_number,
        family_id=row.family_id,
        priorities=tuple(Priority.from_key(key, office) for key, office in priorities),
    )


class Deduplicator:
    """The duplicate index of one enrich run and the groups it writes."""

    def __init__(self, session: Session, threshold: float, since: date, signer: Signer) -> None:
        self.index = DuplicateIndex(threshold, signer)
        self._load(session, list(fingerprint_rows(session, since)))
        self.batch: list[DocPrint] = []
        self.enriched: set[int] = set()

    @property
    def duplicates(self) -> int:
        """How many documents enriched in this run are duplicates now."""
        return sum(1 for d in self.enriched if self.index.canonical.get(d) is not None)

    def _load(self, session: Session, rows: list[Any]) -> None:
        patents = [row.document_id for row in rows if row.kind == "patent"]
        priorities = priority_rows(session, patents)
        for row in rows:
            self.index.load(print_of(row, priorities.get(row.document_id, [])), row.canonical_id)

    def fingerprints(
        self, session: Session, entries: Sequence[tuple[Item, int, Analysis]]
    ) -> list[dict[str, Any]]:
        """Fingerprint rows of a batch's enriched documents (kept for `regroup`)."""
        publications = [doc_id for item, doc_id, _ in entries if item.kind == "publication"]
        stored = stored_identifiers(session, publications)
        self.batch, rows = [], []
        for item, doc_id, analysis in entries:
            identifiers, filled = own_identifiers(item, stored.get(doc_id))
            previous = self.index.prints.get(doc_id)
            mask = completeness(item.kind, _present(item, identifiers))
            if previous is not None and previous.kind == item.kind:
                mask |= previous.completeness  # the loader keeps what a poorer copy lacks
            doc = DocPrint(
                doc_id,
                identifiers["doi"],
                url_key(item.url),
                analysis.text_hash,
                analysis.minhash,
                key=f"{item.source}:{item.external_id}",
                kind=item.kind,
                pmid=identifiers["pmid"],
                pmcid=identifiers["pmcid"],
                title_key=title_key(item.title, getattr(item, "authors", []))
                if item.kind == "publication"
                else None,
                completeness=mask,
                publication_number=getattr(item, "publication_number", None),
                family_id=getattr(item, "family_id", None),
                priorities=patent_priorities(item) if item.kind == "patent" else (),
            )
            self.batch.append(doc)
            rows.append(
                {
                    "document_id": doc_id,
                    "text_hash": analysis.text_hash or "",
                    "url_key": doc.url_key,
                    "doi": doc.doi,
                    "pmid": doc.pmid,
                    "pmcid": doc.pmcid,
                    "title_key": doc.title_key,
                    "completeness": mask,
                    "filled": filled or None,
                    "minhash": analysis.minhash,
                    "published": item.published,
                }
            )
        return rows

    def priority_rows(self) -> list[tuple[int, str, str | None]]:
        """The batch's patents' priority keys, for EnrichmentWriter.write_priorities."""
        return [(d.document_id, p.key, p.office) for d in self.batch for p in d.priorities]

    def _load_matches(self, session: Session) -> None:
        """Documents outside the run's window that share an exact key with the batch (an
        old MEDLINE record and its new PMC twin, an EP member published years before its
        US sibling): only near-duplicates by MinHash are limited to the window."""
        columns = {
            "doi": "doi", "pmid": "pmid", "pmcid": "pmcid", "url": "url_key",
            "text_hash": "text_hash", "title_author": "title_key", "family": "family_id",
            "publication_number": "publication_number", "priority": "priority",
        }  # fmt: skip
        matching: dict[str, set[str]] = {name: set() for name in columns.values()}
        for doc in self.batch:
            for method, value in doc.exact_keys():
                matching[columns[method]].add(value)
        known = {doc.document_id for doc in self.batch} | set(self.index.prints)
        rows = [
            row for row in fingerprint_rows(session, None, matching) if row.document_id not in known
        ]
        self._load(session, rows)

    def regroup(self, writer: EnrichmentWriter) -> set[int]:
        """Index the batch and rewrite every group it touches; returns the batch's
        documents that are canonical copies (the ones that carry signals)."""
        self._load_matches(writer.session)
        known = set(self.index.prints)  # documents with a stored group before this batch
        seeds: set[int] = set()
        for doc in self.batch:
            seeds |= self.index.put(doc)
        groups = self.index.resolve(seeds)
        assignments: dict[int, int | None] = {}
        links = []
        for group in groups:
            assignments[group.canonical_id] = None
            for member, link in group.links.items():
                assignments[member] = group.canonical_id
                links.append(
                    {
                        "from_document_id": member,
                        "to_document_id": group.canonical_id,
                        "link_type": "duplicate",
                        "method": link.method,
                        "confidence": link.confidence,
                        "evidence": link.evidence,
                        "found_at": writer.now,
                    }
                )
        before = {d: self.index.canonical.get(d) for d in assignments if d in known}
        writer.regroup(assignments, before, links)
        self._write_identifiers(writer, groups)
        self.index.settle(groups)
        batch = {doc.document_id for doc in self.batch}
        self.enriched |= batch
        promoted = sorted(
            d for d, head in assignments.items()
            if head is None and before.get(d) is not None and d not in batch
        )  # fmt: skip
        if promoted:
            # Its group split (a member's text changed): it needs signals, which only
            # enrichment finds; enriching its file again gives them.
            log.warning(
                "dedup: %d duplicate(s) became canonical without being enriched in this run "
                "(documents %s); marked for enrichment",
                len(promoted),
                promoted[:10],
            )
            writer.unmark_enriched(promoted)
        return {d for d in batch if assignments[d] is None}

    def _write_identifiers(self, writer: EnrichmentWriter, groups: list[Group]) -> None:
        """The canonical copy of each group gets the identifiers it lacks from its twins; a
        value filled in earlier that is no longer wanted goes back to the copy's own. A
        value a source gave is never overwritten."""
        prints = self.index.prints
        members = [d for g in groups for d in g.members if prints[d].kind == "publication"]
        if not members:
            return
        stored = stored_identifiers(writer.session, members)
        values: dict[int, dict[str, str | None]] = {}
        fills: dict[int, dict[str, str]] = {}
        for group in groups:
            for doc_id in group.members:
                if doc_id not in stored:
                    continue
                have, was_filled = stored[doc_id]
                wanted = group.filled if doc_id == group.canonical_id else {}
                changes, now_filled = {}, {}
                for name in IDENTIFIERS:
                    current = NORMALISERS[name](have[name])
                    was_fill = was_filled.get(name)
                    if name in wanted and (current is None or current == was_fill):
                        now_filled[name] = wanted[name]
                        if current != wanted[name]:
                            changes[name] = wanted[name]
                    elif was_fill is not None and current == was_fill:
                        own = prints[doc_id].identifiers()[name]
                        if own != current:
                            changes[name] = own
                if changes:
                    values[doc_id] = changes
                if now_filled != was_filled:
                    fills[doc_id] = now_filled
        writer.set_identifiers(values, fills)
