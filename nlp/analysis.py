"""Running texts through the pipeline and reading off what enrichment stores.

Texts go through `nlp.pipe(as_tuples=True)` with their context carried along, in worker
processes when `n_process` > 1; a text longer than the chunk limit is split at paragraph
or sentence ends, and its chunks' results are stitched back with their offsets.
"""

from __future__ import annotations

import logging
import multiprocessing
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from multiprocessing.pool import AsyncResult
from typing import Generic, TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from scintel.nlp.corpus import LABELS
from scintel.nlp.lines import line_bounds
from scintel.nlp.money import find_amounts
from scintel.nlp.normalise import country_code, country_name, entity_key, is_currency_code
from scintel.nlp.pipeline import Resources
from scintel.nlp.refine import Refiner
from scintel.nlp.ruler import CEDED
from scintel.nlp.signals import Cue
from scintel.nlp.term_context import TermContext

log = logging.getLogger(__name__)
C = TypeVar("C")
# A longer text is analysed in chunks of this size, cut at a paragraph or sentence end, and
# a batch holds at most BATCH_CHARS: memory stays flat whatever one item's length.
DEFAULT_CHUNK_CHARS = 20_000
BATCH_CHARS = 200_000
# Text read per item: the first two million characters (a book's length; abstracts, claims
# and articles are far shorter). Past it, the rest is not analysed and the log says so.
MAX_TEXT_CHARS = 2_000_000
# Spaces other than the ASCII one (no-break, thin, narrow no-break, ideographic), as web
# pages write them ("€\u00a081 million"): read as ASCII spaces, one character for one, so
# offsets stay those of the text given. Otherwise the tokenizer makes each a token of its
# own and a listed name written with one is not found.
_PLAIN_SPACES = str.maketrans(
    {c: " " for c in ["\u00a0", *map(chr, range(0x2000, 0x200B)), "\u202f", "\u205f", "\u3000"]}
)
# Labels every profile keeps: the annotation guide's eight (LOC and the like as the profile says).
GUIDE_LABELS = frozenset(LABELS)
# Words a name's span does not start or end with (guide: `the Commission` -> `Commission`).
_LEADING = ("the ", "The ", "THE ")
_TRAILING = ("'s", "\u2019s", "'", "\u2019")
_CLOSING_QUOTES = "'\u2019\u201d\""
_OPENING_QUOTES = '`\u2018\u201c"'


