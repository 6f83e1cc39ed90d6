"""Watch profiles: the YAML a user writes to watch a field, validated on load.

A profile is a folder (or a single YAML file) holding `profile.yaml` plus the data
files it names (entity patterns, topics, aliases, rate tables), resolved relative
to the profile's folder.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from scintel.config import ENV_PROFILE
from scintel.errors import ScintelError
from scintel.spiders.source_settings import registered_sources

PROFILE_FILE = "profile.yaml"


class SourceSpec(BaseModel):
    """One source's settings in a profile; each spider reads the keys it knows."""

    model_config = ConfigDict(extra="allow")

    enabled: bool = True

    def param(self, name: str, default: Any = None) -> Any:
        return (self.model_extra or {}).get(name, default)


# The `impact:` section: which programmes to follow and how to link them.
class ClusterSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # None: about one cluster per four projects, at least two.
    n_clusters: int | None = Field(default=None, ge=1)
    # Share of the similarity that comes from shared participants (the rest is text).
    participant_weight: float = Field(default=0.3, ge=0, le=1)
    top_terms: int = Field(default=5, ge=1, le=20)
    candidates_per_cluster: int = Field(default=10, ge=0)
    candidate_min_similarity: float = Field(default=0.1, ge=0, le=1)


class ImpactSpec(BaseModel):
    """Monitored programmes, link rules and the analysts' curation folder."""

    model_config = ConfigDict(extra="forbid")

    # CORDIS legal-basis codes, matched as prefixes at dot boundaries
    # ("H2020-EU.2.1.4" matches "H2020-EU.2.1.4." and "H2020-EU.2.1.4.;H2020-EU.3.2.6.").
    programmes: list[str] = Field(default_factory=lambda: ["H2020-EU.2.1.4"])
    curation: str | None = None
    patent_years_after_end: int = Field(default=3, ge=0, le=20)
    patent_min_similarity: float = Field(default=0.15, ge=0, le=1)
    # A patent classified only outside these CPC classes (e.g. A01D harvesters) is off-topic
    # however many words it shares with a project; unclassified patents rely on the text.
    patent_cpc: list[str] = Field(
        default_factory=lambda: [
            "A01H",
            "A01N",
            "A23",
            "A61K",
            "A61L",
            "B09B",
            "C02F",
            "C05F",
            "C07",
            "C08",
            "C09",
            "C10L",
            "C11",
            "C12",
            "C13",
            "C14",
            "D01F",
            "D21C",
            "G16B",
        ]
    )
    news_min_similarity: float = Field(default=0.1, ge=0, le=1)
    # Follow-on funding: a later project starting this long after the earlier one started
    # (or after it ended); uptake: signals up to this many years after a project's end.
    follow_on_min_months: int = Field(default=12, ge=0, le=120)
    event_years_after_end: int = Field(default=5, ge=0, le=20)
    clusters: ClusterSpec = Field(default_factory=ClusterSpec)


class DigestSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = "Weekly intelligence digest"
    recipients: list[str] = Field(default_factory=list)
    sender: str = "scintel@localhost"


class NlpSpec(BaseModel):
    """Enrichment settings; the data files are validated by scintel.nlp when loaded."""

    model_config = ConfigDict(extra="forbid")

    model: str = "en_core_web_sm"
    entity_patterns: list[str] = Field(default_factory=list)
    topics: str | None = None
    signals: str | None = None
    rates: str | None = None
    # The corpus-trained topic classifier (`scintel nlp topics` writes it), mixed with the
    # taxonomy's term rules; without it the rules alone tag topics.
    topic_model: str | None = None
    # The words the corpus keeps before a chemical's or technology's name and those it
    # never keeps (`scintel nlp harvest` writes it); without it the rules alone decide.
    modifiers: str | None = None
    # PubChem's chemical names (`scintel nlp lexicon` writes it), which `scintel nlp harvest`
    # adds where the corpus does not write them or marks them as chemicals.
    lexicon: str | None = None
    # The term-context model (`scintel nlp context` writes it), which judges each place a
    # chemical or technology the corpus marks is written; without it the rules alone decide.
    context: str | None = None
    batch_size: int = Field(default=256, ge=1)
    n_process: int = Field(default=1, ge=1)
    # The trained entity component shipped with scintel (nlp/models/terms). Off by default:
    # beside the profile's dictionaries it added 3 right and 19 wrong spans on the dev split.
    trained_terms: bool = False
    keep_labels: list[str] = Field(
        default_factory=lambda: ["ORG", "GPE", "LOC", "PERSON", "PRODUCT"]
    )
    near_duplicate_threshold: float = Field(default=0.7, gt=0, le=1)
    dedup_window_days: int = Field(default=120, ge=1)


