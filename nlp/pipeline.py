"""The enrichment pipeline: statistical NER, then the profile's entity rules (which win
where they overlap), then topic-term and signal-cue counting and the dedup fingerprint,
all inside `nlp.pipe` so that `n_process` workers share every step."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.errors import MatchPatternError
from spacy.language import Language

from scintel.errors import ScintelError
from scintel.nlp import dedup as _dedup  # noqa: F401  (registers scintel_fingerprint)
from scintel.nlp import ruler as _ruler  # noqa: F401  (registers scintel_entity_ruler)
from scintel.nlp import signals as _signals  # noqa: F401  (registers scintel_signal_cues)
from scintel.nlp import topics as _topics  # noqa: F401  (registers scintel_topic_terms)
from scintel.nlp.datafiles import data_error
from scintel.nlp.harvest import load_modifiers
from scintel.nlp.model import load_ner, resolve_model
from scintel.nlp.money import RateTable, load_rates
from scintel.nlp.normalise import entity_key
from scintel.nlp.patterns import (
    EntitySpec,
    KnownEntity,
    known_entities,
    load_entity_specs,
    ruler_patterns,
)
from scintel.nlp.signals import SignalRules, load_signal_rules
from scintel.nlp.term_context import TermContext
from scintel.nlp.topic_model import TopicModel
from scintel.nlp.topics import Taxonomy, TopicScorer, load_taxonomy
from scintel.profile import NlpSpec, Profile

RULER = "profile_entities"
TERMS = "scintel_terms"
TERMS_MODEL = Path(__file__).resolve().parent / "models" / "terms"


@dataclass
class Resources:
    """Everything the profile says about enrichment, validated."""

    spec: NlpSpec
    entities: list[EntitySpec]
    taxonomy: Taxonomy
    rules: SignalRules
    rates: RateTable
    entity_files: list[Path] = field(default_factory=list)
    topic_model: TopicModel | None = None
    # Per label, the words kept before a name and those never kept (harvest.load_modifiers).
    modifiers: dict[str, tuple[frozenset[str], frozenset[str]]] = field(default_factory=dict)
    # Judges each place a corpus-marked chemical or technology is written (term_context.py).
    context: TermContext | None = None

    def __post_init__(self) -> None:
        self.known: dict[tuple[str, str], KnownEntity] = known_entities(self.entities)
        # (label, key of any alias) -> key of the profile entity it names.
        self.alias_keys: dict[tuple[str, str], str] = {}
        for entity in self.entities:
            for surface in entity.surfaces():
                self.alias_keys.setdefault(
                    (entity.label, entity_key(entity.label, surface)), entity.key
                )
        self.scorer = TopicScorer(self.taxonomy, self.topic_model)

    @property
    def profile_labels(self) -> set[str]:
        return {e.label for e in self.entities}


def load_resources(profile: Profile) -> Resources:
    """Read the entity, topic, signal and rate files that the profile names."""
    spec = profile.nlp
    if not spec.topics or not spec.signals or not spec.rates:
        missing = [n for n in ("topics", "signals", "rates") if not getattr(spec, n)]
        raise ScintelError(
            f"profile {profile.name}: nlp.{missing[0]} is not set", "SCINTEL_PROFILE"
        )
    files = [profile.path(p) for p in spec.entity_patterns]
    return Resources(
        spec=spec,
        entities=load_entity_specs(files),
        taxonomy=load_taxonomy(profile.path(spec.topics)),
        rules=load_signal_rules(profile.path(spec.signals)),
        rates=load_rates(profile.path(spec.rates)),
        entity_files=files,
        topic_model=TopicModel.load(profile.path(spec.topic_model)) if spec.topic_model else None,
        modifiers=load_modifiers(profile.path(spec.modifiers)) if spec.modifiers else {},
        context=TermContext.load(profile.path(spec.context)) if spec.context else None,
    )


def add_enrichment(nlp: Language, resources: Resources) -> Language:
    """Add the profile's components to a pipeline (the model's, or a blank one in tests)."""
    ruler = nlp.add_pipe("scintel_entity_ruler", name=RULER)
    for entity in resources.entities:
        try:
            ruler.add_patterns(ruler_patterns([entity]))
        except (MatchPatternError, ValueError) as exc:
            path, line = entity.origin
            reason = " ".join(str(exc).split())
            raise data_error(path, f"{entity.name!r}: bad token pattern: {reason}", line) from None
    terms = sorted({t for topic in resources.taxonomy.topics for t in topic.terms})
    nlp.add_pipe("scintel_topic_terms", config={"terms": terms})
    nlp.add_pipe("scintel_signal_cues", config={"cues": resources.rules.cue_lists()})
    nlp.add_pipe("scintel_fingerprint")
    return nlp


def add_trained_terms(nlp: Language, path: Path = TERMS_MODEL) -> Language:
    """The corpus-trained recogniser after the profile's rules (opt-in, `nlp.trained_terms`):
    it labels only what the model's NER and the rules left unlabelled (a recogniser keeps
    preset entities)."""
    if not (path / "config.cfg").is_file():
        raise ScintelError(
            f"the trained entity component is missing at {path}; run `scintel nlp train`",
            "nlp.trained_terms",
        )
    nlp.add_pipe("ner", name=TERMS, source=spacy.load(path), after=RULER)
    return nlp


def build_pipeline(resources: Resources, base: Language | None = None) -> Language:
    """The full pipeline: the profile's model (NER only) unless a base is given."""
    nlp = base if base is not None else load_ner(resolve_model(resources.spec.model))
    add_enrichment(nlp, resources)
    if resources.spec.trained_terms and base is None:
        add_trained_terms(nlp)
    return nlp
