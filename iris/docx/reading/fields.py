"""Fields: grouping of complex-field runs and the decision what a field's result is.

Field codes (``w:instrText``, ``@w:instr``) are never translated. A field whose result
is a number, a date or a computed value (PAGE, NUMPAGES, SEQ, PAGEREF, DATE…) is kept
whole: code and cached result become one placeholder. A field whose result is text
(TOC, REF, STYLEREF, DOCPROPERTY, TITLE, HYPERLINK, IF…) keeps its code as the opening
half of a paired tag and its end as the closing half; the result between them is
translated, and the document is marked so that Word refreshes fields on open.
A field that begins in one paragraph and ends in another is split per paragraph: its
code is a placeholder, its result text is translated in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from iris.docx.opc.names import WordNames, words

KEPT_TYPES = frozenset(
    words(
        "PAGE NUMPAGES SECTIONPAGES SECTION SEQ PAGEREF NOTEREF DATE TIME SAVEDATE "
        "CREATEDATE PRINTDATE EDITTIME FORMCHECKBOX FORMDROPDOWN SYMBOL EQ ADDIN CITATION "
        "BIBLIOGRAPHY NUMWORDS NUMCHARS FILESIZE FILENAME REVNUM AUTONUM AUTONUMLGL "
        "AUTONUMOUT LISTNUM BARCODE DISPLAYBARCODE MERGEFIELD MERGEREC MERGESEQ NEXT "
        "NEXTIF SET SKIPIF TC XE TA RD PRIVATE ADVANCE INCLUDEPICTURE EMBED LINK AUTHOR "
        "LASTSAVEDBY USERNAME USERINITIALS USERADDRESS TEMPLATE GOTOBUTTON MACROBUTTON"
    )
)
# Word refreshes these on every layout anyway; other fields need w:updateFields.
SELF_UPDATING_TYPES = frozenset({"PAGE", "NUMPAGES", "SECTIONPAGES"})


def field_type(instruction: str) -> str:
    """Upper-case field keyword of an instruction (``" pageref _Toc1 \\h"`` → PAGEREF).

    Formulas are ``=``; an instruction that is only a bookmark name is a REF.
    """
    words = instruction.split()
    if not words:
        return ""
    return "=" if words[0].startswith("=") else words[0].upper()


def is_kept(kind: str) -> bool:
    """True when a field's result must be kept as it is (not translated)."""
    return kind in KEPT_TYPES or kind == "=" or not kind.isalnum()


@dataclass
class FieldGroup:
    """A complex field found among the children of one inline container.

    ``code`` runs go from the begin character to the separate character (or the end
    when the field has no result); ``result`` holds the elements between separate and
    end; ``end`` is the run with the end character, None when the field ends in a later
    paragraph. ``kept`` fields are carried verbatim as a whole.
    """

    kind: str
    code: list[etree._Element]
    result: list[etree._Element] = field(default_factory=list)
    end: etree._Element | None = None
    kept: bool = False

    def nodes(self) -> list[etree._Element]:
        """Every element of the field in document order."""
        tail = [self.end] if self.end is not None else []
        return self.code + self.result + tail


def fld_char_type(element: etree._Element, names: WordNames) -> str | None:
    """ "begin", "separate" or "end" when ``element`` is a run holding a field character."""
    if element.tag != names.r or not len(element):
        return None
    last = element[-1]
    if last.tag != names.fldChar:
        return None
    return last.get(names.q("fldCharType"))


def group_fields(
    children: list[etree._Element], names: WordNames
) -> list[etree._Element | FieldGroup]:
    """Children of a container with each complex field that begins there grouped.

    Separate and end characters whose begin lies elsewhere stay single elements.
    """
    output: list[etree._Element | FieldGroup] = []
    index = 0
    while index < len(children):
        child = children[index]
        if fld_char_type(child, names) == "begin":
            group, index = _read_field(children, index, names)
            output.append(group)
        else:
            output.append(child)
            index += 1
    return output


def _read_field(
    children: list[etree._Element], start: int, names: WordNames
) -> tuple[FieldGroup, int]:
    depth = 0
    separate: int | None = None
    instruction: list[str] = []
    for index in range(start, len(children)):
        child = children[index]
        char = fld_char_type(child, names)
        if char == "begin":
            depth += 1
        elif char == "separate" and depth == 1 and separate is None:
            separate = index
        elif char == "end":
            depth -= 1
            if depth == 0:
                return _complete(children, start, separate, index, instruction), index + 1
        elif separate is None:
            instruction.append(_instruction_text(child, names))
    return _unfinished(children, start, separate, instruction)


def _instruction_text(run: etree._Element, names: WordNames) -> str:
    if run.tag != names.r:
        return ""
    return "".join(el.text or "" for el in run.iter(names.instrText))


def _complete(
    children: list[etree._Element],
    start: int,
    separate: int | None,
    end: int,
    instruction: list[str],
) -> FieldGroup:
    kind = field_type("".join(instruction))
    if separate is None or is_kept(kind):
        return FieldGroup(kind, children[start : end + 1], kept=True)
    code = children[start : separate + 1]
    return FieldGroup(kind, code, children[separate + 1 : end], children[end])


def _unfinished(
    children: list[etree._Element],
    start: int,
    separate: int | None,
    instruction: list[str],
) -> tuple[FieldGroup, int]:
    """A field continuing in a later paragraph: its code here is one kept placeholder."""
    kind = field_type("".join(instruction))
    stop = len(children) if separate is None else separate + 1
    return FieldGroup(kind, children[start:stop], kept=True), stop
