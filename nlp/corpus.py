"""The annotated corpus of real texts: its record format, span resolution and checks.

Annotators write entities as surface strings (`[surface, label]`, optionally with the
1-based occurrences meant); `resolve` turns them into character offsets into the exact
text, labelling every whole-word occurrence unless a longer span already covers it.
The stored corpus holds offsets only. Runs standalone (stdlib only) so annotators can
use it without the enrichment code:

    python nlp/corpus.py resolve IN.jsonl OUT.jsonl   # surfaces -> offsets, then check
    python nlp/corpus.py check FILE.jsonl             # validate a resolved file
    python nlp/corpus.py show FILE.jsonl [ID]         # text with [spans|LABEL] inline
    python nlp/corpus.py unresolve IN.jsonl OUT.jsonl # offsets -> surfaces, to edit by hand
    python nlp/corpus.py merge BATCH.jsonl SEED       # a reviewed batch into train and dev
"""

from __future__ import annotations

import itertools
import json
import random
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from scintel.errors import ScintelError
from scintel.kinds import KIND_KEYS
from scintel.nlp.places import AP_STATES

LABELS = ("ORG", "GPE", "PERSON", "MONEY", "TECHNOLOGY", "ORGANISM", "PROGRAMME", "CHEMICAL")
KINDS = KIND_KEYS  # the corpus covers every document kind
SIGNAL_TYPES = (
    "funding_call",
    "funding_round",
    "acquisition",
    "partnership",
    "facility_opening",
    "regulatory_approval",
    "none",
)
TOPICS = (
    "enzymes_biocatalysis",
    "synbio_metabolic_engineering",
    "bioprocessing_fermentation",
    "biorefineries_biobased_chemicals",
    "biopolymers_biomaterials",
    "omics_bioinformatics",
    "cell_free_systems",
    "agrifood_biotech",
    "marine_biotech",
    "health_biotech",
    "environmental_biotech",
)
REQUIRED = ("id", "kind", "text", "url", "reference", "licence", "licence_evidence")
SPLITS = ("train", "dev", "test")
# The splits the enrichment learns from (the harvested terms, the topic classifier); the
# test split only ever reports.
LEARNING_SPLITS = ("train", "dev")
CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
_WORD = re.compile(r"\w")


class CorpusError(ScintelError, ValueError):
    """A record that does not follow the corpus format or the annotation guide (the CLI
    prints it as one line)."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str
    text: str


def _occurrences(text: str, surface: str) -> Iterator[tuple[int, int]]:
    """Whole-word occurrences: no word character glued on either side."""
    start = text.find(surface)
    while start >= 0:
        end = start + len(surface)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        glued = (_WORD.match(surface[0]) and _WORD.match(before)) or (
            _WORD.match(surface[-1]) and _WORD.match(after)
        )
        if not glued:
            yield start, end
        start = text.find(surface, start + 1)


def resolve_spans(text: str, entries: Iterable[list]) -> list[Span]:
    """Offsets for `[surface, label]` or `[surface, label, [occurrence numbers]]` entries.

    Longer surfaces are placed first, so a shorter one inside a longer span is not
    labelled again ("Novozymes" inside "Novozymes A/S").
    """
    wanted = []
    for entry in entries:
        if not isinstance(entry, list) or len(entry) not in (2, 3):
            raise CorpusError(
                f"entity entry must be [surface, label] or [surface, label, [n, ...]]: {entry!r}"
            )
        surface, label = entry[0], entry[1]
        only = set(entry[2]) if len(entry) == 3 else None
        if label not in LABELS:
            raise CorpusError(f"unknown label {label!r} for {surface!r}")
        found = list(_occurrences(text, surface))
        if not found:
            raise CorpusError(f"{surface!r} ({label}) does not occur as a whole word in the text")
        if only is not None and (not only or max(only) > len(found) or min(only) < 1):
            raise CorpusError(
                f"{surface!r} occurs {len(found)} times; occurrences {sorted(only)} do not exist"
            )
        wanted.append(
            (surface, label, [o for n, o in enumerate(found, 1) if only is None or n in only])
        )
    spans: list[Span] = []
    for surface, label, places in sorted(wanted, key=lambda w: -len(w[0])):
        covering = []
        for start, end in places:
            clash = [s for s in spans if s.start < end and start < s.end]
            if any(s.start <= start and end <= s.end for s in clash):
                covering.append(clash[0].text)
                continue
            if clash:
                raise CorpusError(
                    f"{surface!r} ({label}) at {start} crosses {clash[0].text!r} ({clash[0].label})"
                )
            spans.append(Span(start, end, label, surface))
        if covering and len(covering) == len(places):
            # an entry that labels nothing was meant for an occurrence outside the longer span
            raise CorpusError(
                f"{surface!r} ({label}): every occurrence listed lies inside a longer span "
                f"({covering[0]!r}); the numbers count those too, so list the free ones"
            )
    return sorted(spans, key=lambda s: (s.start, s.end))


def _abbreviation(text: str) -> bool:
    """A final full stop that belongs to the span: `Inc.`, `D.C.`, `U.S.`, `Paul E.`, `spp.`,
    a U.S. state's AP abbreviation (`Wash.`, `Calif.`)."""
    last = text.split()[-1]
    return (
        "." in last[:-1]
        or len(last) <= 4
        or last.rstrip(".") in {"Corp", "Bros", "Assoc", *AP_STATES}
    )


