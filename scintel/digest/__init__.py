"""The weekly digest for intelligence officers: queries, charts, rendering, delivery."""

from scintel.digest.build import DigestResult, build_digest

__all__ = ["DigestResult", "build_digest"]
