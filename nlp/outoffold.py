"""The corpus's train and dev texts annotated out of fold: each fold with a dictionary
harvested from the texts outside it, as a fresh text would be.

The out-of-fold bench measures quality this way, and `scintel nlp context` learns from
what the enrichment finds this way (a harvest that has read a text flatters it).
"""

from __future__ import annotations

import random
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from scintel.nlp.annotate import annotate
from scintel.nlp.harvest import harvest_inputs, harvest_into
from scintel.nlp.pipeline import build_pipeline, load_resources
from scintel.profile import Profile, load_profile


def batch_of(record: dict) -> str:
    """The annotation batch a record came in: the tag of its first pass, else its id."""
    passes = record.get("passes") or []
    match = re.search(r"\(([a-z]+\d+[a-z]*)\)", passes[0]) if passes else None
    return match.group(1) if match else record["id"]


def split_folds(texts: list[dict], folds: int, seed: int, by_batch: bool) -> list[list[dict]]:
    """`folds` parts of the texts, shuffled with the seed; with `by_batch` each annotation
    batch (one theme) stays in one part, so no part's harvest has read its theme."""
    texts = list(texts)
    if not by_batch:
        random.Random(seed).shuffle(texts)
        return [texts[k::folds] for k in range(folds)]
    groups: dict[str, list[dict]] = {}
    for record in texts:
        groups.setdefault(batch_of(record), []).append(record)
    keys = sorted(groups)
    random.Random(seed).shuffle(keys)
    out: list[list[dict]] = [[] for _ in range(folds)]
    for key in sorted(keys, key=lambda k: -len(groups[k])):
        min(out, key=len).extend(groups[key])
    return out


def annotate_out_of_fold(
    texts: list[dict], profile: Profile, parts: list[list[dict]], n_process: int = 1
) -> Iterator[tuple[list[dict], list[dict]]]:
    """Each part's records and their annotations, read by the profile's pipeline with the
    harvest of the other parts' texts, without the term-context model (it has learnt from
    every corpus text; the bench applies one learnt without the part)."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "profile"
        shutil.copytree(profile.base_dir, copy)
        profile_file = str(copy / "profile.yaml")
        local = load_profile(profile_file)
        target, known, lexicon = harvest_inputs(local)
        modifiers = local.path(local.nlp.modifiers) if local.nlp.modifiers else None
        for part in parts:
            held_out = {r["id"] for r in part}
            learning = [r for r in texts if r["id"] not in held_out]
            harvest_into(learning, known, target, modifiers, lexicon)
            fresh = load_profile(profile_file)
            nlp_spec = fresh.nlp.model_copy(update={"context": None})
            resources = load_resources(fresh.model_copy(update={"nlp": nlp_spec}))
            nlp = build_pipeline(resources)
            yield part, list(annotate(nlp, resources, part, n_process=n_process))
