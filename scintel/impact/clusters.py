"""Clusters of monitored projects by topic similarity (TF-IDF) and shared participants.

Deterministic by construction: projects are ordered by project id, average-linkage
agglomerative clustering has no random state, ties are broken by name, and clusters
are numbered by their first project id, so the same warehouse gives the same clusters.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.cluster import AgglomerativeClustering
from sklearn.preprocessing import normalize
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from scintel.impact.corpus import ProjectRecord, TextModel
from scintel.impact.curation import Curation
from scintel.profile import ClusterSpec
from scintel.storage import models as m

log = logging.getLogger(__name__)

METHOD = "tfidf+participants"


@dataclass
class ClusterResult:
    number: int
    members: list[int]  # indexes into the project list
    scores: list[float]
    top_terms: list[str]
    topics: list[str]
    label: str
    centroid: np.ndarray = field(repr=False)


def similarity(
    model: TextModel, keys: list[frozenset[str]], participant_weight: float
) -> np.ndarray:
    """Text cosine blended with the Jaccard overlap of the consortia."""
    text = (model.matrix @ model.matrix.T).toarray()
    vocabulary = {key: j for j, key in enumerate(sorted(set().union(*keys)))}
    rows = [i for i, ks in enumerate(keys) for _ in ks]
    cols = [vocabulary[k] for ks in keys for k in sorted(ks)]
    incidence = csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(keys), max(1, len(vocabulary)))
    )
    shared_counts = (incidence @ incidence.T).toarray()
    sizes = np.asarray(incidence.sum(axis=1)).ravel()
    union = sizes[:, None] + sizes[None, :] - shared_counts
    shared = np.divide(shared_counts, union, out=np.zeros_like(shared_counts), where=union > 0)
    combined = (1 - participant_weight) * text + participant_weight * shared
    np.fill_diagonal(combined, 1.0)
    return np.clip(combined, 0.0, 1.0)


def _topics(projects: list[ProjectRecord], members: list[int]) -> list[str]:
    totals: Counter[str] = Counter()
    for i in members:
        totals.update(projects[i].topics)
    return [k for k, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]


def cluster_projects(
    projects: list[ProjectRecord], spec: ClusterSpec, curation: Curation
) -> tuple[TextModel | None, list[ClusterResult]]:
    """Group projects (already ordered by project id) into named clusters."""
    if not projects:
        return None, []
    model = TextModel([p.text for p in projects])
    keys = [
        frozenset(
            k
            for k in (curation.resolve(n)[0] for n, _, _ in p.organisation_names())
            if k and not curation.is_vetoed_organisation(k)
        )
        for p in projects
    ]
    sim = similarity(model, keys, spec.participant_weight)
    n = len(projects)
    k = min(n, spec.n_clusters or max(2, round(n / 4)))
    if k <= 1 or n < 2:
        labels = np.zeros(n, dtype=int)
    else:
        labels = AgglomerativeClustering(
            n_clusters=k, metric="precomputed", linkage="average"
        ).fit_predict(1.0 - sim)
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(int(label), []).append(index)
    ordered = sorted(groups.values(), key=lambda members: projects[members[0]].project_id)
    results = []
    for number, members in enumerate(ordered, start=1):
        centroid = np.asarray(model.matrix[members].mean(axis=0)).ravel()
        if len(members) == 1:
            scores = [1.0]
        else:
            scores = [
                round(float((sim[i, members].sum() - 1.0) / (len(members) - 1)), 4) for i in members
            ]
        terms = model.top_terms(centroid, spec.top_terms)
        topics = _topics(projects, members)
        label = " · ".join(terms[:3]) or projects[members[0]].acronym or projects[members[0]].title
        results.append(ClusterResult(number, members, scores, terms, topics, label, centroid))
    return model, results


def store_clusters(
    session: Session, profile: str, projects: list[ProjectRecord], results: list[ClusterResult]
) -> dict[str, int]:
    """Replace the profile's clusters, keeping ids and computed_at of unchanged ones."""
    now = datetime.now(UTC)
    stored = {
        c.number: c for c in session.scalars(select(m.Cluster).where(m.Cluster.profile == profile))
    }
    counts = {"clusters": len(results), "changed": 0, "unchanged": 0, "removed": 0}
    for result in results:
        members = {
            projects[i].document_id: s for i, s in zip(result.members, result.scores, strict=True)
        }
        cluster = stored.pop(result.number, None)
        if cluster is not None:
            current = {
                row.document_id: row.score
                for row in session.scalars(
                    select(m.ClusterMember).where(m.ClusterMember.cluster_id == cluster.id)
                )
            }
            same = (
                current == members
                and cluster.label == result.label
                and cluster.top_terms == result.top_terms
                and cluster.topics == result.topics
            )
            if same:
                counts["unchanged"] += 1
                continue
            session.execute(delete(m.ClusterMember).where(m.ClusterMember.cluster_id == cluster.id))
        else:
            cluster = m.Cluster(profile=profile, number=result.number)
            session.add(cluster)
        cluster.label = result.label
        cluster.top_terms = result.top_terms
        cluster.topics = result.topics
        cluster.size = len(result.members)
        cluster.method = METHOD
        cluster.computed_at = now
        session.flush()
        session.add_all(
            m.ClusterMember(cluster_id=cluster.id, document_id=doc_id, score=score)
            for doc_id, score in members.items()
        )
        counts["changed"] += 1
    for cluster in stored.values():
        session.delete(cluster)
        counts["removed"] += 1
    session.flush()
    return counts


