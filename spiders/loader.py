"""A spider loader that imports only the spider a crawl asks for.

Scrapy's SpiderLoader imports every spider module when a crawler process starts: a third
of each small crawl's CPU went to importing the spiders it did not run (the news spider's
article extraction alone costs half a second). A spider named `x` lives in
`scintel.spiders.spiders.x` by convention; a name that is not a module (medRxiv lives
beside bioRxiv) falls back to Scrapy's loader, which walks them all.
"""

from __future__ import annotations

import importlib
from typing import Any, Self

from scrapy import Spider
from scrapy.settings import BaseSettings
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.spider import iter_spider_classes


class NamedModuleLoader:
    def __init__(self, settings: BaseSettings) -> None:
        self.settings = settings
        self.packages: list[str] = settings.getlist("SPIDER_MODULES")
        self._all: SpiderLoader | None = None

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Self:
        return cls(settings)

    def _walk_all(self) -> SpiderLoader:
        if self._all is None:
            self._all = SpiderLoader.from_settings(self.settings)
        return self._all

    def load(self, spider_name: str) -> type[Spider]:
        for package in self.packages:
            try:
                module = importlib.import_module(f"{package}.{spider_name}")
            except ModuleNotFoundError:
                continue
            for cls in iter_spider_classes(module):
                if cls.name == spider_name:
                    return cls
        return self._walk_all().load(spider_name)

    def list(self) -> list[str]:
        return self._walk_all().list()

    def find_by_request(self, request: Any) -> list[str]:
        return self._walk_all().find_by_request(request)
