"""`scintel impact`, `scintel clusters`, `scintel network`: what funded projects led to."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from scintel.cli.app import app, console, settings
from scintel.config import Settings
from scintel.impact.confidence import SHOW_THRESHOLD
from scintel.profile import Profile, load_profile
from scintel.storage import models as m
from scintel.storage.engine import check_connection, make_engine
from scintel.storage.schema import require_schema


class ExportFormat(StrEnum):
    graphml = "graphml"
    csv = "csv"


def _profile(config: Settings) -> Profile:
    return load_profile(config.profile)


def _print_curation(summary: dict[str, Any]) -> None:
    effect = summary.get("curation")
    if not effect:
        return
    console.print(
        f"curation v{summary.get('curation_version', 0)}: {effect['names_merged']} names merged, "
        f"{effect['participations_vetoed']} participations vetoed, "
        f"{effect['links_vetoed']} links vetoed, {effect['manual_links']} manual links"
    )
    for message in effect["unresolved"]:
        console.print(f"[yellow]unresolved[/] {message}")


@app.command("impact")
def impact(
    ctx: typer.Context,
    top: Annotated[int, typer.Option(min=0, help="Projects to list.")] = 20,
    year: Annotated[
        int | None, typer.Option(help="Indicators of one year (default: overall).")
    ] = None,
) -> None:
    """Link outputs to monitored projects, rebuild network and clusters, print indicators."""
    from scintel.impact import indicators, steps  # scikit-learn loads only when these run

    config = settings(ctx)
    profile = _profile(config)
    summary = steps.run_impact(config, profile)
    links = summary["links"]
    console.print(
        f"links: {links['links']} for {links['projects']} projects "
        f"({links['inserted']} new, {links['updated']} updated, {links['removed']} removed); "
        + ", ".join(f"{k} {v}" for k, v in links["by_method"].items())
        + f"; {links['shown']} at confidence {SHOW_THRESHOLD:.2f} or more, "
        f"{links['candidates']} candidates"
    )
    console.print(
        "events: "
        + ", ".join(
            f"{kind.replace('_', '-')} {e['links']} ({e['shown']} counted, "
            f"{e['candidates']} candidates)"
            for kind, e in links["events"].items()
        )
    )
    network_effect, links_effect = summary["network"]["curation"], links["curation"]
    _print_curation(
        {
            "curation_version": links.get("curation_version", 0),
            "curation": links_effect
            | {k: network_effect[k] for k in ("names_merged", "participations_vetoed")}
            | {"unresolved": network_effect["unresolved"] + links_effect["unresolved"]},
        }
    )
    net = summary["network"]
    console.print(f"network: {net['nodes']} organisations, {net['edges']} ties")
    console.print(
        f"clusters: {summary['clusters']['clusters']}, "
        f"{summary['clusters']['candidates']} candidate partners"
    )
    engine = make_engine(config.database_url)
    with Session(engine) as session:
        rows = indicators.project_indicators(session, profile, year)
    table = Table(
        "project",
        "publications",
        "patents",
        "news",
        "follow-on",
        "uptake",
        title=f"impact ({year or 'overall'})",
    )
    for row in rows[:top]:
        table.add_row(row.name, *(str(getattr(row, c)) for c in indicators.COUNTS))
    console.print(table)


@app.command("clusters")
def clusters(
    ctx: typer.Context,
    refresh: Annotated[bool, typer.Option(help="Recompute before printing.")] = True,
) -> None:
    """Cluster the monitored projects and print each cluster with its members."""
    from scintel.impact import steps

    config = settings(ctx)
    profile = _profile(config)
    if refresh:
        steps.build_clusters(config, profile)
    engine = make_engine(config.database_url)
    check_connection(engine)
    require_schema(engine)
    with Session(engine) as session:
        stored = session.scalars(
            select(m.Cluster).where(m.Cluster.profile == profile.name).order_by(m.Cluster.number)
        ).all()
        if not stored:
            console.print("no clusters: no monitored projects in the warehouse")
            return
        for cluster in stored:
            members = session.execute(
                select(m.Project.acronym, m.Project.project_id, m.ClusterMember.score)
                .join(m.ClusterMember, m.ClusterMember.document_id == m.Project.document_id)
                .where(m.ClusterMember.cluster_id == cluster.id)
                .order_by(m.ClusterMember.score.desc(), m.Project.project_id)
            ).all()
            candidates = (
                session.execute(
                    select(m.Organisation.name)
                    .join(
                        m.ClusterCandidate, m.ClusterCandidate.organisation_id == m.Organisation.id
                    )
                    .where(m.ClusterCandidate.cluster_id == cluster.id)
                    .order_by(m.ClusterCandidate.score.desc(), m.Organisation.name)
                    .limit(5)
                )
                .scalars()
                .all()
            )
            console.print(f"[bold]{cluster.number}. {cluster.label}[/] ({cluster.size} projects)")
            console.print(f"   terms: {', '.join(cluster.top_terms or [])}")
            if cluster.topics:
                console.print(f"   topics: {', '.join(cluster.topics)}")
            console.print(
                "   projects: " + ", ".join(f"{a or pid} ({s:.2f})" for a, pid, s in members)
            )
            if candidates:
                console.print(f"   candidate partners: {', '.join(candidates)}")


@app.command("network")
def network_command(
    ctx: typer.Context,
    export: Annotated[
        ExportFormat | None, typer.Option(help="Write the network for Gephi and similar tools.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="GraphML file, or folder for nodes.csv/edges.csv (default: data dir)."),
    ] = None,
    top: Annotated[int, typer.Option(min=0, help="Organisations to list.")] = 15,
) -> None:
    """Rebuild the partner network, print the most central organisations, export it."""
    from scintel.impact import network, steps

    config = settings(ctx)
    profile = _profile(config)
    summary = steps.build_network(config, profile)
    console.print(f"network: {summary['nodes']} organisations, {summary['edges']} ties")
    _print_curation(summary)
    engine = make_engine(config.database_url)
    with Session(engine) as session:
        graph = network.load_graph(session)
    table = Table(
        "organisation",
        "country",
        "projects",
        "partners",
        "betweenness",
        "pagerank",
        title="most central organisations",
    )
    ranked = sorted(graph.nodes(data=True), key=lambda nd: (-nd[1]["pagerank"], nd[1]["label"]))
    for _, data in ranked[:top]:
        table.add_row(
            data["label"],
            data["country"],
            str(data["projects"]),
            str(data["degree"]),
            f"{data['betweenness']:.3f}",
            f"{data['pagerank']:.4f}",
        )
    console.print(table)
    if export is not None:
        default = (
            config.data_dir
            / "exports"
            / ("network.graphml" if export is ExportFormat.graphml else "network")
        )
        for path in network.export(graph, export.value, out or default):
            console.print(f"wrote {path}")
