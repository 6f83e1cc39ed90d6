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
