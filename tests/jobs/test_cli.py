"""``iris translate``: the main job, as a user runs it (a real subprocess)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from iris.docx import open_document
from tests.documents import build_document
from tests.support import ROOT, iris_env

SAMPLE = ROOT / "samples" / "report.docx"


def iris(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = iris_env(env, tmp_path / "var")
    environment.pop("IRIS_SECRET_KEY")  # the command needs no configuration at all
    return subprocess.run(
        [sys.executable, "-m", "iris.cli", *args],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_translates_the_sample_with_no_configuration(tmp_path) -> None:
    source = tmp_path / "report.docx"
    source.write_bytes(SAMPLE.read_bytes())
    done = iris(tmp_path, "translate", str(source), "--to", "fr", "--from", "en")
    assert done.returncode == 0, done.stderr
    output = tmp_path / "report.fr.docx"
    assert zipfile.is_zipfile(output)
    assert f"written to {output}" in done.stdout
    assert "fidelity clean" in done.stdout
    assert "report.docx en -> fr: completed" in done.stdout
    assert "translate" in done.stderr  # the progress bars
    before = [u.plain for u in open_document(source.read_bytes()).units() if u.translatable]
    after = "\n".join(u.plain for u in open_document(output.read_bytes()).units())
    assert before
    assert not [sentence for sentence in before if sentence in after]


def test_several_targets_into_a_folder(tmp_path) -> None:
    source = tmp_path / "in.docx"
    source.write_bytes(build_document())
    done = iris(tmp_path, "translate", str(source), "--to", "de", "--to", "ar", "-o", "out", "-q")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "in.de.docx").is_file()
    assert (tmp_path / "out" / "in.ar.docx").is_file()
    assert done.stdout.count("completed") == 2


def test_source_language_is_detected(tmp_path) -> None:
    source = tmp_path / "in.docx"
    source.write_bytes(build_document())
    done = iris(tmp_path, "translate", str(source), "--to", "fr", "-q")
    assert done.returncode == 0, done.stderr
    assert "in.docx en -> fr: completed" in done.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["missing.docx", "--to", "fr"], 2, "no such file: missing.docx"),
        (["notes.txt", "--to", "fr"], 3, "cannot be translated"),
        (["in.docx", "--to", "xx"], 2, "'xx' is not a known language tag"),
        (["in.docx", "--to", "fr", "--engine", "babel"], 2, "unknown engine 'babel'"),
        (["in.docx", "--to", "en", "--from", "en"], 2, "is the source language"),
    ],
)
def test_clear_errors_and_exit_codes(tmp_path, args, code, message) -> None:
    (tmp_path / "notes.txt").write_text("not a document")
    (tmp_path / "in.docx").write_bytes(build_document())
    done = iris(tmp_path, "translate", *args)
    assert done.returncode == code, (done.stdout, done.stderr)
    assert message in done.stderr
    assert "Traceback" not in done.stderr
