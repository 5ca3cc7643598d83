"""Classification of WordprocessingML inline content shared by normalisation,
extraction and reassembly.

* A *simple* run child (``w:t``, ``w:tab``, ``w:br``, ``w:cr``, ``w:ptab``, ``w:sym``,
  ``w:noBreakHyphen``) can share a run with text; runs holding only simple children are
  merged with equal-property neighbours and rebuilt from the target text.
* Every other run child (drawings, fields, note references…) is *complex*: it sits alone
  in its run, which is carried through translation verbatim.
* *Wrappers* (hyperlink, smart tag, content control, simple field, revision…) hold runs;
  their property children stay with the wrapper.
"""

from __future__ import annotations

from lxml import etree

from iris.docx.opc.names import WordNames, words

_SIMPLE = ("t", "tab", "br", "cr", "ptab", "sym", "noBreakHyphen")
_WRAPPERS = ("hyperlink", "smartTag", "customXml", "fldSimple", "dir", "bdo", "ins", "moveTo")
_WRAPPER_PROPS = ("smartTagPr", "customXmlPr", "fldData", "sdtPr", "sdtEndPr")
MARKERS = words(
    "bookmarkStart bookmarkEnd commentRangeStart commentRangeEnd permStart permEnd "
    "moveFromRangeStart moveFromRangeEnd moveToRangeStart moveToRangeEnd"
)


_RSIDS = ("rsidR", "rsidRPr", "rsidDel", "rsidP", "rsidRDefault", "rsidTr", "rsidSect")


class WordVocabulary:
    """Tag sets for one WordprocessingML namespace, built once per namespace."""

    def __init__(self, names: WordNames) -> None:
        self.names = names
        self.simple = frozenset(names.q(local) for local in _SIMPLE)
        self.wrappers = frozenset(names.q(local) for local in _WRAPPERS)
        self.wrapper_props = frozenset(names.q(local) for local in _WRAPPER_PROPS)
        self.markers = frozenset(names.q(local) for local in MARKERS)
        self.revision_removed = frozenset((names.delete, names.q("moveFrom")))
        self.revision_unwrapped = frozenset((names.ins, names.moveTo))
        self.dropped = frozenset((names.lastRenderedPageBreak, names.softHyphen))
        self.rsid_attributes = frozenset(names.q(local) for local in _RSIDS)

    def is_simple_run(self, run: etree._Element) -> bool:
        """True when every child of ``run`` (besides ``w:rPr``) is simple."""
        simple, rpr = self.simple, self.names.rPr
        return all(child.tag in simple or child.tag == rpr for child in run)

    def content_of(self, wrapper: etree._Element) -> etree._Element:
        """The element whose children are a wrapper's inline content."""
        if wrapper.tag == self.names.sdt:
            content = wrapper.find(self.names.sdtContent)
            if content is not None:
                return content
        return wrapper


_VOCABULARIES: dict[str, WordVocabulary] = {}


def vocabulary(names: WordNames) -> WordVocabulary:
    """The cached `WordVocabulary` of a namespace."""
    found = _VOCABULARIES.get(names.ns)
    if found is None:
        found = WordVocabulary(names)
        _VOCABULARIES[names.ns] = found
    return found


def run_properties(run: etree._Element, names: WordNames) -> etree._Element | None:
    """The ``w:rPr`` of a run, if any (it is always the first child)."""
    if len(run) and run[0].tag == names.rPr:
        return run[0]
    return None
