"""Every pseudo-translated corpus document opens in LibreOffice (headless PDF export).

All outputs are converted in a few parallel ``soffice`` calls, each with its own user
profile and many files per call (start-up costs about a second). A file whose output
does not convert is checked against its source: only a regression counts as a failure.
"""

from __future__ import annotations

import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from iris.docx import open_document
from iris.docx.text.pseudo import pseudo_targets
from tests.docx.conftest import corpus_files, corpus_params, record, require_corpus

PARALLEL = 3
SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"


def _convert(files: list[Path], out_dir: Path, profile: Path) -> None:
    """One soffice call converting ``files`` to PDF in ``out_dir``."""
    command = [
        SOFFICE,
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out_dir),
        *map(str, files),
    ]
    subprocess.run(command, capture_output=True, timeout=900, check=False)


def convert_all(files: list[Path], out_dir: Path, work: Path) -> set[str]:
    """Convert files in ``PARALLEL`` batches; return the stems that produced a PDF."""
    batches = [files[i::PARALLEL] for i in range(PARALLEL)]
    with ThreadPoolExecutor(PARALLEL) as pool:
        for index, batch in enumerate(batches):
            pool.submit(_convert, batch, out_dir, work / f"profile{index}")
    return {pdf.stem for pdf in out_dir.glob("*.pdf") if pdf.stat().st_size > 0}


@pytest.mark.libreoffice
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("marker", [corpus_params()[0]] if not corpus_files() else ["all"])
def test_pseudo_outputs_open_in_libreoffice(marker: object, tmp_path: Path) -> None:
    if marker != "all":
        require_corpus(None)
    if not Path(SOFFICE).exists():
        pytest.fail(f"LibreOffice is not installed ({SOFFICE}); the libreoffice mark needs it")
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    for path in corpus_files():
        document = open_document(path.read_bytes())
        data = document.apply(pseudo_targets(document.units()), "de")
        (outputs / path.name).write_bytes(data)
    converted = convert_all(sorted(outputs.glob("*.docx")), tmp_path / "pdf", tmp_path)
    missing = [p for p in corpus_files() if p.stem not in converted]
    regressions = _regressions(missing, tmp_path)
    for path in corpus_files():
        outcome = "ok" if path not in missing else "n/a: source does not convert either"
        record(
            path, "libreoffice", "FAIL: output does not convert" if path in regressions else outcome
        )
    assert [p.name for p in regressions] == []


def _regressions(missing: list[Path], tmp_path: Path) -> list[Path]:
    """Of the outputs that did not convert, those whose source does convert."""
    if not missing:
        return []
    converted = convert_all(missing, tmp_path / "source-pdf", tmp_path)
    return [path for path in missing if path.stem in converted]
