"""Inline tags in unit text: syntax, validation of an engine's target, and repair.

The syntax (``<g1>…</g1>`` pairs, ``<x2/>`` standalones, ``&amp;``/``&lt;``/``&gt;``
escapes) is described in `iris.docx.text.tag_syntax`, whose names are re-exported here.
`tokenize` is strict and fast; `validate_tags` compares an engine's target with its
source; `repair_tags` makes any target well formed with every source tag exactly once.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from iris.docx.errors import TagError
from iris.docx.text.tag_syntax import (
    Mark,
    MarkKey,
    TagToken,
    TokenKind,
    escape_text,
    is_literal,
    is_valid_syntax,
    plain_text,
    read_loosely,
    scan,
    tag_strings,
    tag_text,
    unescape_text,
)

__all__ = [
    "TagIssue",
    "TagToken",
    "escape_text",
    "plain_text",
    "repair_tags",
    "tokenize",
    "unescape_text",
    "validate_tags",
]

IssueCode = Literal["missing", "extra", "unbalanced", "order", "syntax"]


@dataclass(frozen=True, slots=True)
class TagIssue:
    """A problem of a target's tags relative to its source; ``tag`` is None for syntax."""

    code: IssueCode
    tag: int | None
    message: str


def tokenize(tagged: str, *, require_balanced: bool = False) -> list[TagToken]:
    """Split tagged text into tokens; adjacent text is one token.

    Raises `TagError` on a stray ``<`` or ``>``, an unknown tag name (``<b>``, ``<g0>``,
    ``< x1/>``) or a bare ``&`` that is not ``&amp;``/``&lt;``/``&gt;``.  With
    ``require_balanced`` it also raises when tags are not well nested (a ``<g1>`` never
    closed, a close without open, crossed pairs) or a number is used twice.
    """
    tokens = scan(tagged)
    if require_balanced and not _balanced([t.text for t in tokens if t.id is not None]):
        problems = _nesting_issues(tokens) + _duplicate_issues(tokens)
        raise TagError(problems[0].message)
    return tokens


def _balanced(tags: list[str]) -> bool:
    """Well nested, no tag twice: what `_nesting_issues` and `_duplicate_issues` find
    nothing wrong with, on tag strings (a tag string is its kind and number)."""
    return _well_nested(tags) and len(set(tags)) == len(tags)


# --- validation ---------------------------------------------------------------------------


def validate_tags(source: str, target: str) -> list[TagIssue]:
    """Issues of ``target``'s tags relative to ``source``; ``[]`` means valid.

    Valid means: syntax is correct, every source tag appears exactly once with the same
    kind (paired stays paired, standalone stays standalone), no tag unknown to the
    source, pairs open before they close and are well nested.  Reordering well-nested
    tags (including changing which pair contains which) is allowed, because word order
    changes between languages.  A syntax error is reported alone (one ``syntax`` issue):
    nothing else can be judged reliably.  Raises `TagError` if ``source`` is malformed.
    """
    if _already_valid(source, target):
        return []
    source_kinds = _kinds(tokenize(source, require_balanced=True))
    try:
        tokens = tokenize(target)
    except TagError as error:
        return [TagIssue("syntax", None, str(error))]
    issues = _presence_issues(source_kinds, tokens)
    issues += _duplicate_issues(tokens)
    issues += _nesting_issues(tokens)
    return _unique(issues)


def _source_tags(source: str) -> list[str]:
    """Tags of a well-formed source, in order; raises `TagError` otherwise.

    Valid syntax, well-nested pairs and no tag twice (a tag string is its kind and
    number) are what ``tokenize(source, require_balanced=True)`` checks; on tag strings
    that is one regex pass instead of a token list per unit.
    """
    tags = tag_strings(source)
    if not (is_valid_syntax(source) and _balanced(tags)):
        tokenize(source, require_balanced=True)  # raises the precise error
    return tags


