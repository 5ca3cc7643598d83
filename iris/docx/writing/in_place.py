"""Writing a translation into a paragraph's own text elements, when only text changed.

Most targets keep the source's tags in the source's order; all that changes is the text
between them. Such a target is written in place: each stretch of text between two tags
goes into the one ``w:t`` that held the source's stretch, and every run that
`iris.docx.writing.reassemble.ParagraphWriter` would have rebuilt gets the target
language's properties instead. Nothing else of the paragraph is touched, so the result
has the normalised paragraph's structure exactly, as the rebuild of a same-shaped
target has.

A pair that sentence splitting closed and reopened (``…</g1><g1>…``) counts once. Any
other difference of tags, a changed stretch that no single text element holds (text
split by a protected span, a stretch over several runs), a stretch emptied or filled
where the source had none, or a non-breaking hyphen in new text is left to the writer:
`write_in_place` then returns None and has touched nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from lxml import etree

from iris.docx.reading.normalise import NB_HYPHEN, set_text
from iris.docx.reading.paramodel import (
    InlineCode,
    Node,
    ParagraphModel,
    ProtectedText,
    Span,
    TextPiece,
)
from iris.docx.reading.rprops import RPrKey
from iris.docx.text.tag_syntax import TAG_PATTERN, unescape_text

_SPLIT_RE = re.compile(f"({TAG_PATTERN})")
_REOPENED_RE = re.compile(r"</g([1-9][0-9]*)><g\1>")

#: gives a run the target language's properties (`WordDialect.retype`)
Retype = Callable[[etree._Element, RPrKey], None]


def write_in_place(
    model: ParagraphModel, target: str, retype: Retype
) -> list[etree._Element] | None:
    """Write ``target`` into the paragraph in place; the runs given the target's
    properties (in document order), or None when the target needs a rebuild."""
    if not model.tags:
        return _write_untagged(model, target, retype)
    source = _SPLIT_RE.split(model.tagged)
    if "</g" in target:
        target = _REOPENED_RE.sub("", target)
    pieces = _SPLIT_RE.split(target)
    if len(pieces) != len(source) or pieces[1::2] != source[1::2]:
        return None
    writes = []
    for stretch, old, new in zip(_stretches(model), source[0::2], pieces[0::2], strict=True):
        if new == old:
            continue
        element = _holder(stretch, new)
        if element is None:
            return None
        writes.append((element, unescape_text(new)))
    for element, text in writes:
        set_text(element, text)
    return _retyped(model, retype)


def _retyped(model: ParagraphModel, retype: Retype) -> list[etree._Element]:
    """Give every run the writer would have rebuilt the target's properties."""
    runs = _rebuilt_runs(model)
    for run, key in runs.items():
        retype(run, key)
    return list(runs)


def _write_untagged(
    model: ParagraphModel, target: str, retype: Retype
) -> list[etree._Element] | None:
    """`write_in_place` for a paragraph without tags (one stretch of text)."""
    element = None if "<" in target else _holder(model.body, target)
    if element is None:
        return None
    set_text(element, unescape_text(target))
    if model.prefix or model.suffix or model.frames:
        return _retyped(model, retype)
    piece = model.body[0]
    assert isinstance(piece, TextPiece)
    retype(piece.run, piece.key)  # the paragraph's one run (most untagged paragraphs)
    return [piece.run]


def _holder(stretch: Sequence[Node], new: str) -> etree._Element | None:
    """The one text element that can take ``new`` (non-empty, no U+2011, which the
    writer turns into an element) in place of the stretch's text, or None."""
    if len(stretch) != 1 or not new or NB_HYPHEN in new:
        return None
    piece = stretch[0]
    return piece.element if isinstance(piece, TextPiece) else None


def _stretches(model: ParagraphModel) -> list[list[TextPiece]]:
    """The text pieces between consecutive tags of the tagged text (one list per gap)."""
    stretches: list[list[TextPiece]] = [[]]
    _collect(model.body, stretches)
    return stretches


def _collect(nodes: list[Node], stretches: list[list[TextPiece]]) -> None:
    for node in nodes:
        if isinstance(node, TextPiece):
            stretches[-1].append(node)
        elif isinstance(node, Span):
            stretches.append([])
            _collect(node.children, stretches)
            stretches.append([])
        else:
            stretches.append([])


def _rebuilt_runs(model: ParagraphModel) -> dict[etree._Element, RPrKey]:
    """Every run the writer would rebuild from a template (text, inline codes, protected
    text), with its property key, in document order."""
    runs: dict[etree._Element, RPrKey] = {}
    edges = [*model.prefix, *(e for f in model.frames for e in f.prefix)]
    _add_runs(edges, runs)
    _add_runs(model.body, runs)
    _add_runs([*(e for f in reversed(model.frames) for e in f.suffix), *model.suffix], runs)
    return runs


def _add_runs(nodes: Sequence[Node], runs: dict[etree._Element, RPrKey]) -> None:
    for node in nodes:
        if isinstance(node, TextPiece | InlineCode):
            runs.setdefault(node.run, node.key)
        elif isinstance(node, ProtectedText):
            for piece in node.pieces or (node,):
                runs.setdefault(piece.run, piece.key)
        elif isinstance(node, Span):
            _add_runs(node.children, runs)