def _span_problems(text: str, span: Span) -> list[str]:
    problems = []
    if text[span.start : span.end] != span.text:
        problems.append(
            f"span {span.start}-{span.end} reads {text[span.start : span.end]!r}, not {span.text!r}"
        )
    if span.text != span.text.strip():
        problems.append(f"{span.text!r} has surrounding whitespace")
    if re.match(r"(?i)(the|a|an)\s", span.text) and span.label not in ("CHEMICAL", "TECHNOLOGY"):
        problems.append(f"{span.text!r} keeps a leading article")
    if span.text.endswith(("'s", "\u2019s")):
        problems.append(f"{span.text!r} keeps a possessive")
    elif (span.text[-1] in ",;:)" and "(" not in span.text) or (
        span.text[-1] == "." and not _abbreviation(span.text)
    ):
        problems.append(f"{span.text!r} keeps trailing punctuation")
    return problems


def check_record(record: dict) -> list[str]:
    """Everything wrong with one resolved record, as readable lines."""
    problems = [f"missing field {name!r}" for name in REQUIRED if not record.get(name)]
    if record.get("kind") not in KINDS:
        problems.append(f"kind {record.get('kind')!r} is not one of {KINDS}")
    text = record.get("text", "")
    spans = []
    for raw in record.get("entities", []):
        try:
            span = Span(raw["start"], raw["end"], raw["label"], raw["text"])
        except (KeyError, TypeError):
            problems.append(f"entity {raw!r} is not {{start, end, label, text}}")
            continue
        if span.label not in LABELS:
            problems.append(f"unknown label {span.label!r}")
        problems += _span_problems(text, span)
        spans.append(span)
    spans.sort(key=lambda s: (s.start, s.end))
    problems += [
        f"{a.text!r} overlaps {b.text!r}" for a, b in itertools.pairwise(spans) if b.start < a.end
    ]
    problems += [f"unknown topic {t!r}" for t in record.get("topics", []) if t not in TOPICS]
    signal = record.get("signal")
    if not isinstance(signal, dict) or signal.get("type") not in SIGNAL_TYPES:
        problems.append(f"signal must be an object with a type in {SIGNAL_TYPES}: {signal!r}")
    else:
        orgs = {s.text for s in spans if s.label == "ORG"}
        problems += [
            f"signal party {p!r} is not an ORG span"
            for p in signal.get("parties", [])
            if p not in orgs
        ]
        money = {s.text for s in spans if s.label == "MONEY"}
        if signal.get("amount") and signal["amount"] not in money:
            problems.append(f"signal amount {signal['amount']!r} is not a MONEY span")
    return problems


def resolve_record(record: dict) -> dict:
    """A record whose entities are surfaces, with offsets instead."""
    out = dict(record)
    out["entities"] = [
        s.__dict__ for s in resolve_spans(record["text"], record.get("entities", []))
    ]
    return out


def unresolve_record(record: dict) -> dict:
    """The authoring form of a resolved record: surfaces with explicit occurrence numbers."""
    grouped: dict[tuple[str, str], list[int]] = {}
    for span in record.get("entities", []):
        places = [start for start, _ in _occurrences(record["text"], span["text"])]
        grouped.setdefault((span["text"], span["label"]), []).append(
            places.index(span["start"]) + 1
        )
    out = dict(record)
    out["entities"] = [
        [surface, label, sorted(numbers)] for (surface, label), numbers in grouped.items()
    ]
    return out


def read_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        raise CorpusError(f"{path}: no such corpus file")
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{path}:{number}: not JSON: {exc.msg}") from None
    return records


def load_split(split: str, directory: Path = CORPUS_DIR) -> list[dict]:
    """One frozen split of the corpus, checked."""
    if split not in SPLITS:
        raise CorpusError(f"unknown split {split!r}; one of {SPLITS}")
    records = read_jsonl(directory / f"{split}.jsonl")
    for record in records:
        problems = check_record(record)
        if problems:
            raise CorpusError(f"{split}.jsonl {record.get('id')}: {problems[0]}")
    return records


def load_learning(directory: Path = CORPUS_DIR) -> list[dict]:
    """The texts the enrichment learns from: train, then dev."""
    return [r for split in LEARNING_SPLITS for r in load_split(split, directory)]


