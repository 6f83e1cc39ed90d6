"""news: outlet feeds and article pages replayed through the real downloader."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hostile import (
    SMALL_MAXSIZE,
    assert_accounted,
    assert_failed_with_reject,
    gzip_bomb,
    page_rejects,
    redirect,
    truncated,
)
from scrapy.crawler import Crawler

from scintel.replay import ReplayServer, Reply
from scintel.spiders.spiders.news import NewsSpider, _canonical_url
from scintel.testing import CrawlResult, run_spider

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "news"
PAGES = FIXTURES / "pages"
OUTLETS = [
    {"name": "Labiotech.eu", "feed": "https://www.labiotech.eu/feed/", "delay": 0},
    {"name": "Nature Biotechnology", "feed": "https://www.nature.com/nbt.rss", "delay": 0},
    {"name": "Bio-based News", "feed": "https://news.bio-based.eu/feed/atom/", "delay": 0},
    {"name": "Bioökonomie.de", "feed": "https://biooekonomie.de/rss.xml", "delay": 0},
]
HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml; charset=UTF-8"}
LABIOTECH_FEED = FIXTURES / "labiotech_feed.xml"
NOVOZYMES = "https://www.labiotech.eu/trends-news/novozymes-kalundborg-enzyme-plant/"


def _serve(server: ReplayServer) -> None:
    server.add(
        "/feed/",
        Reply.file(
            FIXTURES / "labiotech_feed.xml",
            headers={"Content-Type": "application/rss+xml; charset=UTF-8"},
        ),
    )
    server.add(
        "/nbt.rss",
        Reply.file(FIXTURES / "nbt_feed.rdf", headers={"Content-Type": "application/rss+xml"}),
    )
    server.add(
        "/feed/atom/",
        Reply.file(
            FIXTURES / "biobased_feed.atom",
            headers={"Content-Type": "application/atom+xml; charset=UTF-8"},
        ),
    )
    # declares UTF-8 in the header and the XML, is Windows-1252
    server.add(
        "/rss.xml",
        Reply.file(
            FIXTURES / "biooekonomie_feed_cp1252.xml",
            headers={"Content-Type": "text/xml; charset=utf-8"},
        ),
    )
    pages = {
        "/trends-news/novozymes-kalundborg-enzyme-plant/": "novozymes.html",
        "/trends-news/evonik-rhamnolipids/": "evonik.html",
        "/opinion/biomanufacturing-act/": "opinion.html",
        "/trends-news/c-lecta-series-c/": "clecta_paywall.html",
        "/articles/s41587-026-02817-3": "nbt_pet.html",
        "/articles/s41587-026-02833-3": "nbt_funding.html",
        "/novozymes-opens-enzyme-plant/": "biobased_novozymes_copy.html",
        "/2026/11/lignin-vanillin/": "biobased_vanillin.html",
    }
    for path, name in pages.items():
        server.add(path, Reply.file(PAGES / name, headers=HTML))
    server.add(
        "/nachrichten/suedzucker-pilotanlage",
        Reply.file(PAGES / "suedzucker_latin1.html", headers={"Content-Type": "text/html"}),
    )
    # /trends-news/dsm-firmenich-enzymes-sale/ is not recorded: the server answers 404


def _crawl(
    server: ReplayServer,
    tmp_path: Path,
    since: str = "2026-11-19",
    until: str = "2026-11-25",
    settings: dict[str, str] | None = None,
    **spec,
) -> CrawlResult:
    return run_spider(
        "news", server.url, tmp_path, since, until, {"outlets": OUTLETS} | spec, settings
    )


def test_articles_from_rss2_rss1_and_atom(replay: ReplayServer, tmp_path: Path) -> None:
    _serve(replay)
    result = _crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert sorted(set(result.ids())) == sorted(
        [
            NOVOZYMES,
            "https://www.labiotech.eu/trends-news/evonik-rhamnolipids/",
            "https://www.labiotech.eu/opinion/biomanufacturing-act/",
            "https://www.labiotech.eu/trends-news/dsm-firmenich-enzymes-sale/",
            "https://www.labiotech.eu/trends-news/c-lecta-series-c/",
            "https://www.nature.com/articles/s41587-026-02817-3",
            "https://www.nature.com/articles/s41587-026-02833-3",
            "https://news.bio-based.eu/2026/11/lignin-vanillin/",
            "https://biooekonomie.de/nachrichten/suedzucker-pilotanlage",
        ]
    )
    assert {i["kind"] for i in result.items} == {"news"}

    # RSS 1.0 (RDF) entry: title, date, author from the feed, text from the page
    pet = result.item("https://www.nature.com/articles/s41587-026-02817-3")
    assert (
        pet["title"]
        == "Machine-learning-guided engineering of PET hydrolases for industrial recycling"
    )
    assert pet["published"] == "2026-11-21"
    assert pet["outlet"] == "Nature Biotechnology"
    assert pet["author"] == "Hannah M. Becker"
    assert "40-fold improvement" in pet["summary"]
    assert pet["extracted"] is True

    # Atom entry with a link relative to xml:base
    vanillin = result.item("https://news.bio-based.eu/2026/11/lignin-vanillin/")
    assert vanillin["published"] == "2026-11-22"
    assert "Sarpsborg" in vanillin["summary"]


def test_boilerplate_is_removed_and_html_titles_cleaned(
    replay: ReplayServer, tmp_path: Path
) -> None:
    _serve(replay)
    result = _crawl(replay, tmp_path)

    novozymes = [i for i in result.items if i["external_id"] == NOVOZYMES][-1]
    assert (
        novozymes["title"] == "Novozymes opens enzyme plant in Kalundborg"
    )  # escaped <em> removed
    assert novozymes["summary"].startswith(
        "Novozymes has opened a new enzyme production plant in Kalundborg"
    )
    assert "Bacillus licheniformis" in novozymes["summary"]
    for boilerplate in (
        "cookies",
        "Subscribe to our newsletter",
        "Related articles",
        "Top 10 biotech startups",
        "All rights reserved",
        "Share on LinkedIn",
        "Home",
    ):
        assert boilerplate not in novozymes["summary"]
    # the publisher's copy wins over Bio-based News' repost, whichever came first
    last = [i for i in result.items if i["external_id"] == NOVOZYMES][-1]
    assert last["outlet"] == "Labiotech.eu" and last["categories"] == ["Enzymes", "Manufacturing"]


def test_canonical_url_collapses_syndicated_copies_and_drops_tracking(
    replay: ReplayServer, tmp_path: Path
) -> None:
    _serve(replay)
    result = _crawl(replay, tmp_path)

    # Labiotech's own copy (utm_* in feed link and canonical) and Bio-based News' repost
    # share one key
    assert result.ids().count(NOVOZYMES) in (1, 2)  # the repost is written only if it came first
    assert result.stats["scintel/news_syndicated_copies"] == 1
    assert all("utm_" not in i["external_id"] for i in result.items)
    # a relative rel=canonical and a relative feed link are made absolute
    evonik = result.item("https://www.labiotech.eu/trends-news/evonik-rhamnolipids/")
    assert evonik["article_url"] == "https://www.labiotech.eu/trends-news/evonik-rhamnolipids/"
    assert evonik["author"] == "Clara Rodríguez Fernández"


def test_pages_that_cannot_be_had_keep_the_feed_summary(
    replay: ReplayServer, tmp_path: Path
) -> None:
    _serve(replay)
    result = _crawl(replay, tmp_path)

    gone = result.item("https://www.labiotech.eu/trends-news/dsm-firmenich-enzymes-sale/")  # 404
    assert gone["summary"].startswith("DSM-Firmenich agreed to sell its food enzymes unit")
    assert gone["extracted"] is False
    paywall = result.item(
        "https://www.labiotech.eu/trends-news/c-lecta-series-c/"
    )  # nothing to extract
    assert (
        paywall["summary"]
        == "The Leipzig enzyme specialist c-LEcta closed a EUR 20 million financing round"
        " to expand its fermentation capacity."
    )
    assert result.stats["scintel/news_feed_summary_kept"] == 1
    assert result.stats["scintel/news_article_failed"] == 1


def test_missing_dates_bad_encodings_and_broken_entries(
    replay: ReplayServer, tmp_path: Path
) -> None:
    _serve(replay)
    result = _crawl(replay, tmp_path)

    # no date in the feed: the page's date decides
    assert (
        result.item("https://www.labiotech.eu/opinion/biomanufacturing-act/")["published"]
        == "2026-11-20"
    )
    # a Windows-1252 feed declared as UTF-8 and an ISO-8859-1 page still read correctly
    german = result.item("https://biooekonomie.de/nachrichten/suedzucker-pilotanlage")
    assert german["title"] == "Südzucker startet Pilotanlage für Bio-Isobuten – 5 Mio. €"
    assert "Zuckerrübenschnitzel mit gentechnisch veränderten Bakterien" in german["summary"]
    assert german["language"] == "de"
    # the entry without title and link is rejected, the October round-up is outside the window
    assert [r["reason"] for r in result.rejected] == ["feed entry without a usable link or title"]
    assert result.stats["scintel/out_of_window"] == 1
    assert "https://www.labiotech.eu/trends-news/october-roundup/" not in result.ids()


def test_a_feed_that_is_not_a_feed_is_rejected_and_the_others_read(
    replay: ReplayServer, tmp_path: Path
) -> None:
    _serve(replay)
    replay.add(
        "/nbt.rss",
        Reply(200, b"<html><body><h1>502 Bad Gateway</h1>", {"Content-Type": "text/html"}),
    )
    result = _crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert any(r["reason"].startswith("not a feed") for r in result.rejected)
    assert NOVOZYMES in result.ids()
    assert not any("nature.com" in i for i in result.ids())


def test_429_then_200_on_a_feed(replay: ReplayServer, tmp_path: Path) -> None:
    _serve(replay)
    replay.add(
        "/nbt.rss", [Reply(429, b"", {"Retry-After": "1"}), Reply.file(FIXTURES / "nbt_feed.rdf")]
    )
    result = _crawl(replay, tmp_path)

    assert result.code == 0, result.log
    assert "https://www.nature.com/articles/s41587-026-02833-3" in result.ids()
    assert result.stats["retry/count"] == 1


def test_canonical_url() -> None:
    assert (
        _canonical_url("HTTPS://Example.COM:443/a/b?utm_source=x&id=7&fbclid=y#top")
        == "https://example.com/a/b?id=7"
    )
    assert _canonical_url("http://example.com") == "http://example.com/"


def test_each_outlet_gets_its_own_slot_and_delay_which_a_replay_can_scale_away() -> None:
    outlets = [
        {"name": "Slow", "feed": "https://slow.example/feed", "delay": 5},
        {"name": "Default", "feed": "https://default.example/feed"},
    ]
    spec = json.dumps({"outlets": outlets})
    delays = {}
    for scale in (None, "0"):
        crawler = Crawler(NewsSpider, {} if scale is None else {"NEWS_DELAY_SCALE": scale})
        NewsSpider.from_crawler(crawler, source_spec=spec, since="2026-11-19", until="2026-11-25")
        slots = crawler.settings.getdict("DOWNLOAD_SLOTS")
        delays[scale] = {name: slot["delay"] for name, slot in slots.items()}
        assert all(slot["concurrency"] == 1 for slot in slots.values())
    assert delays[None] == {"news:Slow": 5.0, "news:Default": 3.0}  # NewsSettings' default
    assert delays["0"] == {"news:Slow": 0.0, "news:Default": 0.0}


# --- hostile input (tests/spiders/hostile.py) ---------------------------------------------
# Feeds have no pages to follow: max_articles bounds an outlet, not a page cap.


def test_error_feeds_are_rejects_and_a_crawl_of_nothing_else_fails(
    replay: ReplayServer, tmp_path: Path
) -> None:
    """HTTP 200 with a web page, an empty body or a feed cut off before its first entry: each
    outlet is a page reject saying why, and with no outlet read the crawl fails so Airflow
    retries it (an empty body used to finish with 0 items and no reject)."""
    _serve(replay)
    replay.add("/feed/", Reply.file(PAGES / "clecta_paywall.html", headers=HTML))
    replay.add("/nbt.rss", Reply(200, b"", RSS))
    atom = {"Content-Type": "application/atom+xml"}
    replay.add("/feed/atom/", Reply.file(PAGES / "biobased_vanillin.html", headers=atom))
    replay.add("/rss.xml", truncated(Reply.file(FIXTURES / "biooekonomie_feed_cp1252.xml"), 0.3))
    result = _crawl(replay, tmp_path)

    assert_failed_with_reject(result, "not a feed")
    assert result.items == []
    assert sorted(r["reason"] for r in result.rejected) == [
        "feed is not well-formed XML: <unknown>:2:103: no element found; entries read: 0, "
        "any past the fault may be missing",
        "not a feed: no RSS, RDF or Atom document in the body "
        "(application/atom+xml; <unknown>:13:2: mismatched tag)",
        "not a feed: no RSS, RDF or Atom document in the body "
        "(text/html; charset=utf-8; <unknown>:4:86: mismatched tag)",
        "not a feed: the body is empty",
    ]


def test_a_feed_without_entries_is_a_quiet_week_not_an_error(
    replay: ReplayServer, tmp_path: Path
) -> None:
    """A well-formed feed with no entries, even one served as text/html, ends the crawl
    cleanly: nothing to retry."""
    rss = re.sub(rb"\s*<item>.*?</item>", b"", LABIOTECH_FEED.read_bytes(), flags=re.S)
    atom = (FIXTURES / "biobased_feed.atom").read_bytes()
    atom = re.sub(rb"\s*<entry>.*?</entry>", b"", atom, flags=re.S)
    assert b"<item>" not in rss and b"<entry>" not in atom
    replay.add("/feed/", Reply(200, rss, HTML))
    replay.add("/feed/atom/", Reply(200, atom, {"Content-Type": "application/atom+xml"}))
    result = _crawl(replay, tmp_path, outlets=[OUTLETS[0], OUTLETS[2]])

    assert result.code == 0, result.log
    assert result.items == [] and result.rejected == []


def test_a_malformed_entry_is_rejected_alone(replay: ReplayServer, tmp_path: Path) -> None:
    """A link whose port is no number used to end the feed's callback, and every entry after
    it was lost without a reject; a page's unusable rel=canonical used to lose its article."""
    _serve(replay)
    feed = LABIOTECH_FEED.read_bytes().replace(
        b"<link>/trends-news/evonik-rhamnolipids/</link>",
        b"<link>https://www.labiotech.eu:443x/trends-news/evonik-rhamnolipids/</link>",
    )
    page = (PAGES / "novozymes.html").read_bytes()
    page = page.replace(
        b"https://www.labiotech.eu/trends", b"https://www.labiotech.eu:99999/trends"
    )
    assert feed != LABIOTECH_FEED.read_bytes() and page != (PAGES / "novozymes.html").read_bytes()
    replay.add("/feed/", Reply(200, feed, RSS))
    replay.add("/trends-news/novozymes-kalundborg-enzyme-plant/", Reply(200, page, HTML))
    result = _crawl(replay, tmp_path, outlets=OUTLETS[:1])

    assert result.code == 0, result.log
    assert sorted(result.ids()) == [
        "https://www.labiotech.eu/opinion/biomanufacturing-act/",
        "https://www.labiotech.eu/trends-news/c-lecta-series-c/",
        "https://www.labiotech.eu/trends-news/dsm-firmenich-enzymes-sale/",
        NOVOZYMES,
    ]
    assert result.item(NOVOZYMES)["extracted"] is True  # the article URL stood in
    assert [r["reason"] for r in result.rejected] == [
        "malformed record: ValueError: Port could not be cast to integer value as 443x",
        "feed entry without a usable link or title",
    ]
    assert result.stats["scintel/out_of_window"] == 1  # the October round-up
    assert_accounted(result, received=7 - 1)


