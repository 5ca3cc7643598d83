"""Pseudo-translation round trip on every corpus file.

The output must compare clean (`iris.docx.verification.compare.compare`), keep no source text in any
translatable paragraph (`iris.docx.verification.check.source_left`: no source word of four or more
letters left, no paragraph left unchanged) and open in python-docx.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from iris.docx import open_document
from iris.docx.text.pseudo import pseudo_targets
from iris.docx.verification.check import source_left
from iris.docx.verification.compare import compare
from tests.docx.conftest import corpus_params, record, require_corpus


@pytest.mark.parametrize("path", corpus_params())
def test_pseudo_round_trip_keeps_structure_and_leaves_no_source(path: Path | None) -> None:
    document = require_corpus(path)
    data = document.read_bytes()
    opened = open_document(data)
    units = opened.units()
    output = opened.apply(pseudo_targets(units), "de")
    record(document, "pseudo", "ok")

    report = compare(data, output)
    notes = report.differences + report.formatting
    record(document, "compare", "ok" if report.exact else "; ".join(notes[:5]))
    left = source_left(units, open_document(output).units())
    record(document, "source", "ok" if not left else "; ".join(left[:5]))
    readable = _python_docx_reads(data)
    if readable:
        assert _python_docx_reads(output)
    record(document, "python-docx", "ok" if readable else "n/a: python-docx cannot read the source")

    assert report.differences == []
    assert report.formatting == []
    assert left == []


def _python_docx_reads(data: bytes) -> bool:
    """python-docx opens the package and reads its paragraphs (it cannot read Strict)."""
    try:
        document = docx.Document(io.BytesIO(data))
    except KeyError:  # python-docx finds no Transitional officeDocument relationship
        return False
    return document.paragraphs is not None
