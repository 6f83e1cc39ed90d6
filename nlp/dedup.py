"""Exact and near-duplicate detection across sources and kinds.

Exact: the same DOI, the same canonical URL, or the same normalised text. Near: MinHash
signatures of word 3-gram shingles, candidates from LSH, kept when the estimated
Jaccard similarity reaches the threshold. Duplicates are linked, never deleted.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH
from spacy.language import Language
from spacy.tokens import Doc

from scintel.nlp.normalise import fold

NUM_PERM = 64
SHINGLE_WORDS = 3
MIN_TEXT_CHARS = 80  # shorter texts (bare titles) are too generic to call duplicates
TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|source|cmpid)$", re.I)
_WORD = re.compile(r"[0-9a-z]+")


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
    """What dedup knows of one document."""

    document_id: int
    doi: str | None
    url_key: str | None
    text_hash: str | None
    minhash: bytes | None


@dataclass(frozen=True)
class Duplicate:
    canonical_id: int
    method: str
    confidence: float
    evidence: dict[str, Any]


class DuplicateIndex:
    """Canonical documents seen so far, searchable by exact keys and by MinHash LSH."""

    def __init__(self, threshold: float, signer: Signer) -> None:
        self.threshold = threshold
        self.signer = signer
        self.lsh = MinHashLSH(threshold=threshold, num_perm=signer.num_perm)
        self.by_doi: dict[str, int] = {}
        self.by_url: dict[str, int] = {}
        self.by_text: dict[str, int] = {}
        self.signatures: dict[int, LeanMinHash] = {}

    def __len__(self) -> int:
        return len(self.signatures) + len(self.by_text)

    def add(self, doc: DocPrint) -> None:
        if doc.doi:
            self.by_doi.setdefault(doc.doi, doc.document_id)
        if doc.url_key:
            self.by_url.setdefault(doc.url_key, doc.document_id)
        if doc.text_hash:
            self.by_text.setdefault(doc.text_hash, doc.document_id)
        if doc.minhash and doc.document_id not in self.signatures:
            lean = self.signer.lean(doc.minhash)
            self.signatures[doc.document_id] = lean
            self.lsh.insert(doc.document_id, lean)

    def find(self, doc: DocPrint) -> Duplicate | None:
        """The canonical document this one duplicates, if any (never itself)."""
        for method, table, value in (
            ("doi", self.by_doi, doc.doi),
            ("url", self.by_url, doc.url_key),
            ("text_hash", self.by_text, doc.text_hash),
        ):
            found = table.get(value) if value else None
            if found is not None and found != doc.document_id:
                return Duplicate(found, method, 1.0, {method: value})
        if not doc.minhash:
            return None
        lean = self.signer.lean(doc.minhash)
        best: tuple[float, int] | None = None
        for candidate in self.lsh.query(lean):
            if candidate == doc.document_id:
                continue
            similarity = lean.jaccard(self.signatures[candidate])
            if similarity >= self.threshold and (best is None or similarity > best[0]):
                best = (similarity, candidate)
        if best is None:
            return None
        return Duplicate(
            best[1], "minhash", round(best[0], 4), {"jaccard_estimate": round(best[0], 4)}
        )
