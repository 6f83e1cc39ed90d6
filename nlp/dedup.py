"""Exact and near-duplicate detection across sources and kinds, and the canonical copy.

Two documents are twins when they share an identifier (DOI, PMID, PMCID), a canonical URL,
the same normalised text, the same title with the same first author, or MinHash signatures
of word 3-gram shingles whose estimated Jaccard similarity reaches the threshold (candidates
from LSH). Patents are twins only as members of one family: the same DOCDB family, or (when
a side has no family id) a shared priority claim; their text is never compared.

A duplicate group is a connected component of the twin relation, so it does not depend on
the order documents arrive in. Its canonical copy is the most complete member, then the one
from the preferred source (SOURCE_PRIORITY), then the preferred patent office
(OFFICE_PREFERENCE), then the smallest (source, external_id): never load order or row id.
The canonical copy carries the union of the group's identifiers. Duplicates are linked,
never deleted.
"""

from __future__ import annotations

import hashlib
import logging
import re
import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH
from spacy.language import Language
from spacy.tokens import Doc

from scintel.nlp.normalise import fold

log = logging.getLogger(__name__)

NUM_PERM = 64
SHINGLE_WORDS = 3
MIN_TEXT_CHARS = 80  # shorter texts (bare titles) are too generic to call duplicates
TITLE_KEY_MIN_WORDS = 5  # a title this long with the same first author names one paper
TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|source|cmpid)$", re.I)
_WORD = re.compile(r"[0-9a-z]+")
_DIGITS = re.compile(r"\d")
_CHECK_DIGIT = re.compile(r"\.[0-9A-Z]$")  # EP 21198923.1, CN 202010814877.X
PRIORITY_DIGITS = 6  # the serial's last digits: offices agree on them, not on prefixes

# Which copy of a group wins a tie in completeness: the first prefix of "source:external_id"
# that matches (Europe PMC's MEDLINE record before its PMC and preprint twins); unknown
# sources come after every listed one. The one place this order is written.
SOURCE_PRIORITY = (
    "europepmc:MED:",
    "europepmc:PMC:",
    "europepmc:",
    "openalex:",
    "arxiv:",
    "biorxiv:",
    "epo_ops:",
    "uspto:",
    "cordis:",
    "eu_funding:",
    "grants_gov:",
    "news:",
)
# Among patent family members equally complete: the EP publication, then WO, then US.
OFFICE_PREFERENCE = ("EP", "WO", "US")
# Fields whose presence makes a copy more complete, per kind (one bit each, in this order).
COMPLETENESS_FIELDS = {
    "publication": (
        "summary", "doi", "pmid", "pmcid", "grants", "authors", "journal", "published",
    ),
    "patent": (
        "summary", "applicants", "inventors", "cpc", "priority_date", "family_id",
        "priority_claims", "published",
    ),
}  # fmt: skip
DEFAULT_FIELDS = ("summary", "published", "url", "language")
IDENTIFIERS = ("doi", "pmid", "pmcid")


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def text_hash(text: str | list[str]) -> str | None:
    """Hash of the text's words, or None when the text is too short to compare."""
    normalised = " ".join(words(text) if isinstance(text, str) else text)
    if len(normalised) < MIN_TEXT_CHARS:
        return None
    return hashlib.sha256(normalised.encode()).hexdigest()


