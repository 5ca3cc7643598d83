"""DrawingML text paragraphs (``a:p``) in charts, SmartArt data and SmartArt drawings.

Normalisation mirrors the WordprocessingML one: whitespace between elements is removed,
run properties are canonicalised (``dirty``/``err``/``smtClean`` noise dropped), empty
runs are removed and adjacent runs with equal properties are merged. Line breaks
(``a:br``) and fields (``a:fld``) are kept verbatim as placeholders.
"""

from __future__ import annotations

from lxml import etree

from iris.docx.opc.names import DrawingNames, local_name
from iris.docx.reading.paramodel import (
    Node,
    ParagraphModel,
    ProtectFn,
    TextPiece,
    Verbatim,
    make_model,
    protect_items,
)
from iris.docx.reading.rprops import canonicalise_rpr, describe_difference, rpr_key

_CODE_DESCRIPTIONS = {"br": "line-break", "fld": "field"}


def normalise_drawing_paragraph(paragraph: etree._Element, names: DrawingNames) -> None:
    """Normalise one ``a:p`` in place."""
    paragraph.text = None
    previous: etree._Element | None = None
    previous_key: object = None
    for child in list(paragraph):
        child.tail = None
        if child.tag != names.r:
            previous = None
            continue
        text = _tidy_run(child, names)
        if not text:
            paragraph.remove(child)
            continue
        key = rpr_key(_properties(child, names))
        if previous is not None and key == previous_key:
            _append_text(previous, text, names)
            paragraph.remove(child)
            continue
        previous, previous_key = child, key


def _tidy_run(run: etree._Element, names: DrawingNames) -> str:
    run.text = None
    for child in run:
        child.tail = None
        if child.tag == names.rPr:
            canonicalise_rpr(child)
    t = run.find(names.t)
    return "" if t is None else t.text or ""


def _append_text(run: etree._Element, text: str, names: DrawingNames) -> None:
    t = run.find(names.t)
    assert t is not None
    t.text = (t.text or "") + text


def _properties(run: etree._Element, names: DrawingNames) -> etree._Element | None:
    if len(run) and run[0].tag == names.rPr:
        return run[0]
    return None


class DrawingParagraphReader:
    """Builds paragraph models of normalised ``a:p`` elements."""

    def __init__(self, names: DrawingNames, protect: ProtectFn) -> None:
        self.names = names
        self.protect = protect

    def read(self, paragraph: etree._Element) -> ParagraphModel:
        """The model of a normalised ``a:p``."""
        items: list[Node] = []
        for child in paragraph:
            if child.tag in (self.names.pPr, self.names.endParaRPr):
                continue
            if child.tag == self.names.r:
                self._run(items, child)
            else:
                desc = _CODE_DESCRIPTIONS.get(local_name(child.tag), local_name(child.tag))
                items.append(Verbatim([child], desc))
        return make_model(paragraph, protect_items(items, self.protect), describe_difference)

    def _run(self, items: list[Node], run: etree._Element) -> None:
        t = run.find(self.names.t)
        text = "" if t is None else t.text or ""
        key = rpr_key(_properties(run, self.names))
        if text:
            items.append(TextPiece(text, run, key))
