"""The impact steps: plain functions the CLI and Airflow tasks call in one line.

Each step opens one transaction on the warehouse, applies the profile's curation,
records an impact_runs row with its summary, and returns that summary.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from scintel.config import Settings
from scintel.impact import clusters as clusters_mod
from scintel.impact import events as events_mod
from scintel.impact import links as links_mod
from scintel.impact import network as network_mod
from scintel.impact import organisations as organisations_mod
from scintel.impact.corpus import load_projects
from scintel.impact.curation import Curation, CurationEffect, profile_curation
from scintel.impact.parties import ProjectOrganisations
from scintel.nlp.signal_types import registry_rows
from scintel.profile import Profile
from scintel.storage import models as m
from scintel.storage.engine import check_connection, make_engine
from scintel.storage.enrichment import sync_signal_types
from scintel.storage.schema import require_schema

log = logging.getLogger(__name__)

Summary = dict[str, Any]


def _run(
    settings: Settings,
    profile: Profile,
    step: str,
    work: Callable[[Session, Curation], Summary],
) -> Summary:
    curation = profile_curation(profile)
    engine = make_engine(settings.database_url)
    try:
        check_connection(engine)
        require_schema(engine)
        with Session(engine) as session, session.begin():
            run = m.ImpactRun(profile=profile.name, step=step, started_at=datetime.now(UTC))
            session.add(run)
            session.flush()
            summary = work(session, curation) | {"curation_version": curation.version}
            run.finished_at = datetime.now(UTC)
            run.summary = summary
    finally:
        engine.dispose()
    log.info("impact %s: %s", step, summary)
    return summary


def organisations_in(session: Session, profile: Profile, curation: Curation) -> Summary:
    """Refresh organisations and their roles from every project, patent and news item."""
    projects = load_projects(session, None)
    registry = organisations_mod.collect(session, projects, curation)
    counts = organisations_mod.store(session, registry)
    return counts | {"curation": registry.effect.as_dict()}


def network_in(session: Session, profile: Profile, curation: Curation) -> Summary:
    """Organisations, then the network of the monitored projects with centrality."""
    sync_signal_types(session, registry_rows())  # the uptake flags the impact views read
    summary = organisations_in(session, profile, curation)
    monitored = {p.document_id for p in load_projects(session, profile.impact.programmes)}
    graph = network_mod.build_graph(session, monitored)
    network_mod.centrality(graph)
    return summary | network_mod.store(session, graph)


def links_in(session: Session, profile: Profile, curation: Curation) -> Summary:
    """Project -> output links for the monitored projects, then their follow-on projects
    and uptake events (same store: evidence, confidence, curation vetoes)."""
    sync_signal_types(session, registry_rows())  # the uptake flags events read
    projects = load_projects(session, profile.impact.programmes)
    everyone = load_projects(session, None)
    identities = organisations_mod.identities(session, everyone, curation)
    effect = CurationEffect()
    candidates = links_mod.find_candidates(
        session,
        projects,
        profile.impact,
        curation,
        effect,
        ProjectOrganisations(projects, identities, curation),
    )
    counts = links_mod.store_links(session, projects, candidates, curation, effect)
    monitored = {p.document_id for p in projects}
    members = ProjectOrganisations(everyone, identities, curation)
    later = events_mod.follow_on(everyone, monitored, profile.impact, members)
    took_up = events_mod.uptake(session, everyone, monitored, profile.impact, members)
    events = {
        kind: {
            k: v
            for k, v in links_mod.store_links(
                session, projects, found, curation, effect, kind
            ).items()
            if k in ("links", "shown", "candidates")
        }
        for kind, found in ((events_mod.FOLLOW_ON, later), (events_mod.UPTAKE, took_up))
    }
    return {"projects": len(projects)} | counts | {"events": events, "curation": effect.as_dict()}


def clusters_in(session: Session, profile: Profile, curation: Curation) -> Summary:
    """Clusters of the monitored projects and their candidate partners."""
    projects = load_projects(session, profile.impact.programmes)
    spec = profile.impact.clusters
    model, results = clusters_mod.cluster_projects(projects, spec, curation)
    counts = clusters_mod.store_clusters(session, profile.name, projects, results)
    candidates = (
        clusters_mod.find_candidates(session, model, projects, results, spec, profile.name)
        if model is not None
        else 0
    )
    return {"projects": len(projects)} | counts | {"candidates": candidates}


def link_outputs(settings: Settings, profile: Profile) -> Summary:
    return _run(settings, profile, "links", lambda s, c: links_in(s, profile, c))


def build_network(settings: Settings, profile: Profile) -> Summary:
    return _run(settings, profile, "network", lambda s, c: network_in(s, profile, c))


def build_clusters(settings: Settings, profile: Profile) -> Summary:
    return _run(settings, profile, "clusters", lambda s, c: clusters_in(s, profile, c))


def run_impact(settings: Settings, profile: Profile) -> Summary:
    """Network (organisations first), links, clusters: the order the indicators need."""
    return {
        "network": build_network(settings, profile),
        "links": link_outputs(settings, profile),
        "clusters": build_clusters(settings, profile),
    }
