"""Running texts through the pipeline and reading off what enrichment stores.

Texts go through `nlp.pipe(as_tuples=True)` with their context carried along; a text
longer than the chunk limit is split at paragraph or sentence ends, and its chunks'
results are stitched back with their character offsets.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from scintel.nlp.normalise import country_code, country_name, entity_key
from scintel.nlp.pipeline import Resources
from scintel.nlp.signals import Cue

C = TypeVar("C")
DEFAULT_CHUNK_CHARS = 100_000


@dataclass(frozen=True)
class FoundMention:
    label: str
    key: str
    name: str
    text: str
    start: int
    end: int
    origin: str  # "profile" (rules) or "model" (statistical NER)
    country: str | None = None


@dataclass
class Analysis(Generic[C]):
    """What the pipeline found in one text."""

    context: C
    text: str
    tokens: int = 0
    mentions: list[FoundMention] = field(default_factory=list)
    term_counts: dict[str, int] = field(default_factory=dict)
    cues: list[Cue] = field(default_factory=list)
    text_hash: str | None = None
    minhash: bytes | None = None


def split_text(text: str, limit: int) -> list[tuple[int, str]]:
    """(offset, chunk) pieces no longer than `limit`, cut at a paragraph or sentence end."""
    if len(text) <= limit:
        return [(0, text)]
    pieces: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            window = text[start:end]
            cut = max(window.rfind("\n"), window.rfind(". "), window.rfind(" "))
            if cut > limit // 2:
                end = start + cut + 1
        pieces.append((start, text[start:end]))
        start = end
    return pieces


class Extractor:
    """Turns a processed Doc into mentions keyed for the warehouse."""

    def __init__(self, resources: Resources) -> None:
        self.resources = resources
        self.keep = set(resources.spec.keep_labels) | resources.profile_labels

    def mention(self, label: str, ent_id: str, text: str, start: int, end: int) -> FoundMention | None:
        if label not in self.keep or not any(c.isalpha() for c in text):
            return None
        known = self.resources.known
        if ent_id and (label, ent_id) in known:
            entity = known[(label, ent_id)]
            return FoundMention(
                label, entity.key, entity.name, text, start, end, "profile", entity.country
            )
        if label in ("GPE", "LOC"):
            code = country_code(text)
            if code:
                return FoundMention("GPE", code.lower(), country_name(code), text, start, end, "model", code)
        key = entity_key(label, text)
        if not key:
            return None
        alias = self.resources.alias_keys.get((label, key))
        if alias:
            entity = known[(label, alias)]
            return FoundMention(label, alias, entity.name, text, start, end, "model", entity.country)
        return FoundMention(label, key, text.strip(), text, start, end, "model")

    def read(self, doc: Doc, offset: int, into: Analysis) -> None:
        into.tokens += len(doc)
        if offset == 0:  # a long text is fingerprinted by its first chunk
            into.text_hash, into.minhash = doc._.text_hash, doc._.minhash
        for ent in doc.ents:
            found = self.mention(
                ent.label_, ent.id_, ent.text, ent.start_char + offset, ent.end_char + offset
            )
            if found:
                into.mentions.append(found)
        for term, n in (doc._.topic_terms or {}).items():
            into.term_counts[term] = into.term_counts.get(term, 0) + n
        into.cues.extend(
            Cue(kind, start + offset, end + offset, text)
            for kind, start, end, text in doc._.signal_cues or []
        )


def analyse(
    nlp: Language,
    resources: Resources,
    records: Iterable[tuple[str, C]],
    batch_size: int = 256,
    n_process: int = 1,
    chunk_chars: int | None = None,
) -> Iterator[Analysis[C]]:
    """Analyses in input order, one per (text, context) record."""
    limit = min(chunk_chars or DEFAULT_CHUNK_CHARS, nlp.max_length - 1)
    extractor = Extractor(resources)
    pending: list[Analysis[C]] = []

    def units() -> Iterator[tuple[str, tuple[int, int, bool]]]:
        for index, (text, context) in enumerate(records):
            pending.append(Analysis(context=context, text=text))
            pieces = split_text(text, limit)
            for number, (offset, chunk) in enumerate(pieces):
                yield chunk, (index, offset, number == len(pieces) - 1)

    done = 0
    for doc, (index, offset, last) in nlp.pipe(
        units(), as_tuples=True, batch_size=batch_size, n_process=n_process
    ):
        extractor.read(doc, offset, pending[index - done])
        if last:
            yield pending[index - done]
            # Earlier analyses are complete: drop them so memory stays flat.
            del pending[: index - done + 1]
            done = index + 1
