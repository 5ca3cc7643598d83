"""Run construction for WordprocessingML (``w:r``) and DrawingML (``a:r``) paragraphs.

A dialect built with a `Typography` gives every run it builds the target language's
properties: the template's properties are retagged once per distinct property set (a
prototype) and each new run gets a copy of the prototype.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from lxml import etree

from iris.docx.opc.names import XML_SPACE, DrawingNames, WordNames, attributes_of
from iris.docx.reading.normalise import EDGE_WHITESPACE, NB_HYPHEN, set_text
from iris.docx.reading.rprops import RPrKey
from iris.docx.writing.reassemble import Part, copy_properties
from iris.docx.writing.typography import Typography

_PRESERVE = {XML_SPACE: "preserve"}


class _Prototypes:
    """Typographed copies of run properties, one per distinct serialisation."""

    def __init__(self, rpr_tag: str, apply: Callable[[etree._Element], None]) -> None:
        self.rpr_tag = rpr_tag
        self.apply = apply
        self.by_template: dict[etree._Element, etree._Element] = {}
        self.by_key: dict[object, etree._Element] = {}

    def properties(self, template: etree._Element) -> etree._Element:
        """A fresh typographed properties element for a run like ``template``."""
        prototype = self.by_template.get(template)
        if prototype is None:
            has_rpr = len(template) and template[0].tag == self.rpr_tag
            key = etree.tostring(template[0]) if has_rpr else b""
            prototype = self.by_template[template] = self._prototype(template, key)
        return copy.copy(prototype)

    def properties_for_key(self, template: etree._Element, key: RPrKey) -> etree._Element:
        """`properties` for a run whose property key (`iris.docx.reading.rprops.rpr_key`,
        the same serialisation) is already known."""
        return copy.copy(self._prototype(template, key))

    def _prototype(self, template: etree._Element, key: object) -> etree._Element:
        prototype = self.by_key.get(key)
        if prototype is None:  # copied only once per distinct serialisation
            source = copy_properties(template, self.rpr_tag)
            prototype = template.makeelement(self.rpr_tag, {}) if source is None else source
            self.apply(prototype)
            self.by_key[key] = prototype
        return prototype


def _add_properties(
    run: etree._Element,
    template: etree._Element,
    prototypes: _Prototypes | None,
    rpr_tag: str,
) -> None:
    """Give a new run the template's properties: typographed when the dialect is typed,
    else a plain copy (none when the template has none)."""
    if prototypes is not None:
        run.append(prototypes.properties(template))
        return
    rpr = copy_properties(template, rpr_tag)
    if rpr is not None:
        run.append(rpr)


class WordDialect:
    """Rebuilds ``w:p`` content: text goes into ``w:t``, U+2011 into ``w:noBreakHyphen``."""

    def __init__(self, names: WordNames, typography: Typography | None = None) -> None:
        self.names = names
        self.typography = typography
        self._prototypes = (
            None
            if typography is None
            else _Prototypes(
                names.rPr, lambda rpr: typography.word_properties(rpr, names, text_run=True)
            )
        )

    def typed(self, typography: Typography) -> WordDialect:
        """The same dialect, giving new runs ``typography``'s properties."""
        return WordDialect(self.names, typography)

    def new_run(self, template: etree._Element, parts: list[Part]) -> etree._Element | None:
        """A ``w:r`` with the template's properties holding ``parts``."""
        run = template.makeelement(
            self.names.r, attributes_of(template) if template.attrib else None
        )
        _add_properties(run, template, self._prototypes, self.names.rPr)
        text: list[str] = []
        for part in parts:
            if isinstance(part, str):
                text.append(part)
                continue
            self._add_text(run, "".join(text))
            text = []
            run.append(part)
        self._add_text(run, "".join(text))
        if not len(run) or (len(run) == 1 and run[0].tag == self.names.rPr):
            return None
        return run

    def _add_text(self, run: etree._Element, text: str) -> None:
        if not text:
            return
        if NB_HYPHEN not in text:
            # A fresh w:t: the attribute `set_text` would add is known up front.
            edge = text[0] in EDGE_WHITESPACE or text[-1] in EDGE_WHITESPACE
            etree.SubElement(run, self.names.t, _PRESERVE if edge else None).text = text
            return
        pieces = text.split(NB_HYPHEN)
        for index, piece in enumerate(pieces):
            if index:
                run.append(run.makeelement(self.names.noBreakHyphen, {}))
            if piece:
                t = run.makeelement(self.names.t, {})
                set_text(t, piece)
                run.append(t)

    def retype(self, run: etree._Element, key: RPrKey) -> None:
        """Give an existing run (properties key ``key``) the properties a run built from
        it gets (`iris.docx.writing.in_place`); the dialect must be typed."""
        assert self._prototypes is not None, "retype needs a typed dialect"
        rpr = self._prototypes.properties_for_key(run, key)
        if len(run) and run[0].tag == self.names.rPr:
            run.replace(run[0], rpr)
        else:
            run.insert(0, rpr)

    def clear_content(self, paragraph: etree._Element) -> etree._Element | None:
        """Remove everything but ``w:pPr``; content is appended at the end."""
        for child in list(paragraph):
            if child.tag != self.names.pPr:
                paragraph.remove(child)
        return None


class DrawingDialect:
    """Rebuilds ``a:p`` content: each run is ``a:r`` with one ``a:t``."""

    def __init__(self, names: DrawingNames, typography: Typography | None = None) -> None:
        self.names = names
        self.typography = typography
        self._prototypes = (
            None
            if typography is None
            else _Prototypes(names.rPr, lambda rpr: typography.drawing_properties(rpr, names))
        )

    def typed(self, typography: Typography) -> DrawingDialect:
        """The same dialect, giving new runs ``typography``'s properties."""
        return DrawingDialect(self.names, typography)

    def new_run(self, template: etree._Element, parts: list[Part]) -> etree._Element | None:
        """An ``a:r`` with the template's properties and the text of ``parts``."""
        text = "".join(part for part in parts if isinstance(part, str))
        if not text:
            return None
        run = template.makeelement(self.names.r, attributes_of(template))
        _add_properties(run, template, self._prototypes, self.names.rPr)
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
