"""An Arabic output rendered by LibreOffice (PDF) and read back with poppler's
``pdftotext -bbox``: translated paragraphs are right-aligned (alignment kept logical,
``left`` included) and a Latin phrase inside them keeps its letters and words in
reading order."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from iris.docx import open_document
from tests.docx.builders import make_docx, p, r
from tests.docx.test_corpus_libreoffice import SOFFICE, _convert

PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"
SOURCE = (
    p(r("Right reference."), '<w:jc w:val="right"/>')
    + p(r("Left reference."))
    + p(r("Hello world, this is Microsoft Word."))
    + p(r("This paragraph was aligned to the left in Microsoft Word."), '<w:jc w:val="left"/>')
)
TARGETS = {
    "word/document.xml#p2.s0": "مرحبا بالعالم، هذا هو Microsoft Word.",
    "word/document.xml#p3.s0": "كانت هذه الفقرة محاذاة إلى اليسار في Microsoft Word.",
}


@dataclass(frozen=True)
class Word:
    text: str
    left: float
    right: float
    top: float


def _render(tmp_path: Path) -> list[Word]:
    if not Path(SOFFICE).exists() or not Path(PDFTOTEXT).exists():
        pytest.fail("LibreOffice and poppler-utils are needed (scripts/system-deps.sh)")
    document = tmp_path / "arabic.docx"
    document.write_bytes(open_document(make_docx(SOURCE)).apply(TARGETS, "ar"))
    _convert([document], tmp_path, tmp_path / "profile")
    html = tmp_path / "arabic.html"
    command = [PDFTOTEXT, "-bbox", str(tmp_path / "arabic.pdf"), str(html)]
    subprocess.run(command, check=True, capture_output=True, timeout=60)
    root = etree.parse(str(html), etree.HTMLParser(encoding="utf-8")).getroot()
    return [
        Word(
            word.text or "",
            float(word.get("xmin") or 0),
            float(word.get("xmax") or 0),
            float(word.get("ymin") or 0),
        )
        for word in root.iter("word")
    ]


def _line(words: list[Word], anchor: Word) -> list[Word]:
    return [word for word in words if abs(word.top - anchor.top) < 2]


@pytest.mark.libreoffice
@pytest.mark.timeout(300)
def test_arabic_paragraphs_render_right_aligned_with_latin_in_reading_order(
    tmp_path: Path,
) -> None:
    words = _render(tmp_path)
    right_edge = max(w.right for w in _line(words, next(w for w in words if w.text == "Right")))
    left_edge = min(w.left for w in _line(words, next(w for w in words if w.text == "Left")))
    # Letters in reading order: "Microsoft", never "tfosorciM".
    latin = sorted((w for w in words if "Microsoft" in w.text), key=lambda w: w.top)
    assert len(latin) == 2, [w.text for w in words]
    for microsoft in latin:
        line = _line(words, microsoft)
        assert abs(max(w.right for w in line) - right_edge) < 3  # right-aligned
        assert min(w.left for w in line) > left_edge + 40
        office = next(w for w in line if "Word" in w.text)
        assert microsoft.right < office.left  # the Latin words left to right
