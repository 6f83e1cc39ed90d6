"""The monitored projects and the texts the impact rules compare, read from the warehouse."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sqlalchemy import select
from sqlalchemy.orm import Session

from scintel.storage import models as m

# Words of three or more letters: numbers, grant ids and codes are not topics.
TOKEN_PATTERN = r"(?u)\b[^\W\d_]{3,}\b"
PARTICIPANT_ROLES = ("coordinator", "participant")


def in_programmes(code: str | None, programmes: Sequence[str]) -> bool:
    """Whether a CORDIS legal-basis field (possibly a ';' list) falls under one of the codes."""
    if not code:
        return False
    for part in code.split(";"):
        part = part.strip().rstrip(".")
        for prefix in programmes:
            prefix = prefix.rstrip(".")
            if part == prefix or part.startswith(prefix + "."):
                return True
    return False


@dataclass
class ProjectRecord:
    document_id: int
    project_id: str
    acronym: str | None
    title: str
    summary: str | None
    url: str | None
    programme_code: str | None
    start_date: date | None
    end_date: date | None
    coordinator: str | None
    # (name, country, role, CORDIS PIC) in CORDIS order
    participants: list[tuple[str, str | None, str | None, str | None]] = field(default_factory=list)
    topics: dict[str, float] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return " ".join(filter(None, [self.title, self.summary]))

    def organisation_names(self) -> list[tuple[str, str | None, str]]:
        """(name, country, role) of everyone in the consortium, the coordinator included."""
        return [(n, c, r) for n, c, r, _ in self.organisation_refs()]

    def organisation_refs(self) -> list[tuple[str, str | None, str, str | None]]:
        """(name, country, role, PIC) of everyone in the consortium, the coordinator included
        (a coordinator known only by name has no country and no PIC)."""
        refs = [(n, c, (r or "participant").lower(), pic) for n, c, r, pic in self.participants]
        if self.coordinator and not any(r == "coordinator" for _, _, r, _ in refs):
            refs.append((self.coordinator, None, "coordinator", None))
        return [(n, c, r if r in PARTICIPANT_ROLES else "participant", p) for n, c, r, p in refs]


def document_topics(session: Session, ids: Iterable[int]) -> dict[int, dict[str, float]]:
    """Topic scores per document (topic key -> score), as the NLP step stored them."""
    wanted = list(ids)
    found: dict[int, dict[str, float]] = defaultdict(dict)
    for start in range(0, len(wanted), 900):
        rows = session.execute(
            select(m.DocumentTopic.document_id, m.Topic.key, m.DocumentTopic.score)
            .join(m.Topic, m.Topic.id == m.DocumentTopic.topic_id)
            .where(m.DocumentTopic.document_id.in_(wanted[start : start + 900]))
        )
        for doc_id, key, score in rows:
            found[doc_id][key] = float(score)
    return found


def load_projects(session: Session, programmes: Sequence[str] | None) -> list[ProjectRecord]:
    """Projects (all, or those under the programmes) ordered by project id, with participants."""
    rows = session.execute(
        select(
            m.Project.document_id,
            m.Project.project_id,
            m.Project.acronym,
            m.Document.title,
            m.Document.summary,
            m.Document.url,
            m.Project.programme_code,
            m.Project.start_date,
            m.Project.end_date,
            m.Project.coordinator,
        )
        .join(m.Document, m.Document.id == m.Project.document_id)
        .where(m.Document.canonical_id.is_(None))
        .order_by(m.Project.project_id, m.Project.document_id)
    )
    projects = [ProjectRecord(*row) for row in rows]
    if programmes is not None:
        projects = [p for p in projects if in_programmes(p.programme_code, programmes)]
    by_doc = {p.document_id: p for p in projects}
    ids = list(by_doc)
    for start in range(0, len(ids), 900):
        parts = session.execute(
            select(
                m.ProjectParticipant.document_id,
                m.ProjectParticipant.name,
                m.ProjectParticipant.country,
                m.ProjectParticipant.role,
                m.ProjectParticipant.pic,
            )
            .where(m.ProjectParticipant.document_id.in_(ids[start : start + 900]))
            .order_by(m.ProjectParticipant.id)
        )
        for doc_id, name, country, role, pic in parts:
            by_doc[doc_id].participants.append((name, country, role, pic))
    for doc_id, topics in document_topics(session, ids).items():
        by_doc[doc_id].topics = topics
    return projects


class TextModel:
    """TF-IDF fitted on the project texts; compares other documents with projects."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.vectorizer = TfidfVectorizer(
            stop_words="english",
            sublinear_tf=True,
            ngram_range=(1, 2),
            token_pattern=TOKEN_PATTERN,
            strip_accents="unicode",
        )
        self.matrix: csr_matrix = self.vectorizer.fit_transform([t or "" for t in texts])
        self.terms = self.vectorizer.get_feature_names_out()

    def transform(self, texts: Sequence[str]) -> csr_matrix:
        return self.vectorizer.transform([t or "" for t in texts])

    def vector(self, text: str) -> csr_matrix:
        return self.transform([text])

    def similarity(self, vector: csr_matrix, rows: Sequence[int]) -> list[float]:
        """Cosine similarity of one document vector with some of the fitted projects."""
        if not rows:
            return []
        sims = (self.matrix[list(rows)] @ vector.T).toarray().ravel()
        return [float(s) for s in sims]

    def shared_terms(self, vector: csr_matrix, row: int, limit: int = 5) -> list[str]:
        """The strongest terms a document shares with one project: the 'why' of a match."""
        weights = self.matrix[row].multiply(vector).toarray().ravel()
        return self.top_terms(weights, limit)

    def top_terms(self, weights: np.ndarray, limit: int) -> list[str]:
        """The heaviest terms, skipping one whose words another chosen term already covers
        ("chiral" after "chiral amines" adds nothing, nor does the reverse)."""
        chosen: list[str] = []
        for index in np.lexsort((self.terms, -weights)):
            if weights[index] <= 0 or len(chosen) >= limit:
                break
            term = str(self.terms[index])
            words = set(term.split())
            if any(words <= set(c.split()) or set(c.split()) <= words for c in chosen):
                continue
            chosen.append(term)
        return chosen


def snippet(text: str, start: int, end: int, width: int = 70) -> str:
    """The words around a match, for the evidence of a link."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    prefix = "…" if left else ""
    suffix = "…" if right < len(text) else ""
    return prefix + " ".join(text[left:right].split()) + suffix
