"""The weekly digest built from a realistic warehouse: sections, items, safety, archive, CLI."""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from scintel.config import Settings
from scintel.digest import build_digest, sections
from scintel.digest.queries import evidence_terms
from scintel.digest.registry import registered
from scintel.digest.sections.movers import trend_score
from scintel.digest.sections.patents import applicant_key
from scintel.digest.sections.projects import link_explanation
from scintel.digest.weeks import IsoWeek
from scintel.errors import ScintelError
from scintel.storage import models as m
from scintel.storage.items import parse_item
from scintel.storage.loader import Loader
from tests.digest_warehouse import DUPLICATE, WEEK, populate
from tests.test_cli import scintel

SECTIONS = [
    "glance",
    "calls-closing",
    "calls-new",
    "market",
    "movers",
    "publications",
    "patents",
    "projects",
    "project-candidates",
    "trends",
]


class Page(HTMLParser):
    """Tags, attributes, links and visible text of a rendered page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.links: dict[str, str] = {}
        self.text: list[str] = []
        self._href: str | None = None
        self._anchor: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend((tag, name, value) for name, value in attrs)
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._anchor = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links[" ".join("".join(self._anchor).split())] = self._href
            self._href = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._href is not None:
            self._anchor.append(data)

    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


def _settings(engine: Engine, tmp_path: Path) -> Settings:
    return Settings(database_url=engine.url, data_dir=tmp_path / "var", profile="ket-biotech")


def _section(markdown: str, title: str) -> str:
    """The Markdown of one '## ' section."""
    start = markdown.index(f"## {title}")
    end = markdown.find("\n## ", start + 3)
    return markdown[start : end if end > 0 else None]


def test_week_parsing_and_default() -> None:
    assert str(IsoWeek.parse("2026-W47")) == WEEK
    assert IsoWeek.parse("2026-W47").span() == "16–22 Nov 2026"
    assert str(IsoWeek.last_complete(date(2026, 11, 25))) == "2026-W47"
    assert str(IsoWeek.last_complete(date(2026, 11, 23))) == "2026-W47"
    assert str(IsoWeek.last_complete(date(2027, 1, 4))) == "2026-W53"
    assert [str(w) for w in IsoWeek.parse("2027-W02").trailing(3)] == [
        "2026-W53",
        "2027-W01",
        "2027-W02",
    ]
    with pytest.raises(ScintelError, match="--week: not an ISO week"):
        IsoWeek.parse("2026-47")
    with pytest.raises(ScintelError, match="2025 has no ISO week 53"):
        IsoWeek.parse("2025-W53")


def test_applicant_key_and_trend_score() -> None:
    assert applicant_key("NOVOZYMES AS") == applicant_key("Novozymes A/S") == "NOVOZYMES"
    assert applicant_key("LanzaTech, Inc.") == "LANZATECH"
    assert applicant_key("BASF SE") == "BASF"
    assert trend_score(3, 0.0) == pytest.approx(3.0)
    assert trend_score(4, 3.0) == pytest.approx(0.5)
    # Topic evidence as the enricher stores it: matched terms and CPC prefixes.
    assert evidence_terms(
        [
            {"term": "Lipase", "count": 2, "weight": 0.5},
            {"cpc": "C12N", "classes": ["C12N9/20"], "weight": 0.3},
            {"term": "lipase", "count": 1, "weight": 0.1},
        ]
    ) == ["lipase", "CPC C12N"]
    assert evidence_terms({"terms": ["PHA", "bioplastic"]}) == ["pha", "bioplastic"]
    assert evidence_terms(None) == []
    # Project-output links as the enricher records them.
    assert link_explanation(
        "harvested", {"grant_id": "887259", "funder": "European Commission"}
    ) == ("acknowledges grant 887259")
    matched = {"applicant": "WAGENINGEN UNIVERSITEIT", "participant": "WAGENINGEN UNIVERSITY"}
    assert link_explanation("matched", matched) == (
        "applicant WAGENINGEN UNIVERSITEIT is participant WAGENINGEN UNIVERSITY"
    )
    assert link_explanation("matched", None) == "linked by applicant or participant match"


def test_digest_of_a_busy_week(warehouse: Engine, tmp_path: Path) -> None:
    ids = populate(warehouse)
    result = build_digest(_settings(warehouse, tmp_path), week=WEEK, out_dir=tmp_path / "out")
    assert result.sections == SECTIONS
    assert not result.empty
    html = result.html_path.read_text()
    markdown = result.text_path.read_text()
    page = Page(html)

    # Every item: its title linked to its source, with the date, source and why.
    assert page.links[
        "Solugen raises $200 million Series D to build bio-based chemical plants"
    ] == ("https://www.fiercebiotech.example/solugen-series-d")
    assert (
        page.links[
            "Gas fermentation of CO2 by Clostridium autoethanogenum in a 1,000 L pilot reactor"
        ]
        == "https://www.biorxiv.org/content/10.1101/2026.11.17.624001v1"
    )
    assert "<i>Clostridium autoethanogenum</i>" in html and "CO<sub>2</sub>" in html
    assert html.count("Why it is here:") >= 18
    solugen = _section(markdown, "Market signals")
    assert "17 Nov 2026 · Fierce Biotech · €184.0M" in page.visible()
    assert (
        "Why it is here: funding round signal · topic Biorefineries and bio-based chemicals "
        "(bio-based chemical) · mentions Solugen" in solugen
    )
    assert "raised $200 million in a Series D round" in solugen

    # The duplicate (same paper on bioRxiv) is shown once, under its canonical copy.
    assert DUPLICATE["url"] not in html
    assert html.count("https://europepmc.org/article/MED/41234567") == 2  # topic + project impact

    # Calls: closing within 30 days by deadline; newly opened; a past deadline nowhere.
    closing = _section(markdown, "Calls closing within 30 days")
    assert closing.index("HORIZON-JU-CBE-2026-IA-03") < closing.index(
        "HORIZON-EIC-2026-PATHFINDERCHALLENGES-01-02"
    )
    assert "deadline 2026-12-03 (10 days left)" in closing and "closes in 10 days" in closing
    assert "HORIZON-CL6-2027-CIRCBIO-01-05" in _section(markdown, "Newly opened calls")
    assert "FARM2FORK" not in markdown

    # Patents grouped by applicant, spelling variants of one applicant together.
    patents = _section(markdown, "Patents by applicant")
    novozymes = patents[patents.index("### NOVOZYMES AS") : patents.index("### BASF SE")]
    assert "EP4567890A1" in novozymes and "EP4567901A1" in novozymes
    assert "with GENOMATICA INC" in patents

    # Entities on the move: new this week beats steady; the score is printed.
    movers = _section(markdown, "Entities on the move")
    assert "**Carbios** (org): 3 documents this week, 8-week mean 0.0, score +3.0" in movers
    assert "PET hydrolase" in movers and "Novonesis" not in movers

    # Project impact: a harvested grant link and a participant match, with the method.
    projects = _section(markdown, "Project impact")
    assert "### AMINOZYME (101000794)" in projects
    assert "Publication · acknowledges grant 101000794" in projects or (
        "Publication · linked by grant acknowledged in the paper" in projects
    )
    assert "Patent · names participant Novozymes A/S (confidence 0.80)" in projects
    # Below the threshold (confidence 0.70): a candidate to check, not an output.
    assert "H-publication-6-0" not in projects
    candidates = _section(markdown, "Candidate project links")
    assert "https://example.org/H-publication-6-0" in candidates  # credited this week
    assert "candidate output of AMINOZYME (101000794)" in candidates
    assert "confidence below 0.80: to confirm or veto, not counted" in candidates
    assert "H-publication-6-1" not in markdown  # credited the week before

    # Headline numbers against the previous week, checked against the analyst view.
    with warehouse.connect() as conn:
        expected = dict(
            conn.execute(
                text(
                    "SELECT iso_week, COUNT(*) FROM v_documents WHERE kind = 'publication' "
                    "AND NOT is_duplicate AND iso_week IN ('2026-W46', '2026-W47') GROUP BY iso_week"
                )
            ).all()
        )
    glance = _section(markdown, "At a glance")
    assert f"| Publications | {expected['2026-W47']} | {expected['2026-W46']} |" in glance
    assert result.stats["headline"]["Publications"] == expected["2026-W47"] == 7

    # Charts: PNG files next to the page, embedded in it, described in alt text.
    assert [p.name for p in result.chart_paths] == ["volume-by-kind.png", "volume-by-topic.png"]
    for path in result.chart_paths:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    alts = [v for tag, name, v in page.attrs if tag == "img" and name == "alt"]
    assert len(alts) == 2 and "2026-W36 to 2026-W47" in alts[0] and "7 publications" in alts[0]
    assert all(
        v.startswith("data:image/png;base64,")
        for tag, name, v in page.attrs
        if tag == "img" and name == "src"
    )

    # Archived; a rebuild replaces the archived copy instead of adding one.
    build_digest(_settings(warehouse, tmp_path), week=WEEK, out_dir=tmp_path / "out")
    with Session(warehouse) as session:
        archived = session.scalars(select(m.Digest)).all()
    assert len(archived) == 1
    assert archived[0].iso_week == WEEK and archived[0].profile == "ket-biotech"
    # The same page, but for the minute it was generated in (a rebuild may cross a minute).
    stamp = re.compile(r"Generated \d{2} \w{3} \d{4} \d{2}:\d{2} UTC")
    assert stamp.sub("", archived[0].html) == stamp.sub("", html)
    assert archived[0].stats["items"]["calls_closing"] == 2
    assert ids  # the loader gave every item an id


# A section of its own: a module declaring it, and its partials next to it. Nothing else.
SOURCES_MODULE = '''
"""How many sources the warehouse has."""

from sqlalchemy import func, select

from scintel.digest.registry import Section
from scintel.storage import models as m

SECTIONS = (
    Section(
        anchor="sources",
        title="Sources & outlets",
        order=45,
        partials="zz_sources.j2",
        query=lambda context: context.conn.scalar(select(func.count()).select_from(m.Source)),
    ),
)
'''
SOURCES_PARTIALS = """\
{% macro html(count) %}
<tr><td data-sources="{{ count }}">{{ count }} sources <b>in {{ week }}</b></td></tr>
{% endmacro %}
{% macro md(count) %}
{{ count }} sources in {{ week }}
{% endmacro %}
"""


def test_a_new_section_is_a_module_and_its_partials(
    warehouse: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert [section.anchor for section in registered()] == SECTIONS
    folder = tmp_path / "sections"
    folder.mkdir()
    (folder / "zz_sources.py").write_text(SOURCES_MODULE)
    (folder / "zz_sources.j2").write_text(SOURCES_PARTIALS)
    populate(warehouse)
    with warehouse.connect() as conn:
        count = conn.scalar(select(func.count()).select_from(m.Source))
    with monkeypatch.context() as patch:
        patch.setattr(sections, "__path__", [*sections.__path__, str(folder)])
        try:
            result = build_digest(_settings(warehouse, tmp_path), week=WEEK, out_dir=tmp_path)
        finally:
            sys.modules.pop("scintel.digest.sections.zz_sources", None)

    # In reading order by its `order` (45: after market signals), in the page and the text.
    assert result.sections == [*SECTIONS[:4], "sources", *SECTIONS[4:]]
    html = result.html_path.read_text()
    page = Page(html)
    assert [v for tag, name, v in page.attrs if tag == "h2" and name == "id"] == result.sections
    assert page.links["Sources & outlets"] == "#sources"  # listed in "In this issue"
    assert ">Sources &amp; outlets</h2>" in html  # the title escaped in the page only
    assert f'<td data-sources="{count}">{count} sources <b>in {WEEK}</b></td>' in html
    markdown = result.text_path.read_text()
    assert f"## Sources & outlets\n\n{count} sources in {WEEK}\n\n## Entities on the move" in (
        markdown
    )
    assert [section.anchor for section in registered()] == SECTIONS  # gone with its files


def test_empty_week_says_so_in_one_line(warehouse: Engine, tmp_path: Path) -> None:
    populate(warehouse)
    result = build_digest(_settings(warehouse, tmp_path), week="2025-W10", out_dir=tmp_path)
    assert result.empty and result.sections == [] and result.chart_paths == []
    page = Page(result.html_path.read_text())
    assert "Nothing new in 2025-W10 (3–9 Mar 2025): no documents or signals were recorded" in (
        page.visible()
    )
    assert "h2" not in page.tags and "img" not in page.tags
    lines = [ln for ln in result.text_path.read_text().splitlines() if ln.strip()]
    assert lines[1].startswith("Nothing new in 2025-W10") and len(lines) == 4


def test_hostile_source_text_is_rendered_harmlessly(warehouse: Engine, tmp_path: Path) -> None:
    hostile = {
        "kind": "news",
        "source": "news",
        "external_id": "evil-1",
        "outlet": "<b>Evil</b> Outlet",
        "title": "<script>alert('t')</script>Enzyme deal <img src=x onerror=alert(1)> "
        "<a href='javascript:alert(2)'>click</a> & <iframe src=https://evil.example/>",
        "url": "javascript:alert(document.cookie)",
        "published": "2026-11-18",
    }
    spoofed = hostile | {
        "external_id": "evil-2",
        "title": "Scheme-relative link",
        "url": " JaVaScRiPt:alert(3)",
    }
    huge = hostile | {  # a megabyte "title": shown cut, not printed whole (twice) in the page
        "external_id": "evil-3",
        "title": "<i>Escherichia coli</i> " + "fermentation " * 80_000,
    }
    with Session(warehouse) as session, session.begin():
        result = Loader(session).upsert(
            [parse_item(json.dumps(x)) for x in (hostile, spoofed, huge)]
        )
        for doc_id in result.document_ids:
            session.add(
                m.Signal(
                    document_id=doc_id,
                    signal_type="partnership",
                    score=0.9,
                    iso_week=WEEK,
                    evidence={"sentence": "<script>alert(4)</script>A and B <b>partner</b>"},
                )
            )
    built = build_digest(_settings(warehouse, tmp_path), week=WEEK, out_dir=tmp_path)
    html = built.html_path.read_text()
    page = Page(html)

    assert "script" not in page.tags and "iframe" not in page.tags
    assert all(
        v.startswith("data:image/png;base64,")  # the charts only
        for tag, name, v in page.attrs
        if tag == "img" and name == "src"
    )
    assert not [a for a in page.attrs if a[1].startswith("on")]
    assert "javascript" not in html.lower() and "alert(" not in html
    hrefs = [v for tag, name, v in page.attrs if tag == "a" and name == "href"]
    assert hrefs and all(h.startswith("#") for h in hrefs)  # only in-page anchors: no bad link
    assert ">Enzyme deal click &amp;</span>" in html  # escaped text, the title still readable
    assert "18 Nov 2026 · Evil Outlet · signal score 0.90" in page.visible()
    assert "Scheme-relative link" in page.visible()
    assert "A and B partner" in page.visible()
    assert len(html) < 200_000 and html.count("fermentation") < 100
    assert (
        "<i>Escherichia coli</i> fermentation fermentation" in html
        and "fermentation…</span>" in html
    )
    csp = [
        v
        for tag, name, v in page.attrs
        if tag == "meta" and name == "content" and v and v.startswith("default-src 'none'")
    ]
    assert csp, "the page forbids loading anything remote"

    markdown = built.text_path.read_text()
    assert "javascript" not in markdown.lower() and "<script" not in markdown.lower()
    assert "](" not in _section(markdown, "Market signals")  # no link without an http(s) URL
    assert r"Enzyme deal click & \<iframe" not in markdown  # the iframe is dropped, not shown
    assert len(markdown) < 100_000 and "Escherichia coli fermentation" in markdown


@pytest.mark.e2e
def test_cli_digest_writes_and_archives(warehouse: Engine, tmp_path: Path) -> None:
    populate(warehouse)
    url = warehouse.url.render_as_string(hide_password=False)
    out = tmp_path / "out"
    run = scintel(
        "--database-url",
        url,
        "--data-dir",
        str(tmp_path / "var"),
        "digest",
        "--week",
        WEEK,
        "--out",
        str(out),
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    assert "digest 2026-W47" in run.stdout and "calls closing" in run.stdout
    assert (out / "digest.html").is_file() and (out / "digest.md").is_file()
    with warehouse.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(m.Digest.__table__)) == 1

    bad = scintel("--database-url", url, "digest", "--week", "2026-W99", cwd=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == ["scintel: error: --week: 2026 has no ISO week 99"]

    unsent = scintel("--database-url", url, "digest", "--week", WEEK, "--send", cwd=tmp_path)
    assert unsent.returncode == 2
    assert "SCINTEL_SMTP_URL: no SMTP server configured" in unsent.stderr


def test_default_week_is_the_last_complete_one_with_data(warehouse: Engine, tmp_path: Path) -> None:
    with pytest.raises(ScintelError, match=r"no documents dated .* nothing to digest"):
        build_digest(_settings(warehouse, tmp_path))  # an empty warehouse archives nothing
    with warehouse.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(m.Digest.__table__)) == 0
    populate(warehouse)
    last = str(IsoWeek.last_complete(date.today()))
    with warehouse.connect() as conn:
        expected = conn.scalar(
            select(func.max(m.Document.iso_week)).where(m.Document.iso_week <= last)
        )
    result = build_digest(_settings(warehouse, tmp_path))
    assert result.week == expected and not result.empty
    assert result.html_path == tmp_path / "var" / "digests" / result.week / "digest.html"


def test_a_week_in_the_future_is_refused(sqlite_warehouse: Engine, tmp_path: Path) -> None:
    future = str(IsoWeek.of(date.today()).shift(2))
    with pytest.raises(ScintelError, match=f"--week: {future} is in the future"):
        build_digest(_settings(sqlite_warehouse, tmp_path), week=future)
    build_digest(
        _settings(sqlite_warehouse, tmp_path), week=str(IsoWeek.of(date.today()))
    )  # this week is fine
