"""Target typography on every corpus file: Arabic output carries bidi paragraphs and
``w:rtl`` on exactly the runs of Arabic script (the targets mix an Arabic word with
the pseudo-translated Latin text), Japanese output East Asian language tags and a
Japanese font, wherever a paragraph was translated."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from iris.docx import open_document
from iris.docx.text.pseudo import pseudo_targets
from iris.docx.writing.bidi import RTL_SCRIPT_RE
from tests.docx.builders import W, read_part
from tests.docx.conftest import corpus_params, record, require_corpus

PSEUDO_MARKS = set("ƀðƒĝĥĵķļɱþǫŕšţṽŵẋýž")


def _translated_runs(output: bytes, part: str) -> list[etree._Element]:
    """Runs whose own text is pseudo-translated (letters only the pseudo-translation writes)."""
    root = read_part(output, part)
    return [
        run
        for run in root.iter(f"{{{W}}}r")
        if PSEUDO_MARKS & set("".join(t.text or "" for t in run.iterchildren(f"{{{W}}}t")))
    ]


@pytest.mark.parametrize("path", corpus_params())
def test_rtl_and_cjk_typography(path: Path | None) -> None:
    document = require_corpus(path)
    data = document.read_bytes()
    units = open_document(data).units()
    parts = {
        u.part
        for u in units
        if u.translatable
        and u.part.startswith("word/")
        and "/charts/" not in u.part
        and "/diagrams/" not in u.part
    }
    problems = []
    targets = pseudo_targets(units)
    arabic = open_document(data).apply({k: "نص " + v for k, v in targets.items()}, "ar")
    japanese = open_document(data).apply(targets, "ja")
    for part in sorted(parts):
        for run in _translated_runs(arabic, part):
            text = "".join(t.text or "" for t in run.iterchildren(f"{{{W}}}t"))
            if (run.find(f"{{{W}}}rPr/{{{W}}}rtl") is None) == bool(RTL_SCRIPT_RE.search(text)):
                problems.append(f"{part}: w:rtl does not follow the script of {text[:20]!r}")
            paragraph = next(a for a in run.iterancestors(f"{{{W}}}p"))
            if paragraph.find(f"{{{W}}}pPr/{{{W}}}bidi") is None:
                problems.append(f"{part}: Arabic paragraph without w:bidi")
        for run in _translated_runs(japanese, part):
            lang = run.find(f"{{{W}}}rPr/{{{W}}}lang")
            fonts = run.find(f"{{{W}}}rPr/{{{W}}}rFonts")
            if lang is None or lang.get(f"{{{W}}}eastAsia") != "ja-JP":
                problems.append(f"{part}: Japanese run without w:lang/@w:eastAsia")
            if fonts is None or fonts.get(f"{{{W}}}eastAsia") not in ("Yu Gothic", "Yu Mincho"):
                problems.append(f"{part}: Japanese run without an East Asian font")
    record(document, "typography", "ok" if not problems else "; ".join(problems[:3]))
    assert problems == []