def _already_valid(source: str, target: str) -> bool:
    """Fast check without tokens: the common case of a valid target costs microseconds."""
    source_tags = _source_tags(source)
    if not is_valid_syntax(target):
        return False
    tags = tag_strings(target)
    if tags == source_tags:
        return True  # the source's tags in the source's order: well nested like it
    return sorted(tags) == sorted(source_tags) and _well_nested(tags)


def _well_nested(tags: list[str]) -> bool:
    stack: list[str] = []
    for tag in tags:
        if tag[1] == "g":
            stack.append(tag[2:-1])
        elif tag[1] == "/" and (not stack or stack.pop() != tag[3:-1]):
            return False
    return not stack


def _kinds(tokens: list[TagToken]) -> dict[int, TokenKind]:
    """Tag number -> "open" (paired) or "standalone"."""
    return {t.id: ("open" if t.kind == "close" else t.kind) for t in tokens if t.id is not None}


def _presence_issues(source_kinds: dict[int, TokenKind], tokens: list[TagToken]) -> list[TagIssue]:
    target_shapes = {(t.id, "open" if t.kind == "close" else t.kind) for t in tokens if t.id}
    issues: list[TagIssue] = []
    for tag, kind in source_kinds.items():
        if (tag, kind) not in target_shapes:
            issues.append(TagIssue("missing", tag, f"Tag {_shape(tag, kind)} is missing."))
    for tag, kind in sorted(target_shapes):
        expected = source_kinds.get(tag)
        if expected is None:
            issues.append(TagIssue("extra", tag, f"Tag {tag} does not exist in the source."))
        elif expected != kind:
            message = f"Tag {tag} must be written {_shape(tag, expected)}."
            issues.append(TagIssue("extra", tag, message))
    return issues


def _shape(tag: int, kind: TokenKind) -> str:
    return (
        tag_text("standalone", tag)
        if kind == "standalone"
        else f"{tag_text('open', tag)}…{tag_text('close', tag)}"
    )


def _duplicate_issues(tokens: list[TagToken]) -> list[TagIssue]:
    counts = Counter((t.kind, t.id) for t in tokens if t.id is not None)
    return [
        TagIssue("extra", tag, f"Tag {tag} appears {count} times; it must appear once.")
        for (_, tag), count in counts.items()
        if count > 1
    ]


def _nesting_issues(tokens: list[TagToken]) -> list[TagIssue]:
    stack: list[int] = []
    issues: list[TagIssue] = []
    for token in tokens:
        if token.kind == "open" and token.id is not None:
            stack.append(token.id)
        elif token.kind == "close" and token.id is not None:
            issues += _close_issues(stack, token.id)
    for tag in stack:
        issues.append(TagIssue("unbalanced", tag, f"Tag {tag_text('open', tag)} is never closed."))
    return issues


def _close_issues(stack: list[int], tag: int) -> list[TagIssue]:
    if tag not in stack:
        return [
            TagIssue(
                "unbalanced", tag, f"Tag {tag_text('close', tag)} closes a tag that is not open."
            )
        ]
    issues: list[TagIssue] = []
    if stack[-1] != tag:
        inner = stack[-1]
        message = (
            f"Tags {tag_text('open', tag)} and {tag_text('open', inner)} cross; "
            f"close {tag_text('open', inner)} before {tag_text('close', tag)}."
        )
        issues.append(TagIssue("order", tag, message))
    del stack[len(stack) - 1 - stack[::-1].index(tag)]
    return issues


def _unique(issues: list[TagIssue]) -> list[TagIssue]:
    first: dict[tuple[str, int | None], TagIssue] = {}
    for issue in issues:
        first.setdefault((issue.code, issue.tag), issue)
    return list(first.values())


# --- repair: the target becomes plain text plus marks (tags anchored at a gap between
# characters, ordered by key = (gap, seq)); keys decide the order, one stack pass
# then removes crossings.

_AFTER = 1e6
_BEFORE = -1e6
_TAGLIKE_RE = re.compile(r"<\s*+/?\s*+[gx]\s*+\d++\s*+/?\s*+>", re.IGNORECASE)
_ESCAPED_TAG_RE = re.compile(r"&lt;\s*+/?\s*+[gx]\s*+\d++\s*+/?\s*+&gt;", re.IGNORECASE)
_REACH = 32  # how far a tag may move to reach a word boundary (bounds the work, too)
_NO_SPACE_SCRIPTS_RE = re.compile(
    r"[\u0e00-\u0eff\u1000-\u109f\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]"
)


