"""Training the `scintel_terms` entity recogniser from the annotated corpus.

The statistical model of the stack has no CHEMICAL, TECHNOLOGY, ORGANISM or PROGRAMME
label; this small component learns them from the corpus's train split (the dev split
picks the best checkpoint; test is never read). It runs after the model's NER and the
profile's rules and only labels tokens they left unlabelled. Reproducible with
`scintel nlp train`; the result ships in the package (nlp/models/terms).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import spacy
from spacy.tokens import DocBin
from spacy.util import filter_spans

from scintel.nlp.corpus import CORPUS_DIR, load_split

log = logging.getLogger(__name__)

TRAINED_LABELS = ("CHEMICAL", "TECHNOLOGY", "ORGANISM", "PROGRAMME")
HERE = Path(__file__).resolve().parent
MODEL_DIR = HERE / "models" / "terms"
CONFIG = HERE / "terms.cfg"


def docbin(records: Iterable[dict[str, Any]], labels: Iterable[str] = TRAINED_LABELS) -> DocBin:
    """Gold docs of the corpus with only `labels` as entities."""
    wanted = set(labels)
    nlp = spacy.blank("en")
    bin_ = DocBin()
    for record in records:
        doc = nlp.make_doc(record["text"])
        spans = []
        for entity in record["entities"]:
            if entity["label"] in wanted:
                span = doc.char_span(
                    entity["start"], entity["end"], entity["label"], alignment_mode="expand"
                )
                if span is not None:
                    spans.append(span)
        doc.ents = filter_spans(spans)
        bin_.add(doc)
    return bin_


def train(out: Path = MODEL_DIR, seed: int = 1, corpus: Path | None = None) -> dict[str, float]:
    """Train on train, keep the best on dev, save the NER with its own embedding layer."""
    from spacy.cli.train import train as spacy_train

    splits = {name: load_split(name, corpus or CORPUS_DIR) for name in ("train", "dev")}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, records in splits.items():
            docbin(records).to_disk(work / f"{name}.spacy")
        spacy_train(
            CONFIG,
            work / "output",
            overrides={
                "paths.train": str(work / "train.spacy"),
                "paths.dev": str(work / "dev.spacy"),
                "system.seed": seed,
            },
        )
        best = spacy.load(work / "output" / "model-best")
        best.replace_listeners("tok2vec", "ner", ["model.tok2vec"])
        best.remove_pipe("tok2vec")
        scores = {
            k: float(v) for k, v in best.meta.get("performance", {}).items() if isinstance(v, float)
        }
        if out.exists():
            shutil.rmtree(out)
        for name in ("train", "dev"):  # the temporary folder is gone once this returns
            best.config["paths"][name] = None
        best.meta["name"] = "scintel_terms"
        best.meta["description"] = "CHEMICAL, TECHNOLOGY, ORGANISM, PROGRAMME from scintel's corpus"
        best.to_disk(out)
    log.info("scintel_terms saved to %s: %s", out, scores)
    return scores
