"""Watch profiles load by name or path and fail with one line naming the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from scintel.errors import ScintelError
from scintel.profile import load_profile
from tests.test_cli import scintel


def test_bundled_profile_loads_by_name() -> None:
    profile = load_profile("ket-biotech")
    assert profile.name == "ket-biotech"
    assert "Biotechnology" in profile.title
    assert profile.digest.recipients


def test_profile_loads_from_a_folder_and_resolves_files_there(tmp_path: Path) -> None:
    (tmp_path / "profile.yaml").write_text(
        "name: mine\ntitle: My field\nsources:\n  arxiv:\n    search_query: 'all:enzyme'\n", "utf-8"
    )
    profile = load_profile(str(tmp_path))
    assert profile.source("arxiv").param("search_query") == "all:enzyme"
    assert not profile.source("europepmc").enabled
    assert profile.path("topics.yaml") == (tmp_path / "topics.yaml").resolve()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: [unclosed\n", "invalid YAML at line"),
        ("- a\n- b\n", "a profile must be a YAML mapping"),
        ("name: Bad Name\ntitle: x\n", "name: String should match pattern"),
        ("name: ok\n", "title: Field required"),
        ("name: ok\ntitle: x\nsurprise: 1\n", "surprise: Extra inputs are not permitted"),
    ],
)
def test_invalid_profiles_name_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(ScintelError) as info:
        load_profile(str(path))
    assert info.value.setting == "SCINTEL_PROFILE"
    assert message in str(info.value)


def test_unknown_profile_via_cli_is_one_line(tmp_path: Path) -> None:
    result = scintel("--profile", "nonesuch", "profile", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert (
        "SCINTEL_PROFILE: no profile 'nonesuch'" in result.stderr and "ket-biotech" in result.stderr
    )


BUNDLED = (
    Path(__file__).resolve().parent.parent / "scintel" / "profiles" / "ket_biotech" / "profile.yaml"
)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("  europepmc:\n", "  europepmcc:\n", "sources.europepmcc: unknown source (known: arxiv,"),
        (
            "    page_size: 1000\n",
            "    page_sise: 1000\n",
            "sources.europepmc.page_sise: unknown key",
        ),
        (
            "    categories: [bioengineering,",
            "    categories: bioengineering\n    x: [",
            "sources.biorxiv.categories: Input should be a valid list",
        ),
        (
            "    stages: [pgpub, grant]",
            "    stages: [pgpub, granted]",
            "sources.uspto.stages.1: Input should be 'pgpub' or 'grant'",
        ),
    ],
)
def test_source_settings_are_checked_with_file_and_line(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    """A misspelt source or key, or a string for a list, used to turn a source off in silence."""
    text = BUNDLED.read_text("utf-8")
    assert old in text
    broken = text.replace(old, new, 1)
    (tmp_path / "profile.yaml").write_text(broken, "utf-8")
    line = broken[: broken.index(new.split(":")[0].strip() + ":")].count("\n") + 1
    with pytest.raises(ScintelError) as caught:
        load_profile(str(tmp_path))
    message = str(caught.value)
    assert f"profile.yaml:{line}: {expected}" in message, message
    assert "\n" not in message


def test_every_source_is_a_spider_with_its_kind_label_and_settings_model() -> None:
    """The spiders are the sources: each declares a known kind, a label and its own settings
    model, which is what the profile is checked with."""
    from scintel.kinds import KIND_KEYS
    from scintel.spiders.source_settings import SourceSettings, registered_sources

    spiders = registered_sources()
    assert {"europepmc", "epo_ops", "cordis", "news"} <= set(spiders)
    for name, spider in spiders.items():
        assert spider.kind in KIND_KEYS and spider.label, name
        assert issubclass(spider.settings_model, SourceSettings), name
        assert spider.settings_model is not SourceSettings, name
