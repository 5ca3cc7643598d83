"""LibreOffice failures end in a ConversionError naming the format: never a hang, never a
stray process."""

from __future__ import annotations

import random
import stat
import time
from pathlib import Path

import pytest

from iris.formats import (
    ConversionError,
    ConverterUnavailableError,
    LibreOfficeConverter,
    SourceFormat,
    to_docx,
)
from tests.formats.cfb import cfb_file
from tests.formats.conftest import require_soffice

# A Word FIB start (no flags set: not encrypted) followed by noise.
GARBAGE_DOC = cfb_file(
    {"WordDocument": bytes.fromhex("eca5c100") + bytes(8) + random.Random(7).randbytes(6000)}
)


def fake_soffice(tmp_path: Path, body: str) -> str:
    """An executable shell script standing in for soffice."""
    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def is_running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie waiting for its reaper is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_missing_soffice_is_unavailable_and_conversion_fails_clearly() -> None:
    converter = LibreOfficeConverter("/nonexistent/soffice")
    assert not converter.available()
    with pytest.raises(ConversionError, match=r"could not be started to convert the \.doc file"):
        to_docx(GARBAGE_DOC, converter)


@pytest.mark.libreoffice
def test_garbage_doc_fails_without_hanging() -> None:
    converter = LibreOfficeConverter(require_soffice(), timeout=60)
    started = time.monotonic()
    with pytest.raises(ConversionError, match=r"LibreOffice could not convert the \.doc file"):
        to_docx(GARBAGE_DOC, converter)
    assert time.monotonic() - started < 60


def test_time_limit_kills_the_whole_process_group(tmp_path: Path) -> None:
    pid_file = tmp_path / "helper.pid"
    # Like soffice, the script starts a helper process and waits for it.
    script = fake_soffice(tmp_path, f"sleep 300 &\necho $! > {pid_file}\nwait")
    converter = LibreOfficeConverter(script, timeout=1)
    started = time.monotonic()
    with pytest.raises(ConversionError, match=r"\.doc file to \.docx within the time limit of 1 s"):
        converter.convert(GARBAGE_DOC, SourceFormat.DOC, SourceFormat.DOCX)
    assert time.monotonic() - started < 10
    # SIGKILL is delivered asynchronously: the helper (not the converter's child, so not
    # waited for by it) is gone within moments, never left to run its 300 s.
    helper = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while is_running(helper) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not is_running(helper)


def test_failure_reports_exit_code_and_the_tail_of_the_output(tmp_path: Path) -> None:
    script = fake_soffice(
        tmp_path,
        "echo 'Warning: failed to launch javaldx'\necho 'Error: the filter crashed' >&2\nexit 81",
    )
    with pytest.raises(ConversionError) as raised:
        LibreOfficeConverter(script).convert(b"{\\rtf1}", SourceFormat.RTF, SourceFormat.DOCX)
    assert str(raised.value).startswith(
        "LibreOffice could not convert the .rtf file to .docx: "
        "Error: the filter crashed (exit code 81); "
    )


def test_a_converter_that_converts_nothing_is_the_installation_s_fault(tmp_path: Path) -> None:
    """/bin/false as soffice (a broken installation) fails even the one-line check
    document: the conversion is unavailable (a job fails and can be retried), the
    document is not rejected."""
    with pytest.raises(ConverterUnavailableError, match="installation is at fault, not the"):
        LibreOfficeConverter("/bin/false").convert(
            b"{\\rtf1 x}", SourceFormat.RTF, SourceFormat.DOCX
        )


def test_a_converter_that_converts_other_documents_rejects_this_one(tmp_path: Path) -> None:
    """Only the user's document fails (the check document converts): it is the document."""
    script = tmp_path / "soffice"
    script.write_text(
        "#!/usr/bin/env python3\n"
        "import sys, pathlib\n"
        "document, outdir = pathlib.Path(sys.argv[-1]), pathlib.Path(sys.argv[-2])\n"
        "if b'converter check' not in document.read_bytes():\n"
        "    sys.exit(81)\n"
        "outdir.mkdir(parents=True, exist_ok=True)\n"
        "(outdir / (document.stem + '.docx')).write_bytes(b'PK converted')\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    with pytest.raises(ConversionError) as raised:
        LibreOfficeConverter(str(script)).convert(
            b"{\\rtf1 x}", SourceFormat.RTF, SourceFormat.DOCX
        )
    assert not isinstance(raised.value, ConverterUnavailableError)
    assert str(raised.value) == (
        "LibreOffice could not convert the .rtf file to .docx: it gave no reason (exit code 81)."
    )


def test_success_without_an_output_file_is_a_failure(tmp_path: Path) -> None:
    script = fake_soffice(tmp_path, "exit 0")
    with pytest.raises(
        ConversionError, match=r"could not convert the \.odt file to \.doc: it gave"
    ):
        LibreOfficeConverter(script).convert(b"PK", SourceFormat.ODT, SourceFormat.DOC)
