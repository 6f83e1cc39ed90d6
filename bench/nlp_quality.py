"""Entity and topic quality: the enrichment pipeline vs the bare model's NER.

    python bench/nlp_quality.py [--eval-set tests/fixtures/nlp/eval_set.jsonl]

Prints precision, recall and F1 per label on the labelled evaluation set for the
enrichment pipeline (model NER + profile entity rules, normalised mentions, topic
scores) next to the bare `en_core_web_sm` NER on the same texts. The bare model
has no TECHNOLOGY, ORGANISM or PROGRAMME labels, so its recall there is zero.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from scintel.nlp.analysis import analyse
from scintel.nlp.evaluate import format_report, load_examples, score
from scintel.nlp.model import load_ner, resolve_model
from scintel.nlp.pipeline import build_pipeline, load_resources
from scintel.profile import load_profile

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-set", type=Path, default=ROOT / "tests/fixtures/nlp/eval_set.jsonl")
    parser.add_argument("--profile", default="ket-biotech")
    args = parser.parse_args()
    examples = load_examples(args.eval_set)
    resources = load_resources(load_profile(args.profile))
    model = resolve_model(resources.spec.model)
    nlp = build_pipeline(resources)
    enriched = [
        (
            {(m.label, m.text) for m in a.mentions},
            {t.key for t in resources.scorer.score(a.term_counts)},
        )
        for a in analyse(nlp, resources, [(e.text, e.id) for e in examples])
    ]
    bare_nlp = load_ner(model)
    bare = [
        ({(e.label_, e.text) for e in doc.ents}, None)
        for doc in bare_nlp.pipe(e.text for e in examples)
    ]
    print(f"{len(examples)} texts, model {model} {bare_nlp.meta.get('version')}")
    print("\n".join(format_report("enrichment pipeline", score(examples, enriched))))
    print("\n".join(format_report(f"bare {model} NER", score(examples, bare))))


if __name__ == "__main__":
    main()
