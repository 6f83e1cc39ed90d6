"""Precision and recall of entities and topics against a labelled evaluation set.

Entities are compared per document as sets of (label, folded surface text), so a
mention counts once however often it occurs; topics as sets of topic keys.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from scintel.nlp.normalise import generic_key

EVAL_LABELS = ("ORG", "GPE", "TECHNOLOGY", "ORGANISM", "PROGRAMME")


@dataclass(frozen=True)
class Example:
    id: str
    kind: str
    text: str
    entities: frozenset[tuple[str, str]]
    topics: frozenset[str]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    labels: dict[str, Score] = field(default_factory=dict)
    topics: Score = field(default_factory=Score)


def load_examples(path: Path) -> list[Example]:
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            data = json.loads(line)
            examples.append(
                Example(
                    data["id"],
                    data["kind"],
                    data["text"],
                    frozenset((label, generic_key(text)) for text, label in data["entities"]),
                    frozenset(data.get("topics", [])),
                )
            )
    return examples


def score(
    examples: list[Example],
    predicted: Iterable[tuple[set[tuple[str, str]], set[str] | None]],
    labels: Iterable[str] = EVAL_LABELS,
) -> Report:
    """Compare predicted (entities, topics) per example; topics None = not predicted."""
    wanted = tuple(labels)
    report = Report(labels={label: Score() for label in wanted})
    for example, (entities, topics) in zip(examples, predicted, strict=True):
        for label in wanted:
            gold = {e for e in example.entities if e[0] == label}
            found = {(lab, generic_key(text)) for lab, text in entities if lab == label}
            s = report.labels[label]
            s.tp += len(gold & found)
            s.fp += len(found - gold)
            s.fn += len(gold - found)
        if topics is not None:
            report.topics.tp += len(example.topics & topics)
            report.topics.fp += len(topics - example.topics)
            report.topics.fn += len(example.topics - topics)
    return report


def format_report(name: str, report: Report) -> list[str]:
    rows = [f"{name:<24} {'label':<12} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    items = list(report.labels.items())
    if report.topics.tp + report.topics.fp + report.topics.fn:
        items.append(("topics", report.topics))
    for label, s in items:
        rows.append(
            f"{'':<24} {label:<12} {s.precision:6.2f} {s.recall:6.2f} {s.f1:6.2f} "
            f"{s.tp:4d} {s.fp:4d} {s.fn:4d}"
        )
    return rows


Predictor = Callable[[list[str]], list[tuple[set[tuple[str, str]], set[str] | None]]]
