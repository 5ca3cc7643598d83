"""The paragraph model: inline content as text, codes and spans, and its tagged text.

A paragraph (WordprocessingML ``w:p`` or DrawingML ``a:p``) is read into a list of nodes:

* `TextPiece` — text from a run; `ProtectedText` — a template placeholder such as
  ``{{ name }}`` (a standalone tag; its text is restored verbatim);
* `InlineCode` — a tab, break or symbol that lives inside a run (standalone tag);
* `Verbatim` — elements carried through translation unchanged: drawings, note
  references, kept fields, bookmarks, comment anchors… (standalone tag);
* `Span` — a paired tag: a formatting difference (``format``), an XML wrapper such as
  a hyperlink or content control (``wrapper``), or a field with a textual result
  (``field``).

Within a scope (the paragraph or a wrapper) the dominant run formatting is the *base*
and stays untagged; runs whose canonical properties differ become ``format`` spans.
Codes at the very start or end of a paragraph are not tagged at all: they stay in place
(`ParagraphModel.prefix`/`suffix`). A wrapper that holds the whole remaining content
(a TOC entry's hyperlink, a content control around the paragraph text) is not tagged
either: it becomes a `Frame`, re-emitted around the rebuilt content.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from iris.docx.reading.rprops import RPrKey
from iris.docx.text.tag_syntax import escape_text, tag_text


@dataclass(eq=False, slots=True)
class TextPiece:
    """Text from run ``run`` whose canonical properties are ``key``; ``element`` is the
    one text element holding all of it, when there is one (a translation of the same
    shape is written into it in place: `iris.docx.writing.in_place`)."""

    text: str
    run: etree._Element
    key: RPrKey
    element: etree._Element | None = None


@dataclass(eq=False, slots=True)
class ProtectedText:
    """Protected text (a placeholder, URL or e-mail address) starting in run ``run``.

    A span whose characters lie in several differently formatted runs (``adm`` + bold
    ``_`` + ``name@mail.ru``) is one placeholder all the same: ``pieces`` then holds
    its text run by run, each restored in its own run's formatting.
    """

    text: str
    run: etree._Element
    key: RPrKey
    pieces: list[TextPiece] = field(default_factory=list)


@dataclass(eq=False, slots=True)
class InlineCode:
    """A run child such as ``w:tab`` that is re-emitted inside a run like ``run``."""

    element: etree._Element
    run: etree._Element
    key: RPrKey
    desc: str


@dataclass(eq=False, slots=True)
class Verbatim:
    """Elements moved through translation unchanged."""

    nodes: list[etree._Element]
    desc: str


@dataclass(eq=False, slots=True)
class Span:
    """A paired tag: formatting (``run`` is its template run), wrapper or field.

    For wrappers ``shell`` is the wrapper element and ``inner`` the element receiving
    its content; for fields ``open_nodes``/``close_nodes`` are the code and end runs.
    ``run``/``key`` of wrappers and fields are the base formatting of their content.
    """

    kind: Literal["format", "wrapper", "field"]
    desc: str
    children: list[Node]
    run: etree._Element | None
    key: RPrKey
    shell: etree._Element | None = None
    inner: etree._Element | None = None
    open_nodes: list[etree._Element] = field(default_factory=list)
    close_nodes: list[etree._Element] = field(default_factory=list)


Node = TextPiece | ProtectedText | InlineCode | Verbatim | Span
Tagged = ProtectedText | InlineCode | Verbatim | Span
Edge = InlineCode | Verbatim


@dataclass(eq=False, slots=True)
class Frame:
    """A wrapper around all of a paragraph's tagged content, with its own edge codes."""

    span: Span
    prefix: list[Edge]
    suffix: list[Edge]


@dataclass(eq=False, slots=True)
class ParagraphModel:
    """A paragraph ready for extraction and reassembly."""

    element: etree._Element
    prefix: list[Edge]
    body: list[Node]
    suffix: list[Edge]
    base_run: etree._Element | None
    base_key: RPrKey
    frames: list[Frame] = field(default_factory=list)
    tagged: str = ""
    tags: dict[int, Tagged] = field(default_factory=dict)
    descriptions: dict[int, str] = field(default_factory=dict)
    has_text: bool = False
    alias_of: ParagraphModel | None = None

    def protected_texts(self) -> dict[int, str]:
        """Tag number → original text of the protected placeholders."""
        return {k: v.text for k, v in self.tags.items() if isinstance(v, ProtectedText)}


