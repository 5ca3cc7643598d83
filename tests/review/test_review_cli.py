"""``iris translate --review``, ``iris review status|export|import`` and ``iris deliver``
as a user runs them: real subprocesses on the embedded default."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from tests.jobs.test_cli import SAMPLE, iris
from tests.review.helpers import edit_xliff


def _job_in_review(tmp_path: Path) -> int:
    source = tmp_path / "report.docx"
    source.write_bytes(SAMPLE.read_bytes())
    done = iris(tmp_path, "translate", str(source), "--to", "fr", "--from", "en", "--review")
    assert done.returncode == 5, done.stderr
    found = re.search(r"job (\d+) waits for review", done.stderr)
    assert found, done.stderr
    assert not (tmp_path / "report.fr.docx").exists()
    return int(found.group(1))


def test_a_reviewed_translation_from_the_command_line(tmp_path: Path) -> None:
    job = _job_in_review(tmp_path)
    status = iris(tmp_path, "review", "status", str(job))
    assert status.returncode == 0, status.stderr
    assert "in_review; reviewed 0/" in status.stdout
    assert "gate waits for:" in status.stdout

    exported = iris(tmp_path, "review", "export", str(job), "-o", "review.xlf")
    assert exported.returncode == 0, exported.stderr
    package = tmp_path / "review.xlf"
    first = int(re.findall(rb'<unit id="s(\d+)"', package.read_bytes())[0])
    (tmp_path / "back.xlf").write_bytes(edit_xliff(package.read_bytes(), {first: " (revu)"}))

    imported = iris(tmp_path, "review", "import", str(job), "back.xlf", "-o", "done.docx")
    assert imported.returncode == 0, imported.stderr
    assert "applied" in imported.stdout
    assert "went on to delivery (completed)" in imported.stdout
    # In-process the delivery ran in the command: the document is written.
    assert "written to done.docx" in imported.stdout
    assert "(revu)" in "".join(
        zipfile.ZipFile(tmp_path / "done.docx").read(n).decode(errors="ignore")
        for n in ["word/document.xml"]
    )
    again = iris(tmp_path, "review", "import", str(job), "back.xlf")
    assert again.returncode == 2
    assert "only a job in review takes a review file" in again.stderr


def test_a_refused_import_lists_its_errors_and_deliver_needs_a_reason(tmp_path: Path) -> None:
    job = _job_in_review(tmp_path)
    (tmp_path / "junk.xlf").write_text("<xliff version='1.2'/>")
    refused = iris(tmp_path, "review", "import", str(job), "junk.xlf")
    assert refused.returncode == 1
    assert "refused; nothing was changed" in refused.stderr
    assert "XLIFF 1.2" in refused.stderr
    missing = iris(tmp_path, "deliver", str(job))
    assert missing.returncode == 2  # argparse: --reason is required
    delivered = iris(tmp_path, "deliver", str(job), "--reason", "client deadline")
    assert delivered.returncode == 0, delivered.stderr
    assert f"written to {tmp_path / 'report.fr.docx'}" in delivered.stdout
    assert zipfile.is_zipfile(tmp_path / "report.fr.docx")
    docx = iris(tmp_path, "review", "export", str(job), "--format", "docx", "-o", "r.docx")
    assert docx.returncode == 0, docx.stderr
    assert zipfile.is_zipfile(tmp_path / "r.docx")
    unknown = iris(tmp_path, "review", "status", "999")
    assert unknown.returncode == 2
    assert "no such job: 999" in unknown.stderr
