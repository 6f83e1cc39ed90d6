"""The digest as a reader sees it: rendered by headless Chromium in a 600 px viewport."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import Engine

from scintel.config import Settings
from scintel.digest import build_digest
from tests.chromium import Chromium, find_chromium
from tests.digest_warehouse import WEEK, populate

pytestmark = pytest.mark.e2e

INSPECT = """(() => {
  const doc = document.documentElement;
  const shown = el => {
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden'
      && style.display !== 'none' && box.right <= doc.clientWidth + 0.5;
  };
  return {
    headings: [...document.querySelectorAll('h2[data-section]')].map(h => (
      {id: h.dataset.section, text: h.textContent.trim(), shown: shown(h)})),
    images: [...document.images].map(img => ({alt: img.alt, complete: img.complete,
      natural: img.naturalWidth, width: img.getBoundingClientRect().width, shown: shown(img)})),
    scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth,
    overflowing: [...document.body.querySelectorAll('*')]
      .filter(el => el.getBoundingClientRect().right > doc.clientWidth + 0.5)
      .map(el => el.tagName + ': ' + (el.textContent || '').trim().slice(0, 60)),
    scripts: document.scripts.length,
  };
})()"""


@pytest.fixture
def chromium(tmp_path: Path):
    binary = find_chromium()
    if binary is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    with Chromium(binary, tmp_path / "chromium-profile") as browser:
        yield browser


def test_digest_renders_in_a_600px_viewport(
    chromium: Chromium, sqlite_warehouse: Engine, tmp_path: Path
) -> None:
    populate(sqlite_warehouse)
    settings = Settings(sqlite_warehouse.url, tmp_path / "var", "ket-biotech")
    result = build_digest(settings, week=WEEK, out_dir=tmp_path / "digest")

    chromium.open(result.html_path.as_uri(), width=600)
    page = chromium.evaluate(INSPECT)
    shot = chromium.screenshot(tmp_path / "digest" / "digest-600px.png")

    assert [h["id"] for h in page["headings"]] == result.sections
    assert all(h["shown"] for h in page["headings"]), page["headings"]
    assert "Market signals" in [h["text"] for h in page["headings"]]
    assert len(page["images"]) == 2
    for image in page["images"]:
        assert image["complete"] and image["natural"] == 1120 and image["shown"], image
        assert 500 <= image["width"] <= 560 and image["alt"].startswith(("Bar chart", "Line chart"))
    assert page["scrollWidth"] <= page["clientWidth"] == 600, page["overflowing"]
    assert page["overflowing"] == []
    assert page["scripts"] == 0
    # Nothing remote: the page and its inline chart images are the only requests.
    assert chromium.requests[0] == result.html_path.as_uri()
    assert all(u.startswith("data:image/png;base64,") for u in chromium.requests[1:])
    with Image.open(shot) as image:
        assert image.width == 600 and image.height > 2000
