"""Aspose.Words runs only in a child process: its crash, hang or absence becomes a
ConversionError and the calling process carries on."""

from __future__ import annotations

from pathlib import Path

import pytest

from iris.formats import AsposeConverter, ConversionError, ConverterUnavailableError, SourceFormat
from tests.formats.conftest import SAMPLE


def child_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> str:
    """A module named ``fake_child`` importable by the child interpreter."""
    (tmp_path / "fake_child.py").write_text(body)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    return "fake_child"


def test_child_abort_is_a_conversion_error_and_the_parent_lives_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What Aspose's .NET runtime does on Debian 12: print why, then abort the process.
    module = child_module(
        tmp_path,
        monkeypatch,
        "import os, sys\n"
        "print('Couldn\\'t find a valid ICU package installed on the system.', file=sys.stderr)\n"
        "sys.stderr.flush()\n"
        "os.abort()\n",
    )
    converter = AsposeConverter(child_module=module, timeout=60)
    for _ in range(2):  # this process survived the first crash and can convert again
        with pytest.raises(ConversionError) as raised:
            converter.convert(b"\xd0\xcf\x11\xe0", SourceFormat.DOC, SourceFormat.DOCX)
        assert str(raised.value) == (
            "Aspose.Words could not convert the .doc file: Couldn't find a valid ICU package "
            "installed on the system. (exit code -6, killed by SIGABRT)."
        )


def test_child_that_hangs_is_stopped_at_the_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = child_module(tmp_path, monkeypatch, "import time\ntime.sleep(300)\n")
    converter = AsposeConverter(child_module=module, timeout=1)
    with pytest.raises(ConversionError, match=r"\.rtf file within the time limit of 1 s"):
        converter.convert(b"{\\rtf1}", SourceFormat.RTF, SourceFormat.DOCX)


def test_real_child_without_aspose_says_it_is_not_installed() -> None:
    converter = AsposeConverter(timeout=60)
    assert not converter.available(), "this test expects aspose-words not to be installed"
    with pytest.raises(ConverterUnavailableError) as raised:
        converter.convert(SAMPLE.read_bytes(), SourceFormat.DOCX, SourceFormat.DOC)
    message = str(raised.value)
    assert message.startswith("Aspose.Words cannot convert the .docx file: aspose-words is")
    assert "not installed" in message


def test_missing_python_is_a_conversion_error() -> None:
    converter = AsposeConverter(python="/nonexistent/python")
    with pytest.raises(
        ConverterUnavailableError, match=r"could not be started to convert the \.odt file"
    ):
        converter.convert(b"PK", SourceFormat.ODT, SourceFormat.DOCX)