@dataclass(frozen=True, slots=True)
class _SourceTag:
    """Where a tag sits in the source: plain offsets, token indexes, enclosing pairs."""

    paired: bool
    start: int
    end: int
    order: int
    close_order: int
    parents: frozenset[int]


def repair_tags(source: str, target: str) -> str:
    """Return ``target`` rewritten so that ``validate_tags(source, result) == []``.

    A target that is already valid is returned unchanged.  Otherwise, in order:

    * Reading is lenient: ``< x1 / >``, ``<G1>``, full-width ``＜x1/＞`` are the tags they
      obviously mean; a ``<`` or ``>`` that is not a tag becomes literal text; a bare
      ``&`` becomes ``&amp;``; HTML entities (``&quot;``, ``&#39;``, ``&nbsp;`` …) are
      decoded.  HTML-escaped tags (``&lt;x1/&gt;``) are restored when their number is a
      source tag, unless the source's own text contains tag-like literals.
    * A tag's number decides its kind (numbers are unique per unit): ``<x1>`` or
      ``<g1/>`` for a source ``<x1/>`` is that standalone; ``<g2/>`` for a source pair is
      an empty pair there.
    * Unknown numbers are renumbering when they match the missing source tags one for
      one (same count per kind): they are mapped in order of appearance; otherwise they
      are removed.  Duplicates are removed: the first standalone wins; for a pair the
      first open and the first close after it (``<g1>a<g1>`` reads the second open as the
      close; ``</g1>a<g1>`` as swapped slashes).
    * A missing standalone goes to its proportional position (source offset scaled to
      the target length), moved to the nearest word boundary (within 32 characters);
      in text without spaces (CJK, Thai) every character boundary is one, so it stays
      proportional.
    * A pair missing its close closes at the proportional position of the source close
      (never before its open); a missing open likewise.  A pair missing entirely wraps
      the proportional span widened to whole words (an empty source span, or an empty
      result, gives an empty pair ``<gN></gN>``).
    * Crossed pairs ``<g1>a<g2>b</g1>c</g2>`` are fixed by moving one tag, guided by the
      source: if the source has g2 inside g1, g2 is closed where g1 closes; if it has g1
      inside g2, g2's open moves before g1's; if they were disjoint, g1 closes where g2
      opens.  Tags are never closed and reopened, since a number may appear only once.

    Text that only *became* tag-like while reading (``<</g3>/g2>`` leaves the literal
    ``</g2>``) is read again as a tag, until nothing changes, so repair is idempotent.
    Raises `TagError` only if ``source`` itself is malformed.
    """
    if is_literal(source) and is_literal(target):
        return target  # no tags on either side and nothing to escape: valid as it is
    if _already_valid(source, target):
        return target
    layout, source_length = _source_layout(tokenize(source, require_balanced=True))
    allow_escaped = _TAGLIKE_RE.search(plain_text(source)) is None
    result = _repair_once(layout, source_length, target, allow_escaped)
    while allow_escaped and _ESCAPED_TAG_RE.search(result):
        again = _repair_once(layout, source_length, result, allow_escaped)
        if again == result:  # escaped numbers unknown to the source stay text
            break
        result = again
    return result


def _repair_once(
    layout: dict[int, _SourceTag], source_length: int, target: str, allow_escaped: bool
) -> str:
    text, marks = read_loosely(target, set(layout), allow_escaped)
    by_tag: dict[int, list[Mark]] = {}
    for mark in _renumber(marks, layout):
        by_tag.setdefault(mark.tag, []).append(mark)
    keys: list[tuple[MarkKey, str, int]] = []
    for tag, info in layout.items():
        keys += _place(tag, info, by_tag.get(tag, []), text, source_length)
    return _emit(text, sorted(keys), layout)