class Profile(BaseModel):
    """A validated watch profile."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str
    description: str = ""
    sources: dict[str, SourceSpec] = Field(default_factory=dict)
    digest: DigestSpec = Field(default_factory=DigestSpec)
    nlp: NlpSpec = Field(default_factory=NlpSpec)
    impact: ImpactSpec = Field(default_factory=ImpactSpec)
    base_dir: Path = Field(default=Path("."), exclude=True)

    def source(self, name: str) -> SourceSpec:
        """A source's settings; a source absent from the profile is disabled."""
        return self.sources.get(name, SourceSpec(enabled=False))

    def path(self, relative: str) -> Path:
        """A data file named by the profile, resolved against the profile folder."""
        return (self.base_dir / relative).resolve()


def bundled_profiles() -> dict[str, Path]:
    """Bundled profile names (folder names use '_', profile names may use '-')."""
    root = Path(str(resources.files("scintel.profiles")))
    return {
        entry.name.replace("_", "-"): entry
        for entry in sorted(root.iterdir())
        if (entry / PROFILE_FILE).is_file()
    }


def _locate(name_or_path: str) -> Path:
    candidate = Path(name_or_path).expanduser()
    if candidate.is_dir():
        candidate = candidate / PROFILE_FILE
    if candidate.is_file():
        return candidate
    bundled = bundled_profiles()
    if name_or_path in bundled:
        return bundled[name_or_path] / PROFILE_FILE
    known = ", ".join(sorted(bundled)) or "none"
    raise ScintelError(
        f"no profile {name_or_path!r}: not a YAML file or folder, not a bundled profile ({known})",
        ENV_PROFILE,
    )


def _line(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the YAML node at a validation error's location."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            found = next((v for k, v in node.value if k.value == str(part)), None)
            key = next((k for k, v in node.value if k.value == str(part)), None)
            if found is None:
                break
            line, node = key.start_mark.line + 1, found  # type: ignore[union-attr]
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _check_sources(data: dict[str, Any]) -> None:
    """Every source is a known spider with the keys and types its settings model accepts."""
    sources = data.get("sources") or {}
    if not isinstance(sources, dict):
        return
    for name, settings in sources.items():
        spider = registered_sources().get(str(name))
        if spider is None:
            known = ", ".join(registered_sources())
            raise _ProfileError(("sources", name), f"unknown source (known: {known})")
        model = spider.settings_model
        try:
            model.model_validate(settings or {})
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            message = first["msg"]
            if first["type"] == "extra_forbidden":
                allowed = ", ".join(sorted(model.model_fields))
                message = f"unknown key (this source takes: {allowed})"
            raise _ProfileError(("sources", name, *first["loc"]), message) from None


class _ProfileError(Exception):
    def __init__(self, loc: tuple[Any, ...], message: str) -> None:
        super().__init__(message)
        self.loc, self.message = loc, message


def load_profile(name_or_path: str) -> Profile:
    """Load and validate a profile by bundled name or path, with a one-line error."""
    path = _locate(name_or_path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1}" if where else ""
        raise ScintelError(f"{path}: invalid YAML{at}", ENV_PROFILE) from None
    if not isinstance(data, dict):
        raise ScintelError(f"{path}: a profile must be a YAML mapping", ENV_PROFILE)
    try:
        _check_sources(data)
        return Profile.model_validate(data | {"base_dir": path.parent})
    except _ProfileError as exc:
        loc, message, more = exc.loc, exc.message, ""
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        loc, message = tuple(first["loc"]), first["msg"]
        more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    line = _line(yaml.compose(path.read_text(encoding="utf-8")), loc)
    where = ".".join(str(p) for p in loc)
    raise ScintelError(
        f"{path}:{line}: {where}: {message}{more}" if line else f"{path}: {where}: {message}{more}",
        ENV_PROFILE,
    )