def test_a_truncated_feed_keeps_the_entries_before_the_cut_and_is_a_reject(
    replay: ReplayServer, tmp_path: Path
) -> None:
    _serve(replay)
    replay.add("/feed/", truncated(Reply.file(LABIOTECH_FEED, headers=RSS)))
    result = _crawl(replay, tmp_path, outlets=OUTLETS[:1])

    assert result.code == 0, result.log
    assert sorted(result.ids()) == [
        "https://www.labiotech.eu/trends-news/evonik-rhamnolipids/",
        NOVOZYMES,
    ]
    assert [r["reason"] for r in page_rejects(result)] == [
        "feed is not well-formed XML: <unknown>:36:63: unclosed CDATA section; "
        "entries read: 2, any past the fault may be missing"
    ]


def test_a_gzip_bomb_feed_is_a_reject_and_a_bombed_article_keeps_the_feed_summary(
    replay: ReplayServer, tmp_path: Path
) -> None:
    _serve(replay)
    replay.add("/nbt.rss", gzip_bomb("application/rss+xml"))
    replay.add("/trends-news/novozymes-kalundborg-enzyme-plant/", gzip_bomb("text/html"))
    result = _crawl(replay, tmp_path, settings=SMALL_MAXSIZE, outlets=OUTLETS[:2])

    assert result.code == 0, result.log
    assert not any("nature.com" in i for i in result.ids())
    [bomb] = page_rejects(result)
    assert bomb["reason"].startswith("download failed") and "nbt.rss" in bomb["url"]
    novozymes = result.item(NOVOZYMES)
    assert novozymes["extracted"] is False
    assert novozymes["summary"] == (
        "The Danish enzyme maker doubles its capacity for industrial biocatalysts."
    )


def test_a_redirect_loop_on_a_feed_is_a_reject_not_a_silent_end(
    replay: ReplayServer, tmp_path: Path
) -> None:
    replay.add("/nbt.rss", redirect("/nbt.rss?loop=1"))
    replay.add("/nbt.rss", redirect("/nbt.rss"), {"loop": "1"})
    result = _crawl(replay, tmp_path, outlets=OUTLETS[1:2])

    assert_failed_with_reject(result, "redirect loop")
    assert len(replay.requests) <= 6