def url_key(url: str | None) -> str | None:
    """A URL without scheme, 'www.', fragment, tracking parameters or trailing slash."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if not parts.netloc:
        return None
    host = parts.netloc.lower().removeprefix("www.")
    query = sorted((k, v) for k, v in parse_qsl(parts.query) if not TRACKING_PARAMS.match(k))
    path = parts.path.rstrip("/") or ""
    key = host + path + (f"?{urlencode(query)}" if query else "")
    return key[:512]


def normalise_doi(doi: str | None) -> str | None:
    if not doi:
        return None
    value = doi.strip().lower()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        value = value.removeprefix(prefix)
    return value or None


def normalise_pmid(pmid: str | None) -> str | None:
    value = (pmid or "").strip()
    return value if value.isdigit() else None


def normalise_pmcid(pmcid: str | None) -> str | None:
    value = (pmcid or "").strip().upper().removeprefix("PMC")
    return f"PMC{value}" if value.isdigit() else None


NORMALISERS = {"doi": normalise_doi, "pmid": normalise_pmid, "pmcid": normalise_pmcid}


def surname(name: str) -> str | None:
    """The family name of an author as sources write it: 'Tian K', 'Tian, Kai', 'Kai Tian'."""
    if "," in name:
        return " ".join(words(name.split(",", 1)[0])) or None
    parts = name.split()
    if len(parts) > 1 and len(parts[-1]) <= 3 and parts[-1].isupper():  # trailing initials
        parts = parts[:-1]
    elif len(parts) > 1:
        parts = parts[-1:]
    return " ".join(words(" ".join(parts))) or None


def title_key(title: str, authors: Iterable[str]) -> str | None:
    """Hash of a title with its first author's surname, for titles long enough to be
    specific: MEDLINE and PMC records of one paper share it whatever their abstracts."""
    title_words = words(title)
    first = next(iter(authors), None)
    family = surname(first) if first else None
    if len(title_words) < TITLE_KEY_MIN_WORDS or not family:
        return None
    return hashlib.sha256(f"{' '.join(title_words)}|{family}".encode()).hexdigest()


def completeness(kind: str, present: Iterable[str]) -> int:
    """A bit per COMPLETENESS_FIELDS entry of the kind that the copy has."""
    names = COMPLETENESS_FIELDS.get(kind, DEFAULT_FIELDS)
    have = set(present)
    return sum(1 << i for i, name in enumerate(names) if name in have)


@dataclass(frozen=True)
class Priority:
    """A filing a patent claims (or is): the day and the serial's last digits, which the
    EPO's epodoc numbers and national numbers agree on, and the office when known."""

    day: date
    digits: str
    office: str | None = None

    @property
    def key(self) -> str:
        return f"{self.day.isoformat()}/{self.digits}"

    def matches(self, other: Priority) -> bool:
        return self.key == other.key and (
            self.office is None or other.office is None or self.office == other.office
        )

    @classmethod
    def from_key(cls, key: str, office: str | None) -> Priority:
        day, digits = key.split("/")
        return cls(date.fromisoformat(day), digits, office or None)


def priority(number: str | None, day: date | None, office: str | None = None) -> Priority | None:
    """The Priority of an application number and filing day, or None if either is missing."""
    value = _CHECK_DIGIT.sub("", (number or "").strip().upper())
    digits = "".join(_DIGITS.findall(value))
    if day is None or len(digits) < 4:
        return None
    return Priority(day, digits[-PRIORITY_DIGITS:].zfill(PRIORITY_DIGITS), office or None)


class Signer:
    """MinHash signatures with permutations generated once, not per document."""

    def __init__(self, num_perm: int = NUM_PERM, shingle_words: int = SHINGLE_WORDS) -> None:
        self.num_perm = num_perm
        self.k = shingle_words
        template = MinHash(num_perm=num_perm, seed=1)
        self.permutations = template.permutations
        self.scheme = template.scheme
        self.dtype = template.hashvalues.dtype

    def shingle_hashes(self, text: str | list[str]) -> list[int]:
        """32-bit hashes of the distinct word k-grams: each word hashed once (crc32), the
        k-gram hash combined in numpy, so no Python-level hashing per shingle."""
        tokens = words(text) if isinstance(text, str) else text
        if not tokens:
            return []
        hashes = np.fromiter(
            (zlib.crc32(w.encode()) for w in tokens), dtype=np.uint64, count=len(tokens)
        )
        if len(tokens) < self.k:
            return [int(np.bitwise_xor.reduce(hashes))]
        combined = np.zeros(len(tokens) - self.k + 1, dtype=np.uint64)
        for offset in range(self.k):
            part = hashes[offset : len(tokens) - self.k + 1 + offset]
            combined = combined * np.uint64(0x01000193) ^ part
        return np.unique(combined & np.uint64(0xFFFFFFFF)).tolist()

    def sign(self, text: str | list[str]) -> bytes | None:
        hashes = self.shingle_hashes(text)
        if not hashes:
            return None
        minhash = MinHash(
            num_perm=self.num_perm,
            seed=1,
            hashfunc=int,
            permutations=self.permutations,
            scheme=self.scheme,
        )
        minhash.update_batch(hashes)
        return minhash.hashvalues.tobytes()

    def lean(self, signature: bytes) -> LeanMinHash:
        values = np.frombuffer(signature, dtype=self.dtype)
        return LeanMinHash(seed=1, hashvalues=values, scheme=self.scheme)