ProtectFn = Callable[[str], list[tuple[int, int]]]


def protect_items(items: list[Node], protect: ProtectFn) -> list[Node]:
    """A scope's items with the spans ``protect`` finds cut out as `ProtectedText`.

    Spans are found on the joined text of each stretch of adjacent text pieces, so a
    URL or e-mail address split across runs of different formatting is protected as
    one placeholder (a stretch ends at any code; a span never crosses a wrapper).
    """
    out: list[Node] = []
    stretch: list[TextPiece] = []
    for item in items:
        if isinstance(item, TextPiece):
            stretch.append(item)
            continue
        if stretch:
            out.extend(_protect_stretch(stretch, protect))
            stretch = []
        out.append(item)
    if stretch:
        out.extend(_protect_stretch(stretch, protect))
    return out


def _protect_stretch(stretch: list[TextPiece], protect: ProtectFn) -> list[Node]:
    text = stretch[0].text if len(stretch) == 1 else "".join(p.text for p in stretch)
    spans = [(start, end) for start, end in protect(text) if start < end]
    if not spans:
        return list(stretch)
    out: list[Node] = []
    inside: list[TextPiece] = []  # the pieces of the span being read
    position = 0
    for piece in stretch:
        offset, position = position, position + len(piece.text)
        cursor = offset
        while cursor < position:
            start, end = spans[0] if spans else (position, position)
            if start > cursor:  # plain text up to the next span
                stop = min(start, position)
                out.append(_part(piece, cursor - offset, stop - offset))
                cursor = stop
                continue
            stop = min(end, position)
            inside.append(_part(piece, cursor - offset, stop - offset))
            cursor = stop
            if stop == end:
                out.append(_protected(inside))
                inside = []
                spans.pop(0)
    return out


def _part(piece: TextPiece, start: int, end: int) -> TextPiece:
    if start == 0 and end == len(piece.text):
        return piece
    return TextPiece(piece.text[start:end], piece.run, piece.key)


def _protected(pieces: list[TextPiece]) -> ProtectedText:
    first = pieces[0]
    if len(pieces) == 1:
        return ProtectedText(first.text, first.run, first.key)
    return ProtectedText("".join(p.text for p in pieces), first.run, first.key, pieces)


Describer = Callable[[etree._Element | None, etree._Element | None], str]


def build_scope(items: list[Node]) -> tuple[list[Node], etree._Element | None, RPrKey]:
    """Group a scope's items into format spans around its dominant formatting.

    Returns the grouped children, the base template run and the base key.
    """
    base_run, base_key = _dominant(items)
    grouped: list[Node] = []
    group: list[Node] = []  # an open format span: text of one non-base formatting…
    group_key: RPrKey = None
    pending: list[Node] = []  # …and the codes after its last text, which may join it
    for item in _merge_verbatim(items):
        if not isinstance(item, TextPiece):
            (pending if group else grouped).append(item)
            continue
        key = item.key
        if group and key == group_key:
            group.extend(pending)
        else:
            if group:
                grouped.append(_format_span(group))
                group = []
            grouped.extend(pending)
        pending = []
        if key == base_key:
            grouped.append(item)
        else:
            if not group:
                group_key = key
            group.append(item)
    if group:
        grouped.append(_format_span(group))
    grouped.extend(pending)
    return grouped, base_run, base_key


def _format_span(group: list[Node]) -> Span:
    first = group[0]
    assert isinstance(first, TextPiece)
    return Span("format", "", group, first.run, first.key)


def _dominant(items: Sequence[Node]) -> tuple[etree._Element | None, RPrKey]:
    lengths: dict[RPrKey, int] = {}  # a plain dict: Counter's += is slower per item
    runs: dict[RPrKey, etree._Element] = {}
    for item in items:
        if isinstance(item, TextPiece):
            key = item.key
            if key in lengths:
                lengths[key] += len(item.text)
            else:
                lengths[key] = len(item.text)
                runs[key] = item.run
    if not lengths:
        return None, ()
    best = max(lengths.values())
    key = next(k for k, n in lengths.items() if n == best)
    return runs[key], key


def _merge_verbatim(items: list[Node]) -> list[Node]:
    merged: list[Node] = []
    previous: Node | None = None
    for item in items:
        if isinstance(item, Verbatim) and isinstance(previous, Verbatim):
            desc = previous.desc if item.desc in previous.desc.split("+") else None
            previous = merged[-1] = Verbatim(
                previous.nodes + item.nodes, desc or f"{previous.desc}+{item.desc}"
            )
        else:
            merged.append(item)
            previous = item
    return merged


