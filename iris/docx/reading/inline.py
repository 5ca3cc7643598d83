"""Reading a normalised WordprocessingML paragraph into a `ParagraphModel`."""

from __future__ import annotations

from typing import Literal

from lxml import etree

from iris.docx.model import Policy
from iris.docx.opc.names import MC_ALTERNATE, WNE_TXBX, local_name
from iris.docx.reading.fields import FieldGroup, field_type, group_fields, is_kept
from iris.docx.reading.normalise import NB_HYPHEN, SimpleRuns
from iris.docx.reading.paramodel import (
    InlineCode,
    Node,
    ParagraphModel,
    ProtectFn,
    Span,
    TextPiece,
    Verbatim,
    assign_tags,
    build_scope,
    protect_items,
    shape_model,
)
from iris.docx.reading.rprops import RPrKey, describe_difference, is_toggle_on, rpr_key
from iris.docx.reading.wordml import WordVocabulary, run_properties
from iris.docx.text.tag_syntax import escape_text

_WRAPPER_DESCRIPTIONS = {
    "hyperlink": "link",
    "smartTag": "smart-tag",
    "customXml": "custom-xml",
    "dir": "direction",
    "bdo": "direction",
    "ins": "insertion",
    "moveTo": "moved-here",
    "sdt": "content-control",
}
_CODE_DESCRIPTIONS = {
    "tab": "tab",
    "ptab": "tab",
    "cr": "line-break",
    "sym": "symbol",
    "footnoteReference": "footnote-ref",
    "endnoteReference": "endnote-ref",
    "commentReference": "comment-ref",
    "footnoteRef": "note-number",
    "endnoteRef": "note-number",
    "annotationRef": "comment-mark",
    "object": "object",
    "fldChar": "field",
    "instrText": "field-code",
    "delText": "deleted-text",
    "bookmarkStart": "bookmark",
    "bookmarkEnd": "bookmark",
    "commentRangeStart": "comment-start",
    "commentRangeEnd": "comment-end",
    "del": "deleted-text",
    "moveFrom": "moved-away",
    "oMath": "math",
    "oMathPara": "math",
}
_TEXTBOX_TAGS = ("txbxContent", "textbox")