@Language.factory(
    "scintel_fingerprint",
    default_config={"num_perm": NUM_PERM, "shingle_words": SHINGLE_WORDS},
)
def make_fingerprint(nlp: Language, name: str, num_perm: int, shingle_words: int) -> Fingerprint:
    """Text hash and MinHash signature inside the pipeline (so n_process shares the cost)."""
    return Fingerprint(Signer(num_perm, shingle_words))


class Fingerprint:
    def __init__(self, signer: Signer) -> None:
        for name in ("text_hash", "minhash"):
            if not Doc.has_extension(name):
                Doc.set_extension(name, default=None)
        self.signer = signer

    def __call__(self, doc: Doc) -> Doc:
        tokens = words(doc.text)
        doc._.text_hash = text_hash(tokens)
        doc._.minhash = self.signer.sign(tokens) if doc._.text_hash else None
        return doc


@dataclass(frozen=True)
class DocPrint:
    """What dedup knows of one document: its own identifiers (never ones filled in from a
    twin), its fingerprints, how complete it is, and for patents its family."""

    document_id: int
    doi: str | None
    url_key: str | None
    text_hash: str | None
    minhash: bytes | None
    key: str = ""  # "source:external_id", the stable tie-break
    kind: str = ""
    pmid: str | None = None
    pmcid: str | None = None
    title_key: str | None = None
    completeness: int = 0
    publication_number: str | None = None
    family_id: str | None = None
    priorities: tuple[Priority, ...] = ()

    @property
    def is_patent(self) -> bool:
        return self.kind == "patent"

    def identifiers(self) -> dict[str, str | None]:
        return {"doi": self.doi, "pmid": self.pmid, "pmcid": self.pmcid}

    def exact_keys(self) -> Iterator[tuple[str, str]]:
        """(method, value) keys under which a twin is found without comparing texts."""
        if self.is_patent:
            yield from (
                (m, v)
                for m, v in (("publication_number", self.publication_number),
                             ("family", self.family_id))
                if v
            )  # fmt: skip
            yield from (("priority", p.key) for p in self.priorities)
            return
        for method, value in (
            ("doi", self.doi),
            ("pmid", self.pmid),
            ("pmcid", self.pmcid),
            ("url", self.url_key),
            ("text_hash", self.text_hash),
            ("title_author", self.title_key),
        ):
            if value:
                yield method, value


def rank(doc: DocPrint) -> tuple[Any, ...]:
    """Sort key of a group's members, best first: completeness, source, office, stable key."""
    source = next(
        (i for i, prefix in enumerate(SOURCE_PRIORITY) if doc.key.startswith(prefix)),
        len(SOURCE_PRIORITY),
    )
    number = doc.publication_number or ""
    office = next(
        (i for i, code in enumerate(OFFICE_PREFERENCE) if number.startswith(code)),
        len(OFFICE_PREFERENCE),
    )
    return (-doc.completeness.bit_count(), source, office, doc.key, doc.document_id)


@dataclass(frozen=True)
class Duplicate:
    canonical_id: int
    method: str
    confidence: float
    evidence: dict[str, Any]


@dataclass(frozen=True)
class Twin:
    """Why two documents are twins (a symmetric relation)."""

    method: str
    confidence: float
    evidence: dict[str, Any]


EXACT_CONFIDENCE = {"title_author": 0.95}  # every other exact key is certain


def twin(a: DocPrint, b: DocPrint, threshold: float, jaccard: float | None) -> Twin | None:
    """Why a and b are twins, or None. `jaccard` is their MinHash estimate when LSH found
    them as candidates. Patents pair only with patents, by publication number or family."""
    if a.is_patent or b.is_patent:
        return _family_twin(a, b) if a.is_patent and b.is_patent else None
    theirs = dict(b.exact_keys())
    for method, value in a.exact_keys():
        if theirs.get(method) == value:
            if method == "title_author" and _conflicting_ids(a, b):
                continue  # two records with different identifiers are two papers
            return Twin(method, EXACT_CONFIDENCE.get(method, 1.0), {method: value})
    if jaccard is not None and jaccard >= threshold:
        return Twin("minhash", round(jaccard, 4), {"jaccard_estimate": round(jaccard, 4)})
    return None


