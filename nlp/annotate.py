"""What the enrichment reads in a text, in the annotation guide's terms.

One record in (id, kind, text, optional title, cpc, published, and the organisations it
lists: applicants, participants, acronym, coordinator), one out: entities with
offsets into `text`, label, canonical key and linked organisation; topics with their
evidence; the primary signal with its type, parties and amount. `scintel annotate` and
the quality benchmark both read the pipeline through here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from spacy.language import Language

from scintel.errors import ScintelError
from scintel.nlp.analysis import Analysis, FoundMention, analyse
from scintel.nlp.corpus import KINDS, LABELS
from scintel.nlp.org_evidence import known_organisations
from scintel.nlp.pipeline import Resources
from scintel.nlp.primary import primary_signal


def _record(raw: Any, number: int) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ScintelError(f"record {number}: not a JSON object")
    missing = [f for f in ("id", "kind", "text") if not raw.get(f)]
    if missing:
        raise ScintelError(f"record {number}: missing {missing[0]!r}")
    if raw["kind"] not in KINDS:
        raise ScintelError(
            f"record {number}: kind {raw['kind']!r} is not one of {', '.join(KINDS)}"
        )
    if not isinstance(raw["text"], str):
        raise ScintelError(f"record {number}: text is not a string")
    return raw


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
        for t in resources.scorer.score(analysis.term_counts, record.get("cpc"), analysis.text)
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
    """Annotations in input order; a malformed record stops with its number."""
    checked = ((r["text"], r) for r in (_record(raw, n) for n, raw in enumerate(records, 1)))
    for analysis in analyse(
        nlp,
        resources,
        checked,
        batch_size=batch_size,
        n_process=n_process,
        names=known_organisations,
    ):
        yield describe(analysis, resources)