def _source_layout(tokens: list[TagToken]) -> tuple[dict[int, _SourceTag], int]:
    layout: dict[int, _SourceTag] = {}
    opened: dict[int, tuple[int, int, frozenset[int]]] = {}
    stack: list[int] = []
    offset = 0
    for index, token in enumerate(tokens):
        if token.kind == "text":
            offset += len(token.text)
        elif token.kind == "open" and token.id is not None:
            opened[token.id] = (offset, index, frozenset(stack))
            stack.append(token.id)
        elif token.kind == "close" and token.id is not None:
            start, order, parents = opened[token.id]
            stack.pop()
            layout[token.id] = _SourceTag(True, start, offset, order, index, parents)
        elif token.id is not None:
            layout[token.id] = _SourceTag(False, offset, offset, index, index, frozenset(stack))
    return layout, offset


def _renumber(marks: list[Mark], layout: dict[int, _SourceTag]) -> list[Mark]:
    """Map unknown numbers onto missing source tags one for one, or drop them."""
    present = {m.tag for m in marks}
    paired_like = {m.tag for m in marks if m.form != "self"}
    unknown_in_order = [t for t in dict.fromkeys(m.tag for m in marks) if t not in layout]
    in_order = sorted(layout, key=lambda t: layout[t].order)
    mapping: dict[int, int] = {}
    for paired in (True, False):
        missing = [t for t in in_order if layout[t].paired == paired and t not in present]
        unknown = [t for t in unknown_in_order if (t in paired_like) == paired]
        if len(missing) == len(unknown):
            mapping.update(zip(unknown, missing, strict=True))
    renamed = [Mark(mapping.get(m.tag, m.tag), m.form, m.key) for m in marks]
    return [m for m in renamed if m.tag in layout]


def _place(
    tag: int, info: _SourceTag, marks: list[Mark], text: str, source_length: int
) -> list[tuple[MarkKey, str, int]]:
    """Final keys of one source tag: ``(key, "open"|"close"|"self", tag)`` entries.

    Inserted marks get seqs that put opens and standalones after, and closes before, the
    marks the target already has in that gap; among themselves they keep source order.
    """
    if not info.paired:
        gap = _snap(text, _proportional(info.start, text, source_length))
        return [(marks[0].key if marks else (gap, _AFTER + info.order), "self", tag)]
    open_key, close_key = _pair_keys(marks)
    if open_key is None:
        gap = _open_gap(info, text, source_length)
        if close_key is not None:
            gap = min(gap, close_key[0])
        open_key = (gap, _AFTER + info.order)
        if close_key is not None and open_key >= close_key:
            open_key = (close_key[0], close_key[1] - 0.5)
    if close_key is None:
        gap = max(_close_gap(info, text, source_length), open_key[0])
        close_key = (gap, _BEFORE + info.close_order)
        if close_key <= open_key:
            close_key = (open_key[0], open_key[1] + 0.5)
    return [(open_key, "open", tag), (close_key, "close", tag)]


def _pair_keys(marks: list[Mark]) -> tuple[MarkKey | None, MarkKey | None]:
    opens = [m for m in marks if m.form == "open"]
    closes = [m for m in marks if m.form == "close"]
    if opens:
        first = opens[0]
        later = [m for m in marks if m.key > first.key]
        end = next((m for m in later if m.form == "close"), later[0] if later else None)
        if end is None and closes:
            return closes[0].key, first.key  # "</g1>…<g1>": slashes swapped
        return first.key, end.key if end else None
    if len(closes) >= 2:
        return closes[0].key, closes[1].key
    if closes:
        return None, closes[0].key
    if marks:
        return marks[0].key, (marks[0].key[0], marks[0].key[1] + 0.25)
    return None, None


def _proportional(offset: int, text: str, source_length: int) -> int:
    return round(offset * len(text) / source_length) if source_length else 0


