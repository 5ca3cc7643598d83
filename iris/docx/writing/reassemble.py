"""Writing target tagged text back into a paragraph.

The paragraph's content is rebuilt from the target tokens: each text piece becomes a
run cloned from the run its tag (or the scope's base) stands for, consecutive pieces
with equal properties share one run, standalone tags re-emit their original elements,
wrapper tags re-emit their wrapper element, field tags their code and end runs.
Rebuilding the source text reproduces the normalised paragraph exactly.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from lxml import etree

from iris.docx.reading.paramodel import (
    Edge,
    InlineCode,
    ParagraphModel,
    ProtectedText,
    Span,
    Verbatim,
)
from iris.docx.reading.rprops import RPrKey
from iris.docx.text.tags import TagToken, tokenize

Part = str | etree._Element


class Dialect(Protocol):
    """How runs are made and where paragraph content starts and ends."""

    def new_run(self, template: etree._Element, parts: list[Part]) -> etree._Element | None:
        """A run like ``template`` holding ``parts`` (text or inline elements)."""

    def clear_content(self, paragraph: etree._Element) -> etree._Element | None:
        """Remove the paragraph's inline content; return the element to insert before."""


@dataclass
class _Frame:
    container: etree._Element
    anchor: etree._Element | None
    base_run: etree._Element | None
    base_key: RPrKey
    formats: list[Span] = field(default_factory=list)
    span: Span | None = None


@dataclass
class _Pending:
    key: RPrKey
    run: etree._Element
    parts: list[Part]


def merge_split_pairs(tokens: list[TagToken], mergeable: set[int]) -> list[TagToken]:
    """Join pairs that sentence splitting closed and reopened.

    A ``</gN>`` followed by ``<gN>`` with only whitespace and standalone tags between
    them is removed (with the reopening) for wrapper and field tags, so one hyperlink or
    content control spanning two sentences stays one element. A pair an engine moved
    away from the sentence edge stays split: the wrapper is written twice rather than
    stretched over words it never covered.
    """
    out: list[TagToken] = []
    closed_at: dict[int, int] = {}
    for token in tokens:
        tag = token.id
        if token.kind == "open" and tag in mergeable and tag in closed_at:
            position = closed_at.pop(tag)
            between = out[position + 1 :]
            if all(t.kind == "standalone" or not t.text.strip() for t in between):
                del out[position]
                continue
        if token.kind == "close" and tag is not None:
            closed_at[tag] = len(out)
        elif token.kind == "open":
            closed_at.clear()
        out.append(token)
    return out


