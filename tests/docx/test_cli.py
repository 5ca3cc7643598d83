"""``python -m iris.docx``: units, pseudo, compare and check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from iris.docx.cli import main
from tests.docx.builders import make_docx, p, r
from tests.docx.conftest import REPO_ROOT


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "sample.docx"
    path.write_bytes(make_docx(p(r("First sentence. Second ") + r("bold", "<w:b/>") + r(" one."))))
    return path


def test_units_prints_one_line_per_unit(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["units", "--each", str(sample)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "word/document.xml#p0.s0\tbody\tT\tFirst sentence. "
    assert lines[1] == "word/document.xml#p0.s1\tbody\tT\tSecond <g1>bold</g1> one."


def test_pseudo_then_compare(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out.docx"
    assert main(["pseudo", str(sample), "-o", str(output), "--to", "fr"]) == 0
    assert main(["compare", str(sample), str(output)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "clean (3 paragraphs compared)"


def test_pseudo_timings_name_every_stage(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out.docx"
    assert main(["pseudo", str(sample), "-o", str(output), "--timings"]) == 0
    line = capsys.readouterr().out.splitlines()[-1]
    assert line.startswith("stages: ")
    stages = [entry.rsplit(" ", 2)[0] for entry in line.removeprefix("stages: ").split(", ")]
    assert stages == [
        "open package",
        "normalise",
        "read",
        "other texts",
        "segment",
        "pseudo-translate",
        "apply paragraphs",
        "serialise package",
    ]


def test_check_ends_with_the_summary_line(sample: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "iris.docx", "check", str(sample)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )
    lines = result.stdout.splitlines()
    assert lines[-1] == "files=1 identity_exact=1 no_source_left=1 compare_clean=1 errors=0"
    assert lines[0] == "sample.docx: identity=exact source_left=no compare=clean"
    assert result.returncode == 0


def test_check_counts_unreadable_files_as_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip at all")
    assert main(["check", str(broken)]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        "files=1 identity_exact=0 no_source_left=0 compare_clean=0 errors=1"
    )
