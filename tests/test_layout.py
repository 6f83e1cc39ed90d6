"""The checkout itself resolves every `scintel.*` package, as mypy and IDEs read it."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_is_a_folder_of_the_checkout_under_its_dotted_name() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    assert "package-dir" not in config  # no install-time mapping that only an import hook knows
    for package in config["packages"]:
        folder = ROOT.joinpath(*package.split("."))
        assert folder.is_dir(), package
        assert any(folder.glob("*.py")), package
    for name, target in {
        "storage": "storage",
        "nlp": "nlp",
        "spiders": "spiders",
        "migrations": "alembic",
    }.items():
        link = ROOT / "scintel" / name
        assert link.is_symlink() and link.resolve() == (ROOT / target).resolve(), name


def test_the_kind_registry_is_what_items_rows_and_the_corpus_use() -> None:
    """One list of document kinds (scintel/kinds.py): the item schema, the row builder and
    the corpus cover exactly its kinds, so a new kind cannot be half-added."""
    from typing import get_args

    from scintel.kinds import KIND_KEYS
    from scintel.nlp.corpus import KINDS as CORPUS_KINDS
    from scintel.pipeline import KINDS as GROUPS
    from scintel.storage.items import Item
    from scintel.storage.rows import DETAILS

    union = get_args(get_args(Item)[0])
    schema = {get_args(cls.model_fields["kind"].annotation)[0] for cls in union}
    assert schema == set(KIND_KEYS) == set(DETAILS) == set(CORPUS_KINDS) == set(GROUPS.values())