class ParagraphWriter:
    """Rebuilds one paragraph; `runs` lists the text runs it created."""

    def __init__(self, model: ParagraphModel, dialect: Dialect) -> None:
        self.model = model
        self.dialect = dialect
        self.runs: list[etree._Element] = []
        self._used: set[int] = set()
        self._closed: set[int] = set()
        self._pending: _Pending | None = None

    def write(self, target: str) -> None:
        """Replace the paragraph content with ``target`` (well-formed tagged text)."""
        model = self.model
        wrappers = {n for n, t in model.tags.items() if isinstance(t, Span) and t.kind != "format"}
        tokens = merge_split_pairs(tokenize(target), wrappers)
        anchor = self.dialect.clear_content(model.element)
        frames = [_Frame(model.element, anchor, model.base_run, model.base_key)]
        self._edges(frames[-1], model.prefix)
        for number, frame in enumerate(model.frames, start=1):
            self._open(frames, frame.span, -number)
            self._edges(frames[-1], frame.prefix)
        for token in tokens:
            self._token(frames, token)
        for number, frame in reversed(list(enumerate(model.frames, start=1))):
            self._edges(frames[-1], frame.suffix)
            self._close(frames, frame.span, -number)
        self._edges(frames[-1], model.suffix)
        self._flush(frames[-1])

    def _edges(self, frame: _Frame, edges: list[Edge]) -> None:
        for edge in edges:
            self._standalone(frame, edge)

    def _token(self, frames: list[_Frame], token: TagToken) -> None:
        frame = frames[-1]
        if token.kind == "text":
            template, key = self._template(frame)
            if template is not None:
                self._add(frame, key, template, token.text)
            return
        node = self.model.tags.get(token.id or 0)
        if node is None:
            return
        if token.kind == "standalone":
            self._standalone(frame, node)
        elif isinstance(node, Span) and token.kind == "open":
            self._open(frames, node, token.id or 0)
        elif isinstance(node, Span):
            self._close(frames, node, token.id or 0)

    def _template(self, frame: _Frame) -> tuple[etree._Element | None, RPrKey]:
        if frame.formats:
            span = frame.formats[-1]
            return span.run, span.key
        return frame.base_run, frame.base_key

    def _standalone(self, frame: _Frame, node: object) -> None:
        if isinstance(node, InlineCode):
            self._add(frame, node.key, node.run, node.element)
        elif isinstance(node, ProtectedText):
            for piece in node.pieces or (node,):
                self._add(frame, piece.key, piece.run, piece.text)
        elif isinstance(node, Verbatim):
            self._flush(frame)
            self._verbatim(frame, node.nodes)

    def _open(self, frames: list[_Frame], span: Span, number: int) -> None:
        frame = frames[-1]
        if span.kind == "format":
            frame.formats.append(span)
            return
        self._flush(frame)
        first = number not in self._used
        self._used.add(number)
        if span.kind == "field":
            if first:
                self._verbatim(frame, span.open_nodes)
            frames.append(_Frame(frame.container, frame.anchor, span.run, span.key, span=span))
            return
        shell, inner = self._shell(span, first)
        if shell is None or inner is None:
            frames.append(_Frame(frame.container, frame.anchor, span.run, span.key, span=span))
            return
        self._verbatim(frame, [shell])
        frames.append(_Frame(inner, None, span.run, span.key, span=span))

    def _shell(
        self, span: Span, first: bool
    ) -> tuple[etree._Element | None, etree._Element | None]:
        shell, inner = span.shell, span.inner
        if shell is None or inner is None:
            return None, None
        if first:
            _clear_inner(shell, inner)
            return shell, inner
        if not _copyable(shell):
            return None, None
        twin = copy.deepcopy(shell)
        _clear_inner(twin, twin)
        return twin, twin

    def _close(self, frames: list[_Frame], span: Span, number: int) -> None:
        frame = frames[-1]
        if span.kind == "format":
            if span in frame.formats:
                frame.formats.remove(span)
            return
        if frame.span is not span or len(frames) == 1:
            return
        self._flush(frame)
        frames.pop()
        if span.kind == "field" and number not in self._closed:
            self._closed.add(number)
            self._verbatim(frames[-1], span.close_nodes)

    def _add(self, frame: _Frame, key: RPrKey, run: etree._Element, part: Part) -> None:
        pending = self._pending
        if pending is not None and pending.key == key:
            pending.parts.append(part)
            return
        self._flush(frame)
        self._pending = _Pending(key, run, [part])

    def _flush(self, frame: _Frame) -> None:
        pending, self._pending = self._pending, None
        if pending is None:
            return
        run = self.dialect.new_run(pending.run, pending.parts)
        if run is not None:
            self._verbatim(frame, [run])
            self.runs.append(run)

    def _verbatim(self, frame: _Frame, nodes: Iterable[etree._Element]) -> None:
        for node in nodes:
            if frame.anchor is not None:
                frame.anchor.addprevious(node)
            else:
                frame.container.append(node)


def _clear_inner(shell: etree._Element, inner: etree._Element) -> None:
    keep = {"smartTagPr", "customXmlPr", "fldData", "sdtPr", "sdtEndPr", "sdtContent"}
    for child in list(inner):
        local = child.tag.rpartition("}")[2] if isinstance(child.tag, str) else ""
        if inner is shell and local in keep:
            continue
        inner.remove(child)


def _copyable(shell: etree._Element) -> bool:
    local = shell.tag.rpartition("}")[2] if isinstance(shell.tag, str) else ""
    return local in ("hyperlink", "smartTag", "customXml", "dir", "bdo", "ins", "moveTo")


def copy_properties(template: etree._Element, rpr_tag: str) -> etree._Element | None:
    """A deep copy of the template run's properties element, if it has one."""
    if len(template) and template[0].tag == rpr_tag:
        return copy.copy(template[0])  # lxml's copy is deep, without deepcopy's memo
    return None
