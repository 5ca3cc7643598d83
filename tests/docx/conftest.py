"""Corpus location and the per-file fidelity table printed after the corpus tests.

The corpus is ``<repo>/../shared/corpus/public`` or ``$IRIS_CORPUS_DIR``. When it is
missing, corpus tests fail under ``CI=true`` and are skipped (with the reason) otherwise.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS_RESULTS: dict[str, dict[str, str]] = {}
CHECKS = ("identity", "pseudo", "compare", "source", "python-docx", "typography", "libreoffice")


def corpus_dir() -> Path:
    """Directory of the public corpus (may not exist)."""
    configured = os.environ.get("IRIS_CORPUS_DIR")
    if configured:
        return Path(configured)
    return REPO_ROOT / ".." / "shared" / "corpus" / "public"


def corpus_files() -> list[Path]:
    """Every .docx of the corpus, sorted; [] when the corpus is missing."""
    directory = corpus_dir()
    return sorted(directory.glob("*.docx")) if directory.is_dir() else []


def corpus_params() -> list[object]:
    """Parameters for corpus tests: one per file (id = file stem), or one marker."""
    files = corpus_files()
    if files:
        return [pytest.param(path, id=path.stem) for path in files]
    return [pytest.param(None, id="corpus-missing")]


def require_corpus(path: Path | None) -> Path:
    """The corpus file, or fail when the corpus is missing (everywhere, as the package
    and format tests do: a skipped corpus test would be a feature nobody checked)."""
    if path is not None:
        return path
    pytest.fail(f"the document corpus is missing at {corpus_dir()} (set IRIS_CORPUS_DIR)")


def record(path: Path, check: str, outcome: str) -> None:
    """Remember one corpus check's outcome ("ok" or a reason) for the summary table."""
    CORPUS_RESULTS.setdefault(path.name, {})[check] = outcome


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the per-file table and every file below 100 % with its reasons."""
    if not CORPUS_RESULTS:
        return
    write = terminalreporter.write_line
    terminalreporter.section("docx corpus fidelity")
    write(f"{'file':60} " + " ".join(f"{c:>11}" for c in CHECKS))
    below = []
    for name in sorted(CORPUS_RESULTS):
        outcomes = CORPUS_RESULTS[name]
        cells = [_cell(outcomes.get(check)) for check in CHECKS]
        write(f"{name[:60]:60} " + " ".join(f"{c:>11}" for c in cells))
        problems = {c: o for c, o in outcomes.items() if o != "ok" and not o.startswith("n/a")}
        if problems:
            below.append((name, problems))
    checked = len(CORPUS_RESULTS)
    write(f"files: {checked}; at 100 %: {checked - len(below)}")
    for name, problems in below:
        for check, reason in problems.items():
            write(f"BELOW 100 %: {name} [{check}] {reason[:300]}")


def _cell(outcome: str | None) -> str:
    if outcome is None:
        return "-"
    if outcome.startswith("n/a"):
        return "n/a"
    return "ok" if outcome == "ok" else "FAIL"