@dataclass(frozen=True)
class FoundMention:
    label: str
    key: str
    name: str
    text: str
    start: int
    end: int
    # "profile" (entity rules), "model" (statistical NER), "rules" (money reader, span
    # rules), "context" (added by the term-context model)
    origin: str
    country: str | None = None
    currency: str | None = None  # MONEY: ISO 4217 code and the amount (a range's upper end)
    value: Decimal | None = None
    unit: str | None = None  # MONEY: a price's unit ("kg"); a price is not a sum of money


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
        self.keep = set(resources.spec.keep_labels) | resources.profile_labels | GUIDE_LABELS
        self.refine = Refiner(self._made, resources.modifiers)

    def _made(self, label: str, text: str, start: int, end: int) -> FoundMention | None:
        found = self.mention(label, "", text, start, end)
        return replace(found, origin="rules") if found else None

    @staticmethod
    def trim(text: str, start: int, end: int) -> tuple[str, int, int]:
        """A name without a leading article, a trailing possessive or its quotation marks
        ("``Joint Genome Institute''", "“Bio Innovation Centre”")."""
        for word in _LEADING:
            if text.startswith(word) and len(text) > len(word):
                text, start = text[len(word) :], start + len(word)
        for tail in _TRAILING:
            if text.endswith(tail) and len(text) > len(tail):
                text, end = text[: -len(tail)], end - len(tail)
        right = text.rstrip(_CLOSING_QUOTES)
        bare = right.lstrip(_OPENING_QUOTES)
        if not bare:
            return text, start, end
        return bare, start + len(right) - len(bare), end - len(text) + len(right)

    def mention(
        self, label: str, ent_id: str, text: str, start: int, end: int
    ) -> FoundMention | None:
        if label not in self.keep or not any(c.isalpha() for c in text):
            return None
        if label in ("ORG", "GPE", "PERSON", "PROGRAMME", "LOC", "NORP"):
            text, start, end = self.trim(text, start, end)
        known = self.resources.known
        if ent_id and (label, ent_id) in known:
            entity = known[(label, ent_id)]
            return FoundMention(
                label, entity.key, entity.name, text, start, end, "profile", entity.country
            )
        if label in ("GPE", "LOC"):
            code = country_code(text)
            if code:
                return FoundMention(
                    "GPE", code.lower(), country_name(code), text, start, end, "model", code
                )
        key = entity_key(label, text)
        if not key:
            return None
        alias = self.resources.alias_keys.get((label, key))
        if alias:
            entity = known[(label, alias)]
            return FoundMention(
                label, alias, entity.name, text, start, end, "model", entity.country
            )
        if label == "ORG" and is_currency_code(text):
            return None  # "EUR", "USD"; a known organisation's short name ("ARS") is above
        return FoundMention(label, key, text.strip(), text, start, end, "model")

    def _in_context(
        self, context: TermContext, text: str, mentions: list[FoundMention]
    ) -> list[FoundMention]:
        """The mentions after the term-context model has judged each place a term the
        corpus marks is written: some dropped, some added."""
        drop, add = context.judge(text, [(m.start, m.end, m.label) for m in mentions])
        kept = [m for m in mentions if (m.start, m.end, m.label) not in drop]
        made = (self._made(label, text[s:e], s, e) for s, e, label in add)
        added = [replace(m, origin="context") for m in made if m]
        return sorted(kept + added, key=lambda m: (m.start, m.end))

    def extract(self, doc: Doc, names: Sequence[str] = ()) -> Piece:
        """What enrichment keeps of one processed text (or chunk), offsets within it;
        `names` are the organisations the record itself lists."""
        mentions = []
        for ent in doc.ents:
            if ent.label_ == "MONEY":  # amounts come from the money reader, with their currency
                continue
            found = self.mention(ent.label_, ent.id_, ent.text, ent.start_char, ent.end_char)
            if found:
                mentions.append(found)
        text = doc.text  # built anew from the tokens at every read
        amounts = find_amounts(text)
        if amounts:
            mentions = [
                m for m in mentions if not any(m.start < a.end and a.start < m.end for a in amounts)
            ]
        for amount in amounts:
            value = f"{amount.currency} {amount.value.normalize():f}"
            if amount.unit:
                value += f"/{amount.unit.lower()}"
            mentions.append(
                FoundMention(
                    "MONEY",
                    value,
                    value,
                    amount.text,
                    amount.start,
                    amount.end,
                    "rules",
                    currency=amount.currency,
                    value=amount.value,
                    unit=amount.unit or None,
                )
            )
        ceded = [
            found
            for span in doc.spans.get(CEDED, [])
            if not _inside_name(text, span.start_char, span.end_char)
            and (
                found := self.mention(
                    span.label_, span.id_, span.text, span.start_char, span.end_char
                )
            )
        ]
        mentions = self.refine(text, mentions, names, ceded)
        if self.resources.context is not None:
            mentions = self._in_context(self.resources.context, text, mentions)
        return Piece(
            len(doc),
            mentions,
            doc._.topic_terms or {},
            [Cue(*cue) for cue in doc._.signal_cues or []],
            doc._.text_hash,
            doc._.minhash,
        )


_NAME_BEFORE = re.compile(r"[A-Z][\w'’&-]*[ \t]+$")
_NAME_AFTER = re.compile(r"[ \t]+(?:of[ \t]+)?[A-Z0-9]")
HEADLINE_CHARS = 200
_LINE_WORD = re.compile(r"[A-Za-z][\w'’-]*")


def _inside_name(text: str, start: int, end: int) -> bool:
    """A short name inside a longer one the text writes ("ARS Southern Regional Research
    Center", "National Sea Grant College Program", "NSF 22-554"); in a headline, where
    every word is capitalised, only a name before it counts."""
    if _NAME_BEFORE.search(text, max(0, start - 40), start):
        return True
    if not _NAME_AFTER.match(text, end):
        return False
    line_start, line_end = line_bounds(text, start, end)
    if line_end - line_start > HEADLINE_CHARS:
        return True  # a paragraph, not a headline
    words = _LINE_WORD.findall(text[line_start:line_end])
    capitalised = sum(w[0].isupper() for w in words)
    return capitalised < 0.6 * len(words)


@dataclass
class Piece:
    """Extraction result of one chunk: small and picklable, unlike a Doc."""

    tokens: int
    mentions: list[FoundMention]
    term_counts: dict[str, int]
    cues: list[Cue]
    text_hash: str | None
    minhash: bytes | None

    def add_to(self, into: Analysis, offset: int) -> None:
        into.tokens += self.tokens
        if offset == 0:  # a long text is fingerprinted by its first chunk
            into.text_hash, into.minhash = self.text_hash, self.minhash
        into.mentions.extend(
            replace(m, start=m.start + offset, end=m.end + offset) for m in self.mentions
        )
        for term, n in self.term_counts.items():
            into.term_counts[term] = into.term_counts.get(term, 0) + n
        into.cues.extend(replace(c, start=c.start + offset, end=c.end + offset) for c in self.cues)