def _groups(session: Session) -> dict[int, int]:
    """Organisation id -> the id of its curated group, for organisations in one."""
    rows = session.execute(select(m.Organisation.id, m.Organisation.key, m.Organisation.group_key))
    ids, groups = {}, {}
    for org_id, key, group_key in rows:
        ids[key] = org_id
        if group_key:
            groups[org_id] = group_key
    return {org_id: ids[key] for org_id, key in groups.items() if key in ids}


def find_candidates(
    session: Session,
    model: TextModel,
    projects: list[ProjectRecord],
    results: list[ClusterResult],
    spec: ClusterSpec,
    profile: str,
) -> int:
    """Organisations whose documents match a cluster's centroid but who are not in it."""
    clusters = {
        c.number: c.id
        for c in session.scalars(select(m.Cluster).where(m.Cluster.profile == profile))
    }
    session.execute(
        delete(m.ClusterCandidate).where(m.ClusterCandidate.cluster_id.in_(list(clusters.values())))
    )
    if not results or spec.candidates_per_cluster == 0:
        return 0
    roles = session.execute(
        select(m.OrganisationDocument.organisation_id, m.OrganisationDocument.document_id)
        .distinct()
        .order_by(m.OrganisationDocument.organisation_id, m.OrganisationDocument.document_id)
    ).all()
    doc_ids = sorted({doc for _, doc in roles})
    texts: dict[int, tuple[str, str]] = {}
    for start in range(0, len(doc_ids), 900):
        for doc_id, title, summary in session.execute(
            select(m.Document.id, m.Document.title, m.Document.summary).where(
                m.Document.id.in_(doc_ids[start : start + 900])
            )
        ):
            texts[doc_id] = (title, " ".join(filter(None, [title, summary])))
    order = [d for d in doc_ids if d in texts]
    if not order:
        return 0
    vectors = model.transform([texts[d][1] for d in order])
    centroids = normalize(np.vstack([r.centroid for r in results]))
    sims = np.asarray(vectors @ centroids.T)
    row_of = {d: i for i, d in enumerate(order)}
    docs_of: dict[int, list[int]] = {}
    for org_id, doc_id in roles:
        if doc_id in row_of:
            docs_of.setdefault(org_id, []).append(doc_id)
    group_of = _groups(session)
    members_of = [{projects[i].document_id for i in r.members} for r in results]
    # An organisation takes part in a cluster when it, its group or another member of its
    # group is in one of the cluster's projects: a group is no new partner of its members.
    taking_part = [
        {group_of.get(o, o) for o, doc in roles if doc in members} for members in members_of
    ]
    added = 0
    for c, result in enumerate(results):
        scored: list[tuple[float, int, list[dict[str, Any]]]] = []
        for org_id, docs in docs_of.items():
            if group_of.get(org_id, org_id) in taking_part[c]:
                continue
            hits = sorted(
                ((float(sims[row_of[d], c]), d) for d in docs),
                key=lambda hit: (-hit[0], hit[1]),
            )
            best = hits[0][0]
            if best < spec.candidate_min_similarity:
                continue
            strong = sum(1 for s, _ in hits if s >= spec.candidate_min_similarity)
            score = round(min(1.0, best + 0.05 * (strong - 1)), 4)
            evidence = [
                {"document_id": d, "title": texts[d][0], "similarity": round(s, 3)}
                for s, d in hits[:3]
                if s >= spec.candidate_min_similarity
            ]
            scored.append((score, org_id, evidence))
        scored.sort(key=lambda item: (-item[0], item[1]))
        for score, org_id, evidence in scored[: spec.candidates_per_cluster]:
            session.add(
                m.ClusterCandidate(
                    cluster_id=clusters[result.number],
                    organisation_id=org_id,
                    score=score,
                    evidence={"documents": evidence, "cluster_terms": result.top_terms},
                )
            )
            added += 1
    session.flush()
    return added