def split_edges(items: list[Node]) -> tuple[list[Edge], list[Node], list[Edge]]:
    """Leading and trailing codes of a scope, and what lies between."""
    start, end = 0, len(items)
    while start < end and isinstance(items[start], InlineCode | Verbatim):
        start += 1
    while end > start and isinstance(items[end - 1], InlineCode | Verbatim):
        end -= 1
    prefix = [item for item in items[:start] if isinstance(item, InlineCode | Verbatim)]
    suffix = [item for item in items[end:] if isinstance(item, InlineCode | Verbatim)]
    return prefix, items[start:end], suffix


def make_model(
    paragraph: etree._Element,
    items: list[Node],
    describe: Describer,
    cache: dict[tuple[object, object], str] | None = None,
) -> ParagraphModel:
    """The tagged model of a paragraph from its items (edges and frames peeled off)."""
    model = shape_model(paragraph, items)
    assign_tags(model, describe, cache)
    return model


def shape_model(paragraph: etree._Element, items: list[Node]) -> ParagraphModel:
    """The model of a paragraph before `assign_tags`: edges, frames and format spans.

    ``tagged``, ``tags``, ``descriptions`` and ``has_text`` are still empty; a caller
    that only looks at the nodes (`iris.docx.verification.compare`) need not build them.
    """
    prefix, body, suffix = split_edges(items)
    grouped, base_run, base_key = build_scope(body)
    model = ParagraphModel(paragraph, prefix, grouped, suffix, base_run, base_key)
    while len(model.body) == 1:
        span = model.body[0]
        if not isinstance(span, Span) or span.kind == "format":
            break
        inner_prefix, inner_body, inner_suffix = split_edges(span.children)
        model.frames.append(Frame(span, inner_prefix, inner_suffix))
        model.body, model.base_run, model.base_key = inner_body, span.run, span.key
    return model


def assign_tags(
    model: ParagraphModel,
    describe: Describer,
    cache: dict[tuple[object, object], str] | None = None,
) -> None:
    """Number the tags of ``model.body`` and build its tagged text and descriptions.

    ``cache`` remembers descriptions of formatting differences by property keys.
    """
    writer = _TagWriter(model, describe, {} if cache is None else cache)
    writer.write(model.body, model.base_run, model.base_key)
    model.tagged = "".join(writer.out)


class _TagWriter:
    def __init__(
        self, model: ParagraphModel, describe: Describer, cache: dict[tuple[object, object], str]
    ) -> None:
        self.model = model
        self.describe = describe
        self.cache = cache
        self.out: list[str] = []

    def write(self, nodes: list[Node], base: etree._Element | None, base_key: object) -> None:
        for node in nodes:
            if isinstance(node, TextPiece):
                self.out.append(escape_text(node.text))
                if not self.model.has_text and node.text.strip():
                    self.model.has_text = True
            elif isinstance(node, Span):
                self._span(node, base, base_key)
            else:
                number = self._number(node)
                self.out.append(tag_text("standalone", number))
                self.model.descriptions[number] = code_description(node)

    def _span(self, span: Span, base: etree._Element | None, base_key: object) -> None:
        number = self._number(span)
        self.model.descriptions[number] = span.desc or self._describe(span, base, base_key)
        self.out.append(tag_text("open", number))
        if span.kind == "format":
            self.write(span.children, base, base_key)
        else:
            self.write(span.children, span.run, span.key)
        self.out.append(tag_text("close", number))

    def _describe(self, span: Span, base: etree._Element | None, base_key: object) -> str:
        found = self.cache.get((base_key, span.key))
        if found is None:
            found = self.describe(_rpr(base), _rpr(span.run))
            self.cache[(base_key, span.key)] = found
        return found

    def _number(self, node: Tagged) -> int:
        number = len(self.model.tags) + 1
        self.model.tags[number] = node
        return number


def code_description(node: Node) -> str:
    """Description of a standalone tag's node (``placeholder``, ``tab``, ``image``…)."""
    if isinstance(node, ProtectedText):
        return "placeholder"
    if isinstance(node, InlineCode | Verbatim):
        return node.desc
    return "code"


def _rpr(run: etree._Element | None) -> etree._Element | None:
    if run is None or not len(run):
        return None
    first = run[0]
    return first if isinstance(first.tag, str) and first.tag.endswith("}rPr") else None