# chunk text, (record index, offset, last chunk?, the record's organisation names)
Unit = tuple[str, tuple[int, int, bool, tuple[str, ...]]]
Result = tuple[tuple[int, int, bool, tuple[str, ...]], Piece]
# The pipeline and extractor of a parallel run, inherited by forked workers.
_WORKER: tuple[Language, Extractor, int] | None = None


def _work(units: list[Unit]) -> list[Result]:
    assert _WORKER is not None
    nlp, extractor, batch_size = _WORKER
    return [
        (key, extractor.extract(doc, key[3]))
        for doc, key in nlp.pipe(units, as_tuples=True, batch_size=batch_size)
    ]


def batches(units: Iterator[Unit], size: int, max_chars: int = BATCH_CHARS) -> Iterator[list[Unit]]:
    """Batches of at most `size` texts and `max_chars` characters: the recognisers' memory
    grows with the tokens of a batch, and one huge text's chunks would fill a whole batch."""
    batch: list[Unit] = []
    chars = 0
    for unit in units:
        if batch and (len(batch) >= size or chars + len(unit[0]) > max_chars):
            yield batch
            batch, chars = [], 0
        batch.append(unit)
        chars += len(unit[0])
    if batch:
        yield batch


def _serial(
    nlp: Language, extractor: Extractor, units: Iterator[Unit], batch_size: int
) -> Iterator[Result]:
    for batch in batches(units, batch_size):
        for doc, key in nlp.pipe(batch, as_tuples=True, batch_size=len(batch)):
            yield key, extractor.extract(doc, key[3])


def _parallel(
    nlp: Language, extractor: Extractor, units: Iterator[Unit], batch_size: int, n_process: int
) -> Iterator[Result]:
    """Batches run in forked workers that send back extracted pieces, not Docs: shipping
    Docs (and their extension data) back would make the parent the bottleneck. At most
    four tasks per worker are in flight, and input is read in the caller's thread."""
    global _WORKER
    # Tasks smaller than a batch keep both workers busy to the end of the input.
    task_size = max(16, batch_size // 4)
    _WORKER = (nlp, extractor, task_size)
    try:
        with multiprocessing.get_context("fork").Pool(n_process) as pool:
            _WORKER = None
            in_flight: deque[AsyncResult[list[Result]]] = deque()
            for batch in batches(units, task_size):
                in_flight.append(pool.apply_async(_work, (batch,)))
                if len(in_flight) >= 4 * n_process:
                    yield from in_flight.popleft().get()
            while in_flight:
                yield from in_flight.popleft().get()
    finally:
        _WORKER = None


def analyse(
    nlp: Language,
    resources: Resources,
    records: Iterable[tuple[str, C]],
    batch_size: int = 256,
    n_process: int = 1,
    chunk_chars: int | None = None,
    names: Callable[[C], Sequence[str]] | None = None,
) -> Iterator[Analysis[C]]:
    """Analyses in input order, one per (text, context) record; `n_process` > 1 runs the
    pipeline (`nlp.pipe` with `as_tuples`) in that many worker processes. `names` gives
    the organisations a record lists itself (participants, applicants, acronym)."""
    limit = min(chunk_chars or DEFAULT_CHUNK_CHARS, nlp.max_length - 1)
    extractor = Extractor(resources)
    pending: list[Analysis[C]] = []

    def units() -> Iterator[Unit]:
        for index, (text, context) in enumerate(records):
            if len(text) > MAX_TEXT_CHARS:
                log.warning(
                    "text %d of this run has %d characters; only the first %d are analysed",
                    index + 1, len(text), MAX_TEXT_CHARS,
                )  # fmt: skip
                text = text[:MAX_TEXT_CHARS]
            text = text.translate(_PLAIN_SPACES)
            pending.append(Analysis(context=context, text=text))
            known = tuple(names(context)) if names is not None else ()
            pieces = split_text(text, limit)
            for number, (offset, chunk) in enumerate(pieces):
                yield chunk, (index, offset, number == len(pieces) - 1, known)

    if n_process > 1 and "fork" in multiprocessing.get_all_start_methods():
        results = _parallel(nlp, extractor, units(), batch_size, n_process)
    else:
        results = _serial(nlp, extractor, units(), batch_size)
    done = 0
    for (index, offset, last, _), piece in results:
        piece.add_to(pending[index - done], offset)
        if last:
            yield pending[index - done]
            # Earlier analyses are complete: drop them so memory stays flat.
            del pending[: index - done + 1]
            done = index + 1
