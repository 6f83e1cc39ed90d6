"""What the enrichment reads in a text, in the annotation guide's terms.

One record in (id, kind, text, optional title, cpc, published, and the organisations it
lists: applicants, participants, acronym, coordinator), one out: entities with
offsets into `text`, label, canonical key and linked organisation; topics with their
evidence; the primary signal with its type, parties and amount. `scintel annotate` and
the quality benchmark both read the pipeline through here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from spacy.language import Language

from scintel.kinds import kind_key
from scintel.nlp.analysis import Analysis, FoundMention, analyse
from scintel.nlp.corpus import KINDS, LABELS
from scintel.nlp.org_evidence import known_organisations
from scintel.nlp.pipeline import Resources
from scintel.nlp.primary import primary_signal

log = logging.getLogger(__name__)


class Rejected:
    """An input record that cannot be annotated: it gets an error line, the rest goes on."""

    def __init__(self, raw: Any, reason: str) -> None:
        self.raw = raw if isinstance(raw, dict) else {}
        self.reason = reason


def _record(raw: Any, number: int) -> dict[str, Any] | Rejected:
    """The record to annotate, its kind read by `kind_key`, or why it cannot be."""
    if isinstance(raw, Rejected):
        return raw
    if not isinstance(raw, dict):
        return Rejected(raw, f"record {number}: not a JSON object")
    if raw.get("id") in (None, ""):
        return Rejected(raw, f"record {number}: missing 'id'")
    text = raw.get("text")
    if not isinstance(text, str):
        return Rejected(raw, f"record {number} ({raw['id']}): 'text' is missing or not a string")
    kind = kind_key(raw.get("kind"))
    if kind is None:
        log.warning(
            "record %d (%s): kind %r is not one of %s; its signal is typed by its cues",
            number, raw["id"], raw.get("kind"), ", ".join(KINDS),
        )  # fmt: skip
        return {**raw, "kind": str(raw.get("kind") or "")}
    return {**raw, "kind": kind}


def cpc_codes(raw: Any) -> list[str]:
    """CPC codes as a list, also when a file gives them as one string ("C12N9/20; C12P7/62")."""
    if isinstance(raw, str):
        return [c for c in re.split(r"[;,]\s*|\s{2,}|\n", raw) if c.strip()]
    if isinstance(raw, list):
        return [str(c) for c in raw if c]
    return []


def _published(raw: Any) -> date | None:
    try:
        return date.fromisoformat(str(raw)[:10]) if raw else None
    except ValueError:
        return None


def _money(mention: FoundMention, resources: Resources, published: date | None) -> dict[str, Any]:
    if mention.label != "MONEY" or mention.value is None or mention.currency is None:
        return {}
    converted = resources.rates.to_eur(mention.value, mention.currency, published)
    return {
        "currency": mention.currency,
        "value": f"{mention.value.normalize():f}",
        "eur": str(converted.eur) if converted else None,
    }


def describe(analysis: Analysis[dict[str, Any]], resources: Resources) -> dict[str, Any]:
    record = analysis.context
    published = _published(record.get("published"))
    entities = [
        {
            "start": m.start,
            "end": m.end,
            "label": m.label,
            "text": m.text,
            "key": m.key,
            "name": m.name,
            "organisation": m.key if m.label == "ORG" else None,
            "origin": m.origin,
            **_money(m, resources, published),
        }
        for m in sorted(analysis.mentions, key=lambda m: (m.start, m.end))
        if m.label in LABELS
    ]
    topics = [
        {"key": t.key, "score": t.score, "evidence": t.evidence}
        for t in resources.scorer.score(
            analysis.term_counts, cpc_codes(record.get("cpc")), analysis.text
        )
    ]
    signal, secondary = primary_signal(record["kind"], analysis, resources, published)
    return {
        "id": record["id"],
        "kind": record["kind"],
        "entities": entities,
        "topics": topics,
        "signal": signal,
        "secondary_signals": secondary,
    }


def annotate(
    nlp: Language,
    resources: Resources,
    records: Iterable[Any],
    n_process: int = 1,
    batch_size: int = 64,
) -> Iterator[dict[str, Any]]:
    """Annotations in input order. A record that cannot be read (not an object, no id, no
    text, or a `Rejected` line from the reader) gets `{"id", "error"}` in its place and the
    rest goes on; a kind the guide does not name is annotated, its signal typed by cues."""
    checked = (_record(raw, n) for n, raw in enumerate(records, 1))
    # A rejected record passes through as an empty text, so output keeps the input's order.
    pairs = ((r["text"] if isinstance(r, dict) else "", r) for r in checked)
    for analysis in analyse(
        nlp,
        resources,
        pairs,
        batch_size=batch_size,
        n_process=n_process,
        names=lambda r: known_organisations(r) if isinstance(r, dict) else (),
    ):
        record = analysis.context
        if isinstance(record, Rejected):
            yield {"id": record.raw.get("id"), "error": record.reason}
        else:
            yield describe(analysis, resources)