class WordParagraphReader:
    """Builds paragraph models for one WordprocessingML namespace and policy."""

    def __init__(
        self,
        vocab: WordVocabulary,
        policy: Policy,
        protect: ProtectFn,
        runs: SimpleRuns | None = None,
        excluded_styles: frozenset[str] = frozenset(),
    ) -> None:
        self.vocab = vocab
        self.runs: SimpleRuns = {} if runs is None else runs
        self.names = vocab.names
        self.policy = policy
        self.protect = protect
        # Character style ids whose runs are kept untranslated, like hidden text.
        self.excluded_styles = excluded_styles
        self._every_run_looked_at = not policy.hidden or bool(excluded_styles)
        self.field_types: set[str] = set()
        self.descriptions: dict[tuple[object, object], str] = {}
        self._fields = False

    def read(self, paragraph: etree._Element) -> ParagraphModel:
        """The model of a normalised ``w:p``."""
        model = self._one_run(paragraph)
        if model is None:
            model = self._shape(paragraph)
            assign_tags(model, describe_difference, self.descriptions)
        return model

    def shape(self, paragraph: etree._Element) -> ParagraphModel:
        """The model of a normalised ``w:p`` without its tags (see `shape_model`); a
        paragraph of one plain run comes with them (they cost nothing there)."""
        return self._one_run(paragraph) or self._shape(paragraph)

    def _one_run(self, paragraph: etree._Element) -> ParagraphModel | None:
        """The model of a paragraph that is one run of plain text, as normalisation saw it
        (most paragraphs of many documents), without the general machinery: no tags,
        nothing protected. None for any other paragraph."""
        if self._every_run_looked_at:
            return None
        size = len(paragraph)
        if size == 2 and paragraph[0].tag == self.names.pPr:
            run = paragraph[1]
        elif size == 1:
            run = paragraph[0]
        else:
            return None
        known = self.runs.get(run)
        if known is None or not known[1] or self.protect(known[1]):
            return None
        del self.runs[run]
        text, key = known[1], known[0]
        return ParagraphModel(
            paragraph,
            [],
            [TextPiece(text, run, key, run[-1])],
            [],
            run,
            key,
            tagged=escape_text(text),
            has_text=not text.isspace(),
        )

    def _shape(self, paragraph: etree._Element) -> ParagraphModel:
        names = self.names
        self._fields = next(paragraph.iter(names.fldChar), None) is not None
        children = [c for c in paragraph if c.tag != names.pPr]
        return shape_model(paragraph, self._items(children))

    def _items(self, children: list[etree._Element]) -> list[Node]:
        items: list[Node] = []
        grouped = group_fields(children, self.names) if self._fields else children
        for child in grouped:
            if isinstance(child, FieldGroup):
                items.append(self._field(child))
            else:
                items.extend(self._element(child))
        return protect_items(items, self.protect)

    def _field(self, group: FieldGroup) -> Node:
        self.field_types.add(group.kind)
        desc = f"field {group.kind}".strip()
        if group.kept or group.end is None:
            return Verbatim(group.nodes(), desc)
        return self._scope_span(
            "field", desc, self._items(group.result), None, None, group.code, [group.end]
        )

    def _element(self, element: etree._Element) -> list[Node]:
        tag, names = element.tag, self.names
        if tag == names.r:
            return self._run(element)
        if tag in self.vocab.wrappers or tag == names.sdt:
            return [self._wrapper(element)]
        return [Verbatim([element], self._verbatim_desc(element))]

    def _wrapper(self, element: etree._Element) -> Node:
        local = local_name(element.tag)
        if local == "fldSimple":
            kind = field_type(element.get(self.names.q("instr")) or "")
            self.field_types.add(kind)
            if is_kept(kind):
                return Verbatim([element], f"field {kind}".strip())
            desc = f"field {kind}".strip()
        else:
            desc = _WRAPPER_DESCRIPTIONS.get(local, local)
        inner = self.vocab.content_of(element)
        content = [c for c in inner if c.tag not in self.vocab.wrapper_props]
        return self._scope_span("wrapper", desc, self._items(content), element, inner, [], [])

    def _scope_span(
        self,
        kind: Literal["wrapper", "field"],
        desc: str,
        items: list[Node],
        shell: etree._Element | None,
        inner: etree._Element | None,
        open_nodes: list[etree._Element],
        close_nodes: list[etree._Element],
    ) -> Span:
        grouped, base_run, base_key = build_scope(items)
        return Span(kind, desc, grouped, base_run, base_key, shell, inner, open_nodes, close_nodes)

    def _run(self, run: etree._Element) -> list[Node]:
        known = self.runs.pop(run, None)
        if known is not None and known[1] is not None and not self._every_run_looked_at:
            # Properties and one text, as normalisation saw them. (When hidden text or
            # character styles are excluded, the properties must be looked at: the
            # general path below.)
            return [TextPiece(known[1], run, known[0], run[-1])] if known[1] else []
        names, simple = self.names, self.vocab.simple
        content = list(run)
        rpr = content[0] if content and content[0].tag == names.rPr else None
        if rpr is not None:
            del content[0]
        tags = [child.tag for child in content]  # read once: each .tag is a C call
        if not simple.issuperset(tags) or self._hidden_excluded(rpr) or self._style_excluded(rpr):
            return [Verbatim([run], self._verbatim_desc(run))]
        key = rpr_key(rpr) if known is None else known[0]
        items: list[Node] = []
        text: list[str] = []
        holders: list[etree._Element | None] = []  # the w:t (or None) of each text
        for child, tag in zip(content, tags, strict=True):
            if tag == names.t:
                text.append(child.text or "")
                holders.append(child)
            elif tag == names.noBreakHyphen:
                text.append(NB_HYPHEN)
                holders.append(None)
            else:
                self._add_text(items, text, holders, run, key)
                text, holders = [], []
                items.append(InlineCode(child, run, key, self._code_desc(child)))
        self._add_text(items, text, holders, run, key)
        return items

    def _hidden_excluded(self, rpr: etree._Element | None) -> bool:
        if self.policy.hidden or rpr is None:
            return False
        vanish = rpr.find(self.names.vanish)
        return vanish is not None and is_toggle_on(vanish)

    def _style_excluded(self, rpr: etree._Element | None) -> bool:
        if not self.excluded_styles or rpr is None:
            return False
        style = rpr.find(self.names.q("rStyle"))
        return style is not None and style.get(self.names.q("val")) in self.excluded_styles

    def _add_text(
        self,
        items: list[Node],
        texts: list[str],
        holders: list[etree._Element | None],
        run: etree._Element,
        key: RPrKey,
    ) -> None:
        text = "".join(texts)
        if text:
            holder = holders[0] if len(holders) == 1 else None
            items.append(TextPiece(text, run, key, holder))

    def _code_desc(self, child: etree._Element) -> str:
        local = local_name(child.tag)
        if local == "br":
            kind = child.get(self.names.q("type")) or "textWrapping"
            return {"page": "page-break", "column": "column-break"}.get(kind, "line-break")
        return _CODE_DESCRIPTIONS.get(local, local)

    def _verbatim_desc(self, element: etree._Element) -> str:
        if element.tag == self.names.r:
            content = [c for c in element if c.tag != self.names.rPr]
            rpr = run_properties(element, self.names)
            if self._hidden_excluded(rpr):
                return "hidden-text"
            if self._style_excluded(rpr):
                return "excluded-style"
            if len(content) != 1:
                return "code"
            element = content[0]
        local = local_name(element.tag)
        if local in ("drawing", "pict") or element.tag == MC_ALTERNATE:
            return _drawing_desc(element)
        return _CODE_DESCRIPTIONS.get(local, local)


def _drawing_desc(element: etree._Element) -> str:
    for descendant in element.iter():
        tag = descendant.tag
        if not isinstance(tag, str):
            continue
        if tag == WNE_TXBX or local_name(tag) in _TEXTBOX_TAGS:
            return "textbox"
    return "image"
