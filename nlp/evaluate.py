"""Quality against the annotated corpus: strict and lenient spans per label, topics, signals.

Strict: a predicted span counts only with the gold start, end and label. Lenient: it
counts when it overlaps a gold span of the same label (each gold span matched once).
Topics are compared as sets of keys per text; the primary signal by its type.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from scintel.nlp.corpus import LABELS


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + fp, self.fn + fn

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
    """Scores of one system on one set of texts."""

    texts: int = 0
    strict: dict[str, Score] = field(default_factory=lambda: {label: Score() for label in LABELS})
    lenient: dict[str, Score] = field(default_factory=lambda: {label: Score() for label in LABELS})
    topics: Score = field(default_factory=Score)
    signals: int = 0
    signals_right: int = 0
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)

    def micro(self, which: str = "strict", labels: Iterable[str] = LABELS) -> Score:
        total = Score()
        for label in labels:
            s = getattr(self, which)[label]
            total.add(s.tp, s.fp, s.fn)
        return total

    @property
    def signal_accuracy(self) -> float:
        return self.signals_right / self.signals if self.signals else 0.0


Span = tuple[int, int, str]


def _lenient(gold: set[Span], predicted: set[Span], label: str) -> tuple[int, int, int]:
    golds = sorted(g for g in gold if g[2] == label)
    preds = sorted(p for p in predicted if p[2] == label)
    used: set[Span] = set()
    tp = 0
    for p in preds:
        hit = next((g for g in golds if g not in used and g[0] < p[1] and p[0] < g[1]), None)
        if hit:
            used.add(hit)
            tp += 1
    return tp, len(preds) - tp, len(golds) - len(used)


def score_one(report: Report, gold: dict, predicted: dict) -> None:
    """Add one text's comparison; `predicted` has entities, and topics/signal if predicted."""
    report.texts += 1
    g = {(e["start"], e["end"], e["label"]) for e in gold["entities"]}
    p = {(e["start"], e["end"], e["label"]) for e in predicted.get("entities", [])}
    for label in LABELS:
        gl, pl = {s for s in g if s[2] == label}, {s for s in p if s[2] == label}
        report.strict[label].add(len(gl & pl), len(pl - gl), len(gl - pl))
        report.lenient[label].add(*_lenient(g, p, label))
    if "topics" in predicted:
        gt, pt = set(gold.get("topics", [])), set(predicted["topics"])
        report.topics.add(len(gt & pt), len(pt - gt), len(gt - pt))
    if predicted.get("signal"):
        want, got = gold["signal"]["type"], predicted["signal"]["type"]
        report.signals += 1
        report.signals_right += want == got
        report.confusion[(want, got)] = report.confusion.get((want, got), 0) + 1


def evaluate(gold: Sequence[dict], predicted: Sequence[dict]) -> dict[str, Report]:
    """Reports for all texts ('all') and per document kind."""
    reports: dict[str, Report] = {"all": Report()}
    for g, p in zip(gold, predicted, strict=True):
        if g["id"] != p.get("id", g["id"]):
            raise ValueError(f"prediction for {p.get('id')!r} compared with {g['id']!r}")
        score_one(reports["all"], g, p)
        score_one(reports.setdefault(g["kind"], Report()), g, p)
    return reports


def format_report(title: str, report: Report, labels: Iterable[str] = LABELS) -> list[str]:
    lines = [
        f"{title}: {report.texts} texts",
        f"  {'label':<11} {'strict P':>8} {'R':>6} {'F1':>6}   {'lenient F1':>10}  {'gold':>5}",
    ]
    for label in [*labels, "micro"]:
        s = report.micro() if label == "micro" else report.strict[label]
        lenient = report.micro("lenient") if label == "micro" else report.lenient[label]
        lines.append(
            f"  {label:<11} {s.precision:8.2f} {s.recall:6.2f} {s.f1:6.2f}   {lenient.f1:10.2f}"
            f"  {s.tp + s.fn:5d}"
        )
    if report.topics.tp + report.topics.fp + report.topics.fn:
        t = report.topics
        lines.append(f"  topics      {t.precision:8.2f} {t.recall:6.2f} {t.f1:6.2f}")
    if report.signals:
        lines.append(
            f"  primary signal accuracy {report.signal_accuracy:.2f} "
            f"({report.signals_right} of {report.signals})"
        )
    return lines