def _open_gap(info: _SourceTag, text: str, source_length: int) -> int:
    """Proportional open, widened to the start of its word, then past whitespace."""
    gap = _proportional(info.start, text, source_length)
    if info.start == info.end:
        return _snap(text, gap)
    start = gap
    while gap > max(0, start - _REACH) and not _is_boundary(text, gap):
        gap -= 1
    gap = gap if _is_boundary(text, gap) else start
    while gap < min(len(text), start + _REACH) and text[gap].isspace():
        gap += 1
    return gap


def _close_gap(info: _SourceTag, text: str, source_length: int) -> int:
    """Proportional close, widened to the end of its word, then back over whitespace."""
    gap = _proportional(info.end, text, source_length)
    if info.start == info.end:
        return _snap(text, gap)
    end = gap
    while gap < min(len(text), end + _REACH) and not _is_boundary(text, gap):
        gap += 1
    gap = gap if _is_boundary(text, gap) else end
    while gap > max(0, end - _REACH) and text[gap - 1].isspace():
        gap -= 1
    return gap


def _snap(text: str, gap: int) -> int:
    """Nearest word boundary (the left one on a tie), if one is within `_REACH`."""
    for delta in range(_REACH + 1):
        for candidate in (gap - delta, gap + delta):
            if 0 <= candidate <= len(text) and _is_boundary(text, candidate):
                return candidate
    return gap


def _is_boundary(text: str, gap: int) -> bool:
    if gap in (0, len(text)):
        return True
    around = text[gap - 1 : gap + 1]
    return (
        around[0].isspace()
        or around[1].isspace()
        or _NO_SPACE_SCRIPTS_RE.search(around) is not None
    )


def _emit(text: str, keyed: list[tuple[MarkKey, str, int]], layout: dict[int, _SourceTag]) -> str:
    """Interleave text and tags in key order; crossings are removed on the way."""
    out = _Output(layout)
    position = 0
    for (gap, _), form, tag in keyed:
        if gap > position:
            out.slots.append([escape_text(text[position:gap])])
            position = gap
        if form == "self":
            out.slots.append([tag_text("standalone", tag)])
        elif form == "open":
            out.open(tag)
        else:
            out.close(tag)
    out.slots.append([escape_text(text[position:])])
    return "".join(piece for slot in out.slots for piece in slot)


class _Output:
    """Output slots (each a list of pieces, so a tag can move into an earlier slot)."""

    def __init__(self, layout: dict[int, _SourceTag]) -> None:
        self.layout = layout
        self.slots: list[list[str]] = []
        self.opened_in: dict[int, int] = {}
        self.stack: list[int] = []
        self.done: set[int] = set()

    def open(self, tag: int) -> None:
        self.opened_in[tag] = len(self.slots)
        self.slots.append([tag_text("open", tag)])
        self.stack.append(tag)

    def close(self, tag: int) -> None:
        """Close ``tag``; if pairs opened after it are still open, fix the crossing."""
        if tag in self.done:
            return
        inner = self.stack[self.stack.index(tag) + 1 :]
        if len(inner) == 1 and inner[0] in self.layout[tag].parents:
            self._move_open_before(inner[0], tag)  # the source has tag inside inner[0]
            inner = []
        elif len(inner) == 1 and self._disjoint_in_source(tag, inner[0]):
            self._insert_before_open(inner[0], tag_text("close", tag))
            self.stack.remove(tag)
            self.done.add(tag)
            return
        self.slots.append([tag_text("close", t) for t in [*reversed(inner), tag]])
        self.done.update(inner)
        del self.stack[len(self.stack) - len(inner) - 1 :]

    def _disjoint_in_source(self, tag: int, other: int) -> bool:
        return other not in self.layout[tag].parents and tag not in self.layout[other].parents

    def _move_open_before(self, mover: int, anchor: int) -> None:
        self.slots[self.opened_in[mover]].remove(tag_text("open", mover))
        self._insert_before_open(anchor, tag_text("open", mover))
        self.opened_in[mover] = self.opened_in[anchor]
        self.stack[-2:] = [mover, anchor]

    def _insert_before_open(self, tag: int, piece: str) -> None:
        slot = self.slots[self.opened_in[tag]]
        slot.insert(slot.index(tag_text("open", tag)), piece)
