"""Sources are spiders: each spider class declares its name, kind, label, endpoint,
credentials and the model of the profile settings it accepts (a subclass of
SourceSettings), so a new source is its spider module, fixtures and test.
`registered_sources()` is the list, for the profile's checks and the digest's labels.

Unknown keys and wrong types are errors: a misspelt key no longer turns a source off in
silence.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

Words = list[str]
SPIDER_PACKAGE = "scintel.spiders.spiders"


class SourceSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)

    enabled: bool = True
    # Pages one query may take (else the crawl setting SCINTEL_MAX_PAGES_PER_QUERY).
    max_pages: int | None = Field(default=None, ge=1)


@cache
def registered_sources() -> dict[str, type[Any]]:
    """Every spider class by name: the one list of sources. Imports the spider modules
    (and Scrapy) on first use, so only the code that needs the list pays for it."""
    from scrapy.settings import Settings
    from scrapy.spiderloader import SpiderLoader

    loader = SpiderLoader.from_settings(Settings({"SPIDER_MODULES": [SPIDER_PACKAGE]}))
    return {name: loader.load(name) for name in sorted(loader.list())}


def source_label(slug: str) -> str:
    """The label of a source, or its name when it is no spider of this project."""
    spider = registered_sources().get(slug)
    return spider.label if spider is not None and spider.label else slug
