"""scintel: a science-intelligence pipeline for watching a technology field."""

__version__ = "0.1.0"
