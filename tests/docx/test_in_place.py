"""Targets that change only text are written into the paragraph's own text elements.

The rebuild (`ParagraphWriter`) is the reference: on every corpus file and every target
language family, the in-place output equals the rebuilt output once namespace
declarations are set aside (a drawing moved by the rebuild re-declares ``xmlns:r``
where the in-place output keeps the source's declaration). Targets whose shape differs
(moved tags, an emptied stretch, a non-breaking hyphen) fall back to the rebuild.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from iris.docx import open_document
from iris.docx.document import apply_document, load
from iris.docx.model import Policy
from iris.docx.reading.paramodel import ParagraphModel
from iris.docx.text.pseudo import pseudo_targets
from iris.docx.writing.dialects import WordDialect
from iris.docx.writing.in_place import write_in_place
from iris.docx.writing.typography import Typography
from tests.docx.builders import W, body_of, make_docx, p, r, texts
from tests.docx.conftest import corpus_params, require_corpus


def _both_ways(data: bytes, targets: dict[str, str], lang: str) -> tuple[bytes, bytes]:
    outputs = []
    for in_place in (True, False):
        extraction = load(data, "en", Policy(), None)
        outputs.append(apply_document(extraction, targets, Typography(lang), in_place=in_place))
    return outputs[0], outputs[1]


_DECLARATION_RE = re.compile(rb'\sxmlns(?::[\w.-]+)?="[^"]*"')


def _canonical_parts(data: bytes) -> dict[str, bytes]:
    """Every part; XML without its namespace declarations (prefixes are the document's
    own, so what is left still names every element exactly)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: _DECLARATION_RE.sub(b"", archive.read(name))
            if name.endswith((".xml", ".rels"))
            else archive.read(name)
            for name in archive.namelist()
        }


@pytest.mark.parametrize("path", corpus_params()[::3])
@pytest.mark.parametrize("lang", ["ar", "ja"])
def test_in_place_equals_the_rebuild_on_corpus_files(path: Path | None, lang: str) -> None:
    data = require_corpus(path).read_bytes()
    targets = pseudo_targets(open_document(data).units())
    in_place, rebuilt = _both_ways(data, targets, lang)
    assert _canonical_parts(in_place) == _canonical_parts(rebuilt)


def _entry_model(data: bytes) -> tuple[ParagraphModel, WordDialect]:
    extraction = load(data, "en", Policy(), None)
    entry = extraction.paragraphs[0]
    dialect = entry.dialect
    assert isinstance(dialect, WordDialect)
    return entry.model, dialect.typed(Typography("fr"))


SPLIT_BOLD = make_docx(
    p(r("Plain start. Then ") + r("bold words. More bold", "<w:b/>") + r(" and the end."))
)


def test_a_pair_reopened_by_sentence_splitting_counts_once() -> None:
    model, dialect = _entry_model(SPLIT_BOLD)
    assert model.tagged == "Plain start. Then <g1>bold words. More bold</g1> and the end."
    target = "Début. Puis <g1>mots gras. </g1><g1>Plus de gras</g1> et la fin."
    runs = write_in_place(model, target, dialect.retype)
    assert runs is not None
    assert len(runs) == 3
    assert [texts(run) for run in runs] == [
        "Début. Puis ",
        "mots gras. Plus de gras",
        " et la fin.",
    ]
    for run in runs:
        lang = run.find(f"{{{W}}}rPr/{{{W}}}lang")
        assert lang is not None
        assert lang.get(f"{{{W}}}val") == "fr-FR"
    bold = runs[1].find(f"{{{W}}}rPr/{{{W}}}b")
    assert bold is not None


@pytest.mark.parametrize(
    "target",
    [
        "<g1>bold words. More bold</g1> Plain start. Then  and the end.",  # tag moved
        "Plain start. Then <g1></g1> and the end.",  # a stretch emptied
        "Plain\u2011start. Then <g1>bold</g1> and the end.",  # a non-breaking hyphen
    ],
)
def test_other_shapes_are_left_to_the_rebuild_untouched(target: str) -> None:
    model, dialect = _entry_model(SPLIT_BOLD)
    before = etree.tostring(model.element)
    assert write_in_place(model, target, dialect.retype) is None
    assert etree.tostring(model.element) == before


def test_fallback_targets_still_reach_the_document() -> None:
    units = open_document(SPLIT_BOLD).units()
    targets = {units[0].id: "<g1>Mots gras.</g1> Début. "}
    targets |= {unit.id: f"[{unit.source}]" for unit in units[1:]}
    output = open_document(SPLIT_BOLD).apply(targets, "fr")
    text = texts(body_of(output))
    assert text.startswith("Mots gras. Début. ")
    assert "Plain start." not in text


def test_text_with_edge_spaces_gets_xml_space_preserve() -> None:
    data = make_docx(p(r("Hello world.")))
    unit = open_document(data).units()[0]
    output = open_document(data).apply({unit.id: "  Bonjour le monde. "}, "fr")
    t = body_of(output).find(f".//{{{W}}}t")
    assert t is not None
    assert t.text == "  Bonjour le monde. "
    assert t.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
