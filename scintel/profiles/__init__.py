"""Bundled watch profiles."""
