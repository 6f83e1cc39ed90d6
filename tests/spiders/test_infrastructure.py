"""Shared crawl machinery: base-URL rewriting, Retry-After, redaction, safe XML, replay."""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import UTC, datetime

import pytest

from scintel.replay import ReplayServer, Reply
from scintel.spiders.middlewares import rebase, redact, retry_after_seconds
from scintel.spiders.safexml import UnsafeXml, parse_xml
from scintel.spiders.text import strip_markup

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>&lol9;</title></feed>"""


def xxe(target: str) -> bytes:
    return f"""<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY xxe SYSTEM "{target}">]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>&xxe;</title></feed>""".encode()


def test_rebase_keeps_path_and_query_and_prefixes_a_mirror_path() -> None:
    live = "https://www.ebi.ac.uk/europepmc/webservices/rest/search?query=a%20b&cursorMark=*"
    assert rebase(live, "http://127.0.0.1:8081") == (
        "http://127.0.0.1:8081/europepmc/webservices/rest/search?query=a%20b&cursorMark=*"
    )
    assert rebase(live, "http://mirror.local/epmc/").startswith(
        "http://mirror.local/epmc/europepmc/webservices/rest/search?"
    )


def test_retry_after_in_seconds_or_http_date() -> None:
    now = datetime(2026, 1, 7, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds(b"120") == 120.0
    assert retry_after_seconds("Wed, 07 Jan 2026 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Wed, 07 Jan 2026 11:00:00 GMT", now) == 0.0
    assert retry_after_seconds(b"soon") is None and retry_after_seconds(None) is None


def test_redact_masks_credentials() -> None:
    url = "https://api.openalex.org/works?filter=x&api_key=s3cr3t&cursor=*"
    assert redact(url) == "https://api.openalex.org/works?filter=x&api_key=***&cursor=*"


def test_billion_laughs_is_refused_without_expanding(tmp_path) -> None:
    with pytest.raises(UnsafeXml):
        parse_xml(BILLION_LAUGHS)


def test_xxe_file_and_network_entities_are_refused(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    for target in (secret.as_uri(), "http://127.0.0.1:9/evil.dtd"):
        with pytest.raises(UnsafeXml):
            parse_xml(xxe(target))


def test_external_dtd_is_not_fetched(replay: ReplayServer) -> None:
    replay.add("/rss.dtd", Reply(200, b'<!ENTITY x "pwned">'))
    body = f"""<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "{replay.url}/rss.dtd"><rss><channel><title>ok</title></channel></rss>""".encode()
    root = parse_xml(body)
    assert root.findtext("channel/title") == "ok"
    assert replay.requests == []


def test_malformed_xml_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="not well-formed"):
        parse_xml(b"<feed><entry></feed>")


def test_strip_markup_joins_inline_and_separates_blocks() -> None:
    text = "<h4>Aim</h4>Raise k<sub>cat</sub> of <i>E. coli</i> &amp; yeast.<p>Done</p>"
    assert strip_markup(text) == "Aim Raise kcat of E. coli & yeast. Done"


def test_replay_sequences_query_matching_and_404(replay: ReplayServer) -> None:
    replay.add("/api/*", [Reply(429, b"slow down", {"Retry-After": "1"}), Reply.json({"ok": 1})])
    replay.add("/api/items", Reply.json({"page": 2}), {"page": "2"})

    def get(path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(replay.url + path) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    assert get("/api/items?page=1")[0] == 429
    assert get("/api/items?page=1") == (200, b'{"ok": 1}')
    assert get("/api/items?page=1") == (200, b'{"ok": 1}')  # the last reply repeats
    assert get("/api/items?page=2&x=y") == (200, b'{"page": 2}')  # most specific route
    assert get("/elsewhere")[0] == 404
    assert replay.requests[-1] == "/elsewhere"
