"""Run construction for WordprocessingML (``w:r``) and DrawingML (``a:r``) paragraphs."""

from __future__ import annotations

from lxml import etree

from iris.docx.names import DrawingNames, WordNames, attributes_of
from iris.docx.normalise import NB_HYPHEN, set_text
from iris.docx.reassemble import Part, copy_properties


class WordDialect:
    """Rebuilds ``w:p`` content: text goes into ``w:t``, U+2011 into ``w:noBreakHyphen``."""

    def __init__(self, names: WordNames) -> None:
        self.names = names

    def new_run(self, template: etree._Element, parts: list[Part]) -> etree._Element | None:
        """A ``w:r`` with the template's properties holding ``parts``."""
        run = template.makeelement(
            self.names.r, attributes_of(template) if template.attrib else None
        )
        rpr = copy_properties(template, self.names.rPr)
        if rpr is not None:
            run.append(rpr)
        text: list[str] = []
        for part in parts:
            if isinstance(part, str):
                text.append(part)
                continue
            self._add_text(run, "".join(text))
            text = []
            run.append(part)
        self._add_text(run, "".join(text))
        if len(run) == (0 if rpr is None else 1):
            return None
        return run

    def _add_text(self, run: etree._Element, text: str) -> None:
        if not text:
            return
        if NB_HYPHEN not in text:
            t = etree.SubElement(run, self.names.t)
            set_text(t, text)
            return
        pieces = text.split(NB_HYPHEN)
        for index, piece in enumerate(pieces):
            if index:
                run.append(run.makeelement(self.names.noBreakHyphen, {}))
            if piece:
                t = run.makeelement(self.names.t, {})
                set_text(t, piece)
                run.append(t)

    def clear_content(self, paragraph: etree._Element) -> etree._Element | None:
        """Remove everything but ``w:pPr``; content is appended at the end."""
        for child in list(paragraph):
            if child.tag != self.names.pPr:
                paragraph.remove(child)
        return None


class DrawingDialect:
    """Rebuilds ``a:p`` content: each run is ``a:r`` with one ``a:t``."""

    def __init__(self, names: DrawingNames) -> None:
        self.names = names

    def new_run(self, template: etree._Element, parts: list[Part]) -> etree._Element | None:
        """An ``a:r`` with the template's properties and the text of ``parts``."""
        text = "".join(part for part in parts if isinstance(part, str))
        if not text:
            return None
        run = template.makeelement(self.names.r, attributes_of(template))
        rpr = copy_properties(template, self.names.rPr)
        if rpr is not None:
            run.append(rpr)
        t = run.makeelement(self.names.t, {})
        t.text = text
        run.append(t)
        return run

    def clear_content(self, paragraph: etree._Element) -> etree._Element | None:
        """Remove runs, breaks and fields; content goes before ``a:endParaRPr``."""
        anchor: etree._Element | None = None
        for child in list(paragraph):
            if child.tag == self.names.pPr:
                continue
            if child.tag == self.names.endParaRPr:
                anchor = child
                continue
            paragraph.remove(child)
        return anchor
