"""The digest step: query the week, draw the charts, render, write, archive and send."""

from __future__ import annotations

import base64
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.dialects import postgresql, sqlite

from scintel.config import Settings
from scintel.digest import mail
from scintel.digest.collect import collect
from scintel.digest.render import render
from scintel.digest.weeks import IsoWeek
from scintel.errors import ScintelError
from scintel.profile import Profile, load_profile
from scintel.storage import models as m
from scintel.storage.engine import check_connection, make_engine
from scintel.storage.schema import require_schema

log = logging.getLogger(__name__)


@dataclass
class DigestResult:
    """What one digest run wrote and sent."""

    profile: str
    week: str
    html_path: Path
    text_path: Path
    chart_paths: list[Path]
    sections: list[str]
    stats: dict[str, Any]
    digest_id: int
    empty: bool
    sent_to: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _archive(
    conn: Connection,
    profile: str,
    week: str,
    html: str,
    text: str,
    stats: dict[str, Any],
    sent: bool,
) -> int:
    """Upsert the rendered digest on (profile, week); a rebuild replaces the archived copy."""
    table = m.Digest.__table__
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    now = datetime.now(UTC)
    values: dict[str, Any] = {"html": html, "text": text, "stats": stats, "created_at": now}
    if sent:
        values["sent_at"] = now
    stmt = insert(table).values(profile=profile, iso_week=week, **values)
    stmt = stmt.on_conflict_do_update(index_elements=["profile", "iso_week"], set_=values)
    conn.execute(stmt)
    return conn.execute(
        select(table.c.id).where(table.c.profile == profile, table.c.iso_week == week)
    ).scalar_one()


def resolve_week(
    week: str | IsoWeek | None, conn: Connection | None = None, today: date | None = None
) -> IsoWeek:
    """The week asked for (never one that has not begun), else the last complete week that
    has documents, so a digest after loading old samples is not silently empty."""
    today = today or datetime.now(UTC).date()
    if week:
        chosen = week if isinstance(week, IsoWeek) else IsoWeek.parse(week)
        if chosen.monday > today:
            raise ScintelError(f"{chosen} is in the future (this is {IsoWeek.of(today)})", "--week")
        return chosen
    last = IsoWeek.last_complete(today)
    if conn is None:
        return last
    latest = conn.scalar(
        select(func.max(m.Document.iso_week)).where(m.Document.iso_week <= str(last))
    )
    if latest is None:
        raise ScintelError(
            f"the warehouse has no documents dated {last} or earlier: nothing to digest "
            "(load or run first, or name a week)",
            "--week",
        )
    return IsoWeek.parse(latest)


def build_digest(
    settings: Settings,
    profile: Profile | str | None = None,
    week: str | IsoWeek | None = None,
    out_dir: Path | str | None = None,
    send: bool = False,
    environ: dict[str, str] | None = None,
) -> DigestResult:
    """Build one week's digest (default: the last complete ISO week), archive it, maybe send it.

    Files go to `out_dir` (default: <data dir>/digests/<week>/): digest.html (self-contained,
    charts as data: URIs), digest.md, and the chart PNGs.
    """
    started = time.perf_counter()
    watch = profile if isinstance(profile, Profile) else load_profile(profile or settings.profile)
    if week:
        resolve_week(week)  # a bad or future week fails before anything else
    if send and not watch.digest.recipients:
        raise ScintelError(f"profile {watch.name!r} has no digest.recipients", "digest.recipients")
    smtp = mail.smtp_config(environ) if send else None

    engine = make_engine(settings.database_url)
    try:
        check_connection(engine)
        require_schema(engine)
        with engine.connect() as conn:
            iso_week = resolve_week(week, conn)
            data = collect(conn, iso_week)
        target = Path(out_dir) if out_dir else settings.data_dir / "digests" / str(iso_week)
        queried = time.perf_counter()
        charts = data.charts()
        generated_at = datetime.now(UTC)
        content_ids = {c.name: f"{c.name}.{iso_week}@scintel" for c in charts}
        rendered = render(
            data,
            charts,
            watch.digest.title,
            generated_at,
            page_images={
                c.name: "data:image/png;base64," + base64.b64encode(c.png).decode("ascii")
                for c in charts
            },
            email_images={name: f"cid:{cid}" for name, cid in content_ids.items()},
        )
        target.mkdir(parents=True, exist_ok=True)
        html_path, text_path = target / "digest.html", target / "digest.md"
        html_path.write_text(rendered.page_html, encoding="utf-8")
        text_path.write_text(rendered.text, encoding="utf-8")
        chart_paths = []
        for chart in charts:
            path = target / chart.filename
            path.write_bytes(chart.png)
            chart_paths.append(path)

        sent_to: list[str] = []
        if smtp is not None:
            message = mail.build_message(
                subject=f"{watch.digest.title}: {iso_week} ({iso_week.span()})",
                sender=watch.digest.sender,
                recipients=watch.digest.recipients,
                text=rendered.text,
                html=rendered.email_html,
                charts=charts,
                content_ids=content_ids,
            )
            mail.send(smtp, message, watch.digest.recipients)
            sent_to = list(watch.digest.recipients)
        stats: dict[str, Any] = {
            "week": str(iso_week),
            "sections": [found.section.anchor for found in data.shown()],
            **data.stats(),
            "query_seconds": round(queried - started, 3),
        }
        with engine.begin() as conn:
            digest_id = _archive(
                conn,
                watch.name,
                str(iso_week),
                rendered.page_html,
                rendered.text,
                stats,
                sent=bool(sent_to),
            )
    finally:
        engine.dispose()
    result = DigestResult(
        profile=watch.name,
        week=str(iso_week),
        html_path=html_path,
        text_path=text_path,
        chart_paths=chart_paths,
        sections=stats["sections"],
        stats=stats,
        digest_id=digest_id,
        empty=data.is_empty(),
        sent_to=sent_to,
        seconds=time.perf_counter() - started,
    )
    log.info("digest %s for %s: %s", result.week, result.profile, stats["items"])
    return result
