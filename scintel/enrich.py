"""The enrich step: landing-zone items -> NLP -> warehouse, one transaction per batch.

Items that are new, changed, or not yet enriched go through the pipeline; the loader
upserts the documents and the writer adds their mentions, topics, signals, duplicate
links and fingerprints in the same transaction. Files that were enriched completely
are recorded (load_runs, step 'enrich'), so the default run only takes new files.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from spacy.language import Language
from sqlalchemy import Engine, select, tuple_
from sqlalchemy.orm import Session

from scintel.config import Settings
from scintel.duplicates import Deduplicator
from scintel.errors import ScintelError
from scintel.nlp.analysis import Analysis, FoundMention, analyse
from scintel.nlp.dedup import Signer
from scintel.nlp.detect import detect_signals, resolve_org
from scintel.nlp.normalise import country_code, entity_key
from scintel.nlp.org_evidence import known_organisations
from scintel.nlp.pipeline import Resources, build_pipeline, load_resources
from scintel.nlp.signal_types import registry_rows
from scintel.profile import Profile
from scintel.spiders.landing import item_files
from scintel.storage import models as m
from scintel.storage.batches import Batch, FileBatches
from scintel.storage.engine import check_connection, make_engine
from scintel.storage.enrichment import EnrichmentWriter, sync_signal_types, upsert_topics
from scintel.storage.items import Item
from scintel.storage.loader import Loader
from scintel.storage.rows import iso_week
from scintel.storage.schema import require_schema

log = logging.getLogger(__name__)
STEP = "enrich"
COUNTS = (
    "received",
    "inserted",
    "updated",
    "unchanged",
    "repeats",
    "rejected",
    "enriched",
    "duplicates",
)


@dataclass
class EnrichSummary:
    """Counts of one enrich run; received = inserted + updated + unchanged + repeats +
    rejected (a repeat is an item whose key came again later in the same batch)."""

    files: int = 0
    received: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    repeats: int = 0
    rejected: int = 0
    enriched: int = 0
    duplicates: int = 0  # documents enriched in the run that are duplicates at its end
    mentions: int = 0
    topics: int = 0
    signals: int = 0
    rejects: list[tuple[str, int, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        names = ("files", *COUNTS, "mentions", "topics", "signals")
        return {n: getattr(self, n) for n in names}


@dataclass
class Pending:
    """A loader batch on its way through the pipeline: which of its items need the NLP, and
    the analyses that came back for them."""

    batch: Batch
    needs_nlp: list[int]
    analyses: dict[int, Analysis] = field(default_factory=dict)

    @property
    def items(self) -> list[Item]:
        return self.batch.items


def document_text(item: Item) -> str:
    """The text enrichment reads: title, then summary."""
    return f"{item.title}\n\n{item.summary}" if item.summary else item.title


def _record_names(context: tuple[Pending, int]) -> tuple[str, ...]:
    """The organisations an item lists itself (participants, applicants, acronym): they
    are organisations wherever its text names them."""
    pending, index = context
    return known_organisations(pending.items[index])


def pending_files(engine: Engine, landing: Path) -> list[Path]:
    """Landing-zone item files that no earlier run enriched completely."""
    runs = m.LoadRun.__table__
    with Session(engine) as session:
        done = set(
            session.execute(
                select(runs.c.path).where(runs.c.step == STEP, runs.c.finished_at.is_not(None))
            ).scalars()
        )
    return [p for p in item_files(landing) if str(p.resolve()) not in done]


class Enricher:
    """One enrich run: the pipeline, its resources and the warehouse state it needs."""

    def __init__(
        self,
        engine: Engine,
        resources: Resources,
        nlp: Language,
        batch_size: int,
        n_process: int,
    ) -> None:
        self.engine = engine
        self.resources = resources
        self.nlp = nlp
        self.batch_size = batch_size
        self.n_process = n_process
        self.summary = EnrichSummary()
        self.signer = Signer()
        since = date.today() - timedelta(days=resources.spec.dedup_window_days)
        with Session(engine) as session, session.begin():
            sync_signal_types(session, registry_rows())
            topics = resources.taxonomy.topics
            self.topic_ids = upsert_topics(
                session, [(t.key, t.name, t.description) for t in topics]
            )
            self.dedup = Deduplicator(
                session, resources.spec.near_duplicate_threshold, since, self.signer
            )

    def resolve(self, name: str) -> str:
        return resolve_org(self.resources, name)

    # --- reading ------------------------------------------------------------------------

    def _needs_nlp(self, items: list[Item]) -> list[int]:
        """Indexes of items that are new, changed, or loaded but never enriched. An item
        without a summary whose stored copy has one (the loader keeps it: the richer record
        wins) is read with the stored summary, so its mentions match what is stored."""
        docs, sources = m.Document.__table__, m.Source.__table__
        keys = [(i.source, i.external_id) for i in items]
        state: dict[tuple[str, str], tuple[str, Any, str | None]] = {}
        with Session(self.engine) as session:
            for start in range(0, len(keys), 400):
                rows = session.execute(
                    select(
                        sources.c.name,
                        docs.c.external_id,
                        docs.c.content_hash,
                        docs.c.enriched_at,
                        docs.c.summary,
                    )
                    .join(sources, sources.c.id == docs.c.source_id)
                    .where(
                        tuple_(sources.c.name, docs.c.external_id).in_(keys[start : start + 400])
                    )
                )
                state.update({(r[0], r[1]): (r[2], r[3], r[4]) for r in rows})
        wanted = []
        for index, (item, key) in enumerate(zip(items, keys, strict=True)):
            known = state.get(key)
            if known is None or known[0] != item.content_hash() or known[1] is None:
                wanted.append(index)
                if known is not None and known[2] and not item.summary:
                    items[index] = item.model_copy(update={"summary": known[2]})
        return wanted

    def _batches(self, path: Path) -> Iterator[Pending]:
        """The file's batches, as `scintel load` reads them (one load path), with items."""
        dialect = self.engine.dialect
        with FileBatches(path, dialect, self.batch_size, keep_items=True) as batches:
            for batch in batches:
                self.summary.received += batch.lines
                self.summary.repeats += batch.repeats
                yield Pending(batch, self._needs_nlp(batch.items))

    # --- the run ------------------------------------------------------------------------

    def enrich_file(self, path: Path) -> None:
        origin = str(path.resolve())
        with Session(self.engine) as session, session.begin():
            run = m.LoadRun(step=STEP, path=origin)
            session.add(run)
            session.flush()
            run_id = run.id
        before = self.summary.as_dict()
        queue: deque[Pending] = deque()

        def records() -> Iterator[tuple[str, tuple[Pending, int]]]:
            for pending in self._batches(path):
                queue.append(pending)
                for index in pending.needs_nlp:
                    yield document_text(pending.items[index]), (pending, index)

        for analysis in analyse(
            self.nlp,
            self.resources,
            records(),
            batch_size=self.batch_size,
            n_process=self.n_process,
            names=_record_names,
        ):
            pending, index = analysis.context
            while queue[0] is not pending:
                self._write(queue.popleft(), run_id, origin)
            pending.analyses[index] = analysis
        while queue:
            self._write(queue.popleft(), run_id, origin)
        after = self.summary.as_dict()
        with Session(self.engine) as session, session.begin():
            run = session.get_one(m.LoadRun, run_id)
            run.finished_at = datetime.now(UTC)
            for name in ("received", "inserted", "updated", "unchanged", "rejected"):
                setattr(run, name, after[name] - before[name])
            run.repeats = after["repeats"] - before["repeats"]
        self.summary.files += 1

    def _write(self, batch: Pending, run_id: int, origin: str) -> None:
        """Upsert a batch's documents, keep its rejects and write its enrichment, in one
        transaction."""
        with Session(self.engine) as session, session.begin():
            loader = Loader(session, run_id)
            for number, reason, text in batch.batch.rejects:
                loader.reject(origin, number, reason, text)
                self.summary.rejects.append((origin, number, reason))
            self.summary.rejected += len(batch.batch.rejects)
            if not batch.items:
                return
            result = loader.write(batch.batch.rows)
            for status in result.statuses:
                setattr(self.summary, status, getattr(self.summary, status) + 1)
            writer = EnrichmentWriter(session, self.topic_ids)
            self._write_nlp(writer, batch, result.document_ids)

    def _money(self, mention: FoundMention, published: date | None) -> dict[str, Any]:
        """A MONEY mention's amount, currency and EUR value at the document's date."""
        if mention.label != "MONEY" or mention.value is None or mention.currency is None:
            return {"currency": None, "amount": None, "amount_eur": None}
        converted = self.resources.rates.to_eur(mention.value, mention.currency, published)
        too_big = mention.value >= 10**18  # beyond the column: kept as text, not as a number
        if mention.unit:  # a price ("4.5 €/kg"): its key keeps the unit; no sum to add up in EUR
            amount = None if too_big else mention.value
            return {"currency": mention.currency, "amount": amount, "amount_eur": None}
        return {
            "currency": mention.currency,
            "amount": None if too_big else mention.value,
            "amount_eur": converted.eur
            if converted and not too_big and converted.eur < 10**18
            else None,
        }

    def _organisation(
        self, name: str, country: str | None
    ) -> tuple[tuple[str, str], str, str | None]:
        key = self.resolve(name)
        known = self.resources.known.get(("ORG", key))
        if known:
            return ("ORG", key), known.name, known.country
        return ("ORG", key), name.strip(), country_code(country) if country else None

    def _write_nlp(self, writer: EnrichmentWriter, batch: Pending, ids: list[int]) -> None:
        enriched = [(batch.items[i], ids[i], batch.analyses[i]) for i in batch.needs_nlp]
        if not enriched:
            return
        writer.clear([doc_id for _, doc_id, _ in enriched])
        entities: dict[tuple[str, str], tuple[str, str | None]] = {}
        for _, _, analysis in enriched:
            for mention in analysis.mentions:
                entities.setdefault((mention.label, mention.key), (mention.name, mention.country))
        participants: list[tuple[int, str, tuple[str, str]]] = []
        for item, doc_id, _ in enriched:
            if item.kind == "project":
                for p in item.participants:
                    key, name, country = self._organisation(p.name, p.country)
                    entities.setdefault(key, (name, country))
                    participants.append((doc_id, p.name, key))
            for applicant in getattr(item, "applicants", []):
                key, name, country = self._organisation(applicant, None)
                entities.setdefault(key, (name, country))
        entity_ids = writer.entity_ids(entities)
        writer.link_participants([(d, n, entity_ids[k]) for d, n, k in participants])

        mentions, aliases, topics, signals = [], [], [], []
        for item, doc_id, analysis in enriched:
            for mention in analysis.mentions:
                entity_id = entity_ids[(mention.label, mention.key)]
                mentions.append(
                    {
                        "document_id": doc_id,
                        "entity_id": entity_id,
                        "start_char": mention.start,
                        "end_char": mention.end,
                        "text": mention.text[:1000],
                        "origin": mention.origin,
                        **self._money(mention, item.published),
                    }
                )
                aliases.append(
                    (entity_id, mention.text.strip(), entity_key(mention.label, mention.text))
                )
            scores = self.resources.scorer.score(
                analysis.term_counts, getattr(item, "cpc", None), analysis.text
            )
            topics.extend(
                {"document_id": doc_id, "topic_id": self.topic_ids[t.key], "score": t.score,
                 "evidence": t.evidence}
                for t in scores
            )  # fmt: skip
        # Duplicate groups first: only a group's canonical copy carries signals.
        writer.write_fingerprints(self.dedup.fingerprints(writer.session, enriched))
        writer.write_priorities(
            [doc_id for item, doc_id, _ in enriched if item.kind == "patent"],
            self.dedup.priority_rows(),
        )
        canonical = self.dedup.regroup(writer)
        self.summary.duplicates = self.dedup.duplicates
        for item, doc_id, analysis in enriched:
            if doc_id not in canonical:
                continue
            found = detect_signals(item, analysis, self.resources)
            week = iso_week(item.published) or iso_week(writer.now.date())
            signals.extend(
                {"document_id": doc_id, "signal_type": f.signal_type,
                 "fingerprint": f.fingerprint, "score": f.score, "iso_week": week,
                 "amount_eur": f.amount_eur, "evidence": f.evidence,
                 "created_at": writer.now}
                for f in found
            )  # fmt: skip
        writer.aliases(a for a in aliases if a[2])
        writer.mentions(mentions)
        writer.write_topics(topics)
        writer.write_signals(signals)
        writer.mark_enriched([doc_id for _, doc_id, _ in enriched])
        self.summary.enriched += len(enriched)
        self.summary.mentions += len(mentions)
        self.summary.topics += len(topics)
        self.summary.signals += len(signals)


def enrich(
    settings: Settings,
    profile: Profile,
    paths: Sequence[Path] | None = None,
    *,
    batch_size: int | None = None,
    n_process: int | None = None,
    nlp: Language | None = None,
) -> EnrichSummary:
    """Enrich item files (default: landing-zone files not yet enriched) into the warehouse."""
    for path in paths or []:
        if not path.is_file():
            raise ScintelError(f"no such file: {path}")
    engine = make_engine(settings.database_url)
    try:
        check_connection(engine)
        require_schema(engine)
        files = list(paths) if paths else pending_files(engine, settings.landing_dir)
        resources = load_resources(profile)
        if not files:
            log.info("nothing to enrich")
            return EnrichSummary()
        pipeline = nlp if nlp is not None else build_pipeline(resources)
        enricher = Enricher(
            engine,
            resources,
            pipeline,
            batch_size or resources.spec.batch_size,
            n_process or resources.spec.n_process,
        )
        for path in files:
            enricher.enrich_file(path)
            log.info("enriched %s", path)
        return enricher.summary
    finally:
        engine.dispose()