def _conflicting_ids(a: DocPrint, b: DocPrint) -> bool:
    ids_a, ids_b = a.identifiers(), b.identifiers()
    return any(ids_a[k] and ids_b[k] and ids_a[k] != ids_b[k] for k in IDENTIFIERS)


def _family_twin(a: DocPrint, b: DocPrint) -> Twin | None:
    if a.publication_number and a.publication_number == b.publication_number:
        return Twin("publication_number", 1.0, {"publication_number": a.publication_number})
    if a.family_id and b.family_id:  # the EPO's DOCDB family decides when both have one
        if a.family_id == b.family_id:
            return Twin("family", 1.0, {"family_id": a.family_id})
        return None
    shared = sorted(
        f"{p.key}/{p.office or q.office or ''}"
        for p in a.priorities
        for q in b.priorities
        if p.matches(q)
    )
    if shared:
        return Twin("priority", 1.0, {"priority": shared[0]})
    return None


@dataclass(frozen=True)
class Link:
    """A duplicate's link to its group's canonical copy: the twin relation to the member it
    joined the group through (`via`, when that is not the canonical copy itself)."""

    method: str
    confidence: float
    evidence: dict[str, Any]


@dataclass
class Group:
    """A duplicate group as it should be stored."""

    canonical_id: int
    links: dict[int, Link]  # duplicate -> its link to the canonical copy
    identifiers: dict[str, str | None]  # the canonical copy's: its own, else a twin's
    filled: dict[str, str] = field(default_factory=dict)  # those taken from a twin
    conflicts: list[str] = field(default_factory=list)

    @property
    def members(self) -> list[int]:
        return [self.canonical_id, *self.links]


