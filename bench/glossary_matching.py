"""Glossary matching speed: 5,000 terms over a batch of 2,000 segments.

    .venv/bin/python bench/glossary_matching.py [--runs 5]

Prints the best and median time of ``--runs`` passes; the goal is well under a second
for the batch (a pipeline batch holds up to IRIS_BATCH_SEGMENTS segments)."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from iris.glossary.matching import Matcher
from tests.glossary.glossary_workload import workload


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    entries, segments = workload()
    matcher = Matcher(entries, "en")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        found = sum(len(matcher.find(segment)) for segment in segments)
        times.append(time.perf_counter() - started)
    print(f"terms=5000 segments=2000 found={found}")
    print(f"best_s={min(times):.3f} median_s={statistics.median(times):.3f}")


if __name__ == "__main__":
    main()