# A batch's share that goes to train (the harvest and the topic classifier learn there);
# the rest goes to dev. The test split is frozen and never grows.
TRAIN_SHARE = 2 / 3
# A text sharing this much of its 5-word shingles with a corpus text is a copy of it.
COPY_SHARE = 0.5


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}


def duplicate_of(record: dict, corpus: list[dict]) -> str | None:
    """Why a record is already in the corpus (same id, URL, title or text), or None."""
    shingles = _shingles(record["text"])
    for other in corpus:
        if other["id"] == record["id"]:
            return f"same id as {other['id']}"
        if other.get("url") and other.get("url") == record.get("url"):
            return f"same URL as {other['id']}"
        title = (record.get("title") or "").casefold()
        if title and title == (other.get("title") or "").casefold():
            return f"same title as {other['id']}"
        if shingles and len(shingles & _shingles(other["text"])) / len(shingles) >= COPY_SHARE:
            return f"copies the text of {other['id']}"
    return None


def split_batch(records: list[dict], seed: int) -> tuple[list[dict], list[dict]]:
    """Train and dev parts of a batch, by kind: each kind gives TRAIN_SHARE of its texts
    (rounded down) to train, and kinds drawn with the seed give the rest of the batch's
    train quota."""
    rng = random.Random(seed)
    by_kind: dict[str, list[dict]] = {}
    for record in sorted(records, key=lambda r: r["id"]):
        by_kind.setdefault(record["kind"], []).append(record)
    for group in by_kind.values():
        rng.shuffle(group)
    taken = {kind: int(len(group) * TRAIN_SHARE) for kind, group in by_kind.items()}
    spare = round(len(records) * TRAIN_SHARE) - sum(taken.values())
    kinds = [k for k in sorted(by_kind) if taken[k] < len(by_kind[k])]
    rng.shuffle(kinds)
    for kind in kinds[:spare]:
        taken[kind] += 1
    train = [r for kind, group in by_kind.items() for r in group[: taken[kind]]]
    dev = [r for kind, group in by_kind.items() for r in group[taken[kind] :]]
    return train, dev


def merge(batch: list[dict], seed: int, directory: Path = CORPUS_DIR) -> list[str]:
    """Append a reviewed batch to train and dev; returns one line per record rejected
    (format problems, copies of corpus texts), which stay out."""
    corpus = [r for split in SPLITS for r in read_jsonl(directory / f"{split}.jsonl")]
    kept, rejected = [], []
    for record in batch:
        reason = next(iter(check_record(record)), None) or duplicate_of(record, corpus + kept)
        if reason:
            rejected.append(f"{record.get('id')}: {reason}")
        else:
            kept.append(record)
    for split, records in zip(("train", "dev"), split_batch(kept, seed), strict=True):
        with (directory / f"{split}.jsonl").open("a", encoding="utf-8") as out:
            out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    return rejected


def show(record: dict) -> str:
    text, out, last = record["text"], [], 0
    for span in sorted(record["entities"], key=lambda s: s["start"]):
        out += [
            text[last : span["start"]],
            f"[{text[span['start'] : span['end']]}|{span['label']}]",
        ]
        last = span["end"]
    out.append(text[last:])
    meta = f"{record['id']} ({record['kind']}) topics={record.get('topics')} signal={record.get('signal')}"
    return meta + "\n" + "".join(out)


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("resolve", "check", "show", "unresolve", "merge"):
        print(__doc__, file=sys.stderr)
        return 2
    command, path = argv[0], Path(argv[1])
    try:
        records = read_jsonl(path)
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if command == "merge":
        if len(argv) < 3 or not argv[2].isdigit():
            print("error: merge needs a seed (an integer)", file=sys.stderr)
            return 2
        rejected = merge(records, int(argv[2]))
        for line in rejected:
            print(f"rejected {line}", file=sys.stderr)
        print(f"{len(records) - len(rejected)} records merged, {len(rejected)} rejected")
        return 1 if rejected else 0
    failed = 0
    if command == "resolve":
        resolved = []
        for record in records:
            try:
                resolved.append(resolve_record(record))
            except CorpusError as exc:
                failed += 1
                print(f"{record.get('id')}: {exc}", file=sys.stderr)
        if len(argv) > 2:
            Path(argv[2]).write_text(
                "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in resolved),
                encoding="utf-8",
            )
        records = resolved
    if command == "unresolve":
        out = [unresolve_record(r) for r in records]
        Path(argv[2]).write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out), encoding="utf-8"
        )
        print(f"{len(out)} records")
        return 0
    if command == "show":
        for record in records:
            if len(argv) < 3 or record["id"] == argv[2]:
                print(show(record), end="\n\n")
        return 0
    for record in records:
        for problem in check_record(record):
            failed += 1
            print(f"{record.get('id')}: {problem}", file=sys.stderr)
    print(f"{len(records)} records, {failed} problems")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
