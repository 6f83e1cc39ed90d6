"""DAG parse benchmark: how long Airflow takes to parse dags/, against empty DAG files.

    python bench/dag_parse.py [--rounds 7]

Airflow's DAG processor re-parses every file of dags/ every few seconds, so DAG files must
not import heavy modules at parse time. This parses dags/ with a DagBag (the same code
path the processor uses) and, in the same run, a folder of as many empty DAG files (the
floor: Airflow's own per-file cost), each `rounds` times after a warm-up, and prints the
median times and their ratio. It also runs one cold parse in a fresh interpreter (imports
included) and lists any heavy module a DAG file pulled in. Target: dags/ in < 2 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DAGS = Path(__file__).resolve().parent.parent / "dags"
HEAVY = ("scintel", "scrapy", "spacy", "sqlalchemy.orm", "matplotlib", "sklearn", "twisted")
LIGHT = {"scintel", "scintel.dag_factory"}  # what DAG files may import at parse time
EMPTY_DAG = '''"""An empty DAG: the baseline."""
from datetime import datetime
from airflow.sdk import dag


@dag(dag_id="empty", schedule=None, start_date=datetime(2026, 1, 1))
def empty():
    pass


empty()
'''
COLD = """
import sys, time
started = time.perf_counter()
from airflow.dag_processing.dagbag import DagBag
imported = time.perf_counter()
bag = DagBag(dag_folder=sys.argv[1])
parsed = time.perf_counter()
assert not bag.import_errors, bag.import_errors
print(f"{imported - started:.3f} {parsed - imported:.3f} {len(bag.dags)}")
"""


def parse(folder: Path) -> tuple[float, int, dict[str, str]]:
    from airflow.dag_processing.dagbag import DagBag

    started = time.perf_counter()
    bag = DagBag(dag_folder=str(folder))
    return time.perf_counter() - started, len(bag.dags), bag.import_errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        home, baseline = Path(tmp) / "airflow", Path(tmp) / "baseline"
        baseline.mkdir()
        count = len(list(DAGS.glob("*.py")))
        for n in range(count):  # as many empty DAG files as dags/ has files
            (baseline / f"empty_{n}.py").write_text(EMPTY_DAG.replace('"empty"', f'"empty_{n}"'))
        os.environ["AIRFLOW_HOME"] = str(home)  # no airflow.cfg written to the user's home
        os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"

        cold = (
            subprocess.run(
                [sys.executable, "-c", COLD, str(DAGS)], capture_output=True, text=True, check=True
            )
            .stdout.splitlines()[-1]
            .split()
        )

        parse(baseline)  # warm-up: Airflow's own imports
        loaded = set(sys.modules)
        empty, ours = [], []
        files = 0
        for _ in range(args.rounds):
            empty.append(parse(baseline)[0])
            seconds, files, errors = parse(DAGS)
            if errors:
                raise SystemExit(f"import errors: {errors}")
            ours.append(seconds)
        added = set(sys.modules) - loaded  # what the DAG files themselves pulled in
        heavy = sorted(m for m in added if m.startswith(HEAVY) and m not in LIGHT)

    base, mine = statistics.median(empty), statistics.median(ours)
    print(f"dags/: {files} DAGs")
    print(f"baseline, {count} empty DAG files: {base * 1000:7.1f} ms (median of {args.rounds})")
    print(f"dags/, {count} files:             {mine * 1000:7.1f} ms ({mine / base:.1f}x baseline)")
    print(
        f"cold, fresh interpreter:        {float(cold[1]) * 1000:7.1f} ms parse "
        f"after {float(cold[0]):.2f} s importing Airflow"
    )
    print(f"heavy modules imported while parsing: {', '.join(heavy) or 'none'}")
    print(f"target < 2 s for dags/: {'met' if mine < 2 and float(cold[1]) < 2 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