class DuplicateIndex:
    """Every document dedup knows, searchable by exact keys and by MinHash LSH, with the
    group each belongs to (as stored: document -> its canonical copy, or None)."""

    def __init__(self, threshold: float, signer: Signer) -> None:
        self.threshold = threshold
        self.signer = signer
        self.lsh = MinHashLSH(threshold=threshold, num_perm=signer.num_perm)
        self.prints: dict[int, DocPrint] = {}
        self.exact: dict[tuple[str, str], set[int]] = {}
        self.signatures: dict[int, LeanMinHash] = {}
        self.canonical: dict[int, int | None] = {}
        self.members: dict[int, set[int]] = {}

    def __len__(self) -> int:
        return len(self.prints)

    def __contains__(self, document_id: int) -> bool:
        return document_id in self.prints

    def load(self, doc: DocPrint, canonical_id: int | None) -> None:
        """A document as the warehouse holds it, with its stored group."""
        self.put(doc)
        self._assign(doc.document_id, canonical_id)

    def put(self, doc: DocPrint) -> set[int]:
        """Add or replace a document's print; returns the documents whose group may change
        (it and the members of the group it was in)."""
        old = self.prints.get(doc.document_id)
        if old is not None:
            self._unindex(old)
        self.prints[doc.document_id] = doc
        for key in doc.exact_keys():
            self.exact.setdefault(key, set()).add(doc.document_id)
        if doc.minhash and not doc.is_patent:
            lean = self.signer.lean(doc.minhash)
            self.signatures[doc.document_id] = lean
            self.lsh.insert(doc.document_id, lean)
        self.canonical.setdefault(doc.document_id, None)
        return {doc.document_id, *self.group_of(doc.document_id)}

    def add(self, doc: DocPrint) -> None:
        self.put(doc)

    def _unindex(self, doc: DocPrint) -> None:
        for key in doc.exact_keys():
            self.exact.get(key, set()).discard(doc.document_id)
        if self.signatures.pop(doc.document_id, None) is not None:
            self.lsh.remove(doc.document_id)

    def group_of(self, document_id: int) -> set[int]:
        """The stored group of a document: its canonical copy and every duplicate of it."""
        head = self.canonical.get(document_id) or document_id
        return {head, *self.members.get(head, set())}

    def _assign(self, document_id: int, canonical_id: int | None) -> None:
        before = self.canonical.get(document_id)
        if before is not None:
            self.members.get(before, set()).discard(document_id)
        self.canonical[document_id] = canonical_id
        if canonical_id is not None:
            self.members.setdefault(canonical_id, set()).add(document_id)

    def twins(self, doc: DocPrint) -> dict[int, Twin]:
        """Every indexed document that is a twin of `doc` (never itself)."""
        candidates: dict[int, float | None] = {}
        for key in doc.exact_keys():
            candidates.update(dict.fromkeys(self.exact.get(key, ()), None))
        if doc.minhash and not doc.is_patent:
            lean = self.signer.lean(doc.minhash)
            for other in self.lsh.query(lean):
                candidates[other] = lean.jaccard(self.signatures[other])
        candidates.pop(doc.document_id, None)
        found = {}
        for other, jaccard in candidates.items():
            relation = twin(doc, self.prints[other], self.threshold, jaccard)
            if relation is not None:
                found[other] = relation
        return found

    def find(self, doc: DocPrint) -> Duplicate | None:
        """The canonical copy of the strongest twin of `doc`, if it has one."""
        found = self.twins(doc)
        if not found:
            return None
        best = min(found, key=lambda o: (-found[o].confidence, rank(self.prints[o])))
        relation = found[best]
        head = self.canonical.get(best) or best
        return Duplicate(head, relation.method, relation.confidence, relation.evidence)

    def resolve(self, seeds: Iterable[int]) -> list[Group]:
        """The groups (connected components of the twin relation) holding the seeds, each
        with its canonical copy, links and identifiers; singletons are groups too."""
        groups: list[Group] = []
        seen: set[int] = set()
        cache: dict[int, dict[int, Twin]] = {}

        def edges(node: int) -> dict[int, Twin]:
            if node not in cache:
                cache[node] = self.twins(self.prints[node])
            return cache[node]

        for seed in sorted(s for s in seeds if s in self.prints):
            if seed in seen:
                continue
            component, queue = {seed}, deque([seed])
            while queue:
                for other in edges(queue.popleft()):
                    if other not in component:
                        component.add(other)
                        queue.append(other)
            seen |= component
            groups.append(self._group(component, edges))
        return groups

    def _group(self, component: set[int], edges: Any) -> Group:
        order = sorted(component, key=lambda d: rank(self.prints[d]))
        head = order[0]
        links: dict[int, Link] = {}
        strength = {head: 1.0}
        queue = deque([head])
        while queue:  # breadth first from the canonical copy, neighbours best first
            node = queue.popleft()
            for other in sorted(edges(node), key=lambda d: rank(self.prints[d])):
                if other in strength:
                    continue
                relation = edges(node)[other]
                strength[other] = min(strength[node], relation.confidence)
                via = {} if node == head else {"via": self.prints[node].key}
                links[other] = Link(
                    relation.method, round(strength[other], 4), relation.evidence | via
                )
                queue.append(other)
        return self._identifiers(Group(head, links, {}), order)

    def _identifiers(self, group: Group, order: list[int]) -> Group:
        """The canonical copy's identifiers: its own, else the best-ranked twin's; a twin's
        different value is a conflict, logged and never written over the canonical's."""
        head = self.prints[group.canonical_id]
        for name in IDENTIFIERS:
            value = head.identifiers()[name]
            for member in order[1:]:
                theirs = self.prints[member].identifiers()[name]
                if not theirs:
                    continue
                if value is None:
                    value = theirs
                    group.filled[name] = theirs
                elif theirs != value:
                    group.conflicts.append(
                        f"{name}: {head.key} keeps {value}, "
                        f"twin {self.prints[member].key} has {theirs}"
                    )
            group.identifiers[name] = value
        for conflict in group.conflicts:
            log.info("dedup: identifier conflict in a duplicate group, %s", conflict)
        return group

    def settle(self, groups: Iterable[Group]) -> None:
        """Record groups as stored (after the caller wrote them)."""
        for group in groups:
            self._assign(group.canonical_id, None)
            for member in group.links:
                self._assign(member, group.canonical_id)
