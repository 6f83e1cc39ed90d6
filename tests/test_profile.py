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
        "name: mine\ntitle: My field\nsources:\n  arxiv:\n    query: 'all:enzyme'\n", "utf-8"
    )
    profile = load_profile(str(tmp_path))
    assert profile.source("arxiv").param("query") == "all:enzyme"
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
