"""The memory from the command line, as a user runs it: ``manage.py tm`` and ``iris
translate --analyse``, each in its own process on the embedded default."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

from docx import Document

from tests.jobs.test_cli import iris
from tests.support import ROOT, iris_env

PAIRS = [
    ("The contract ends in March.", "El contrato termina en marzo."),
    ("Our engineers checked every machine in the plant.", "Nuestros ingenieros revisaron."),
]


def manage(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=tmp_path,
        env=iris_env({}, tmp_path / "var"),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _document(path: Path, sentences: list[str]) -> Path:
    document = Document()
    document.core_properties.comments = ""
    for sentence in sentences:
        document.add_paragraph(sentence)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def _memory_file(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["source", "target"])
        writer.writerows(PAIRS)
    return path


def test_import_stats_export_and_analysis_before_translation(tmp_path) -> None:
    assert manage(tmp_path, "migrate", "-v", "0").returncode == 0
    imported = manage(
        tmp_path, "tm", "import", str(_memory_file(tmp_path / "m.csv")),
        "--source", "en", "--target", "es", "--promote",
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    assert "imported 2 units" in imported.stdout
    again = manage(tmp_path, "tm", "import", str(tmp_path / "m.csv"), "--source", "en",
                   "--target", "es")  # fmt: skip
    assert "imported 0 units (2 already in the memory)" in again.stdout
    assert "promoted" in manage(tmp_path, "tm", "stats").stdout

    exported = manage(tmp_path, "tm", "export", str(tmp_path / "out.tmx"), "--source", "en")
    assert exported.returncode == 0, exported.stderr
    assert b"El contrato termina en marzo." in (tmp_path / "out.tmx").read_bytes()

    source = _document(
        tmp_path / "report.docx",
        [PAIRS[0][0], "Our engineers checked every machine in the factory.", "Something new.",
         "Something new."],
    )  # fmt: skip
    done = iris(tmp_path, "translate", str(source), "--to", "es", "--from", "en", "--analyse")
    assert done.returncode == 0, done.stderr
    lines = {line.split()[0]: line for line in done.stdout.splitlines()[2:] if line.strip()}
    assert lines["100"].split()[2:4] == ["1", "5"]  # one segment, five words
    assert "1" in lines["repetitions"]
    assert lines["no"].split()[2] == "1"
    assert not (tmp_path / "report.es.docx").exists(), "--analyse translates nothing"


def test_bad_memory_files_get_one_clear_line(tmp_path) -> None:
    assert manage(tmp_path, "migrate", "-v", "0").returncode == 0
    broken = tmp_path / "broken.tmx"
    broken.write_text(
        '<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="en"/>\n<body><tu>'
    )
    failed = manage(tmp_path, "tm", "import", str(broken), "--source", "en", "--target", "fr")
    assert failed.returncode != 0
    assert "line" in failed.stderr
    assert "Traceback" not in failed.stderr
    unknown = manage(tmp_path, "tm", "import", str(tmp_path / "x.xlsx"), "--source", "en",
                     "--target", "fr")  # fmt: skip
    assert unknown.returncode != 0
    assert "no such file" in unknown.stderr
    language = manage(tmp_path, "tm", "import", str(broken), "--source", "xx-??", "--target", "fr")
    assert "not a known language tag" in language.stderr
    same = manage(tmp_path, "tm", "import", str(broken), "--source", "en", "--target", "en-GB")
    assert same.returncode != 0
    assert "the target language en-GB is the source language" in same.stderr
    assert "0 units" not in manage(tmp_path, "tm", "stats").stdout
