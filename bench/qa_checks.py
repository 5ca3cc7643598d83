"""Per-segment QA speed: `iris.qa.checks.run_checks` over a generated document.

    .venv/bin/python bench/qa_checks.py [--pages 100] [--runs 7]

The segments are the translatable units of ``bench.docx_roundtrip.build_docx(pages)``,
each with its pseudo-translation as the target. Two configurations:

* ``pseudo``: what the pipeline runs for the pseudo engine (every check but
  ``language``, as `QaContext.of` leaves it), with ``tags`` skipped as `verify` does
  when the tags are valid;
* ``fr``: every check, target language French (the language check reads every long
  target). Its model is loaded before timing, and the identifier's memory of texts it
  has read is cleared before each run: in a job each target is read once.

Prints seconds per 1,000 segments, the median (and the best) of ``--runs`` runs, and
the issues found (the same before and after an optimisation).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iris.settings")
os.environ.setdefault("IRIS_SECRET_KEY", "bench-only-secret")

import django

django.setup()

from bench.docx_roundtrip import build_docx  # noqa: E402
from iris.docx import open_document, pseudo_translate  # noqa: E402
from iris.qa.checks import language, resolve_checks, run_checks  # noqa: E402


def segments(pages: int) -> list[tuple[str, str]]:
    document = open_document(build_docx(pages), source_lang="en")
    units = [unit for unit in document.units() if unit.translatable]
    return [(unit.source, pseudo_translate(unit.source)) for unit in units]


def timed(
    pairs: list[tuple[str, str]], options: dict[str, Any], runs: int
) -> tuple[float, float, int]:
    """Median and best seconds per 1,000 segments over ``runs`` runs, and the issues
    found (the best shows less of a busy machine's noise)."""
    forget: Callable[[], None] = getattr(language._classified, "cache_clear", lambda: None)
    times, found = [], 0
    for _ in range(runs):
        forget()
        started = time.perf_counter()
        found = sum(len(run_checks(source, target, **options)) for source, target in pairs)
        times.append(time.perf_counter() - started)
    scale = 1000 / len(pairs)
    return statistics.median(times) * scale, min(times) * scale, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    pairs = segments(args.pages)
    language.warm_language_model()
    configurations: dict[str, dict[str, Any]] = {
        "pseudo": {
            "source_lang": "en",
            "target_lang": "fr",
            "enabled": resolve_checks(None) - {"language"},
            "skip": {"tags"},
        },
        "fr": {"source_lang": "en", "target_lang": "fr"},
    }
    print(f"pages={args.pages} segments={len(pairs)} runs={args.runs}")
    for name, options in configurations.items():
        median, best, found = timed(pairs, options, args.runs)
        print(f"{name}: s_per_1000_segments={median:.4f} best={best:.4f} issues={found}")


if __name__ == "__main__":
    main()
