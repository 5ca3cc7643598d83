"""Inline tag syntax carried in unit text, and its validation and repair.

A unit's text is *tagged*: formatting spans and hyperlinks are paired tags
``<g1>…</g1>``; tabs, breaks, images, note references, fields, bookmarks and protected
placeholders are standalone tags ``<x2/>``.  Tag numbers are positive integers without
leading zeros, unique within one unit (a paired tag's number is used once by its open and
once by its close).  Literal text escapes exactly three characters: ``&`` → ``&amp;``,
``<`` → ``&lt;``, ``>`` → ``&gt;``.

`tokenize` is strict and fast (one compiled regular expression); `validate_tags` compares
an engine's target with its source; `repair_tags` (in this module, below) turns whatever
an engine returned into a well-formed target that carries every source tag exactly once.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from iris.docx.errors import TagError

TokenKind = Literal["open", "close", "standalone", "text"]
IssueCode = Literal["missing", "extra", "unbalanced", "order", "syntax"]

_TOKEN_RE = re.compile(r"<g([1-9][0-9]*)>|</g([1-9][0-9]*)>|<x([1-9][0-9]*)/>|([^<>]+)|([<>])")
_BAD_AMP_RE = re.compile(r"&(?!(?:amp|lt|gt);)")
_NEEDS_ESCAPE_RE = re.compile(r"[&<>]")


@dataclass(frozen=True, slots=True)
class TagToken:
    """One token of tagged text: a tag (``id`` set, ``text`` is the tag) or unescaped text."""

    kind: TokenKind
    id: int | None
    text: str


@dataclass(frozen=True, slots=True)
class TagIssue:
    """A problem of a target's tags relative to its source; ``tag`` is None for syntax."""

    code: IssueCode
    tag: int | None
    message: str


def escape_text(s: str) -> str:
    """Escape literal text for tagged strings (only ``&``, ``<`` and ``>``)."""
    if _NEEDS_ESCAPE_RE.search(s) is None:
        return s
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape_text(s: str) -> str:
    """Inverse of `escape_text`; other ``&…;`` sequences are left untouched."""
    if "&" not in s:
        return s
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def tokenize(tagged: str, *, require_balanced: bool = False) -> list[TagToken]:
    """Split tagged text into tokens; adjacent text is one token.

    Raises `TagError` on a stray ``<`` or ``>``, an unknown tag name (``<b>``, ``<g0>``,
    ``< x1/>``) or a bare ``&`` that is not ``&amp;``/``&lt;``/``&gt;``.  With
    ``require_balanced`` it also raises when tags are not well nested (a ``<g1>`` never
    closed, a close without open, crossed pairs) or a number is used twice.
    """
    tokens: list[TagToken] = []
    for match in _TOKEN_RE.finditer(tagged):
        tokens.append(_token_from_match(match, tagged))
    if require_balanced:
        _raise_if_unbalanced(tokens)
    return tokens


def _token_from_match(match: re.Match[str], tagged: str) -> TagToken:
    opened, closed, standalone, text, stray = match.groups()
    if text is not None:
        bad = _BAD_AMP_RE.search(text)
        if bad is not None:
            position = match.start() + bad.start()
            raise TagError(f"Unescaped '&' at position {position}; write it as '&amp;'.")
        return TagToken("text", None, unescape_text(text))
    if opened is not None:
        return TagToken("open", int(opened), match.group())
    if closed is not None:
        return TagToken("close", int(closed), match.group())
    if standalone is not None:
        return TagToken("standalone", int(standalone), match.group())
    raise TagError(_stray_message(stray, match.start(), tagged))


def _stray_message(stray: str, position: int, tagged: str) -> str:
    snippet = tagged[position : position + 12]
    if stray == "<" and ">" in snippet:
        snippet = snippet[: snippet.index(">") + 1]
        return (
            f"Unknown or malformed tag {snippet!r} at position {position}; "
            "only <gN>, </gN> and <xN/> are allowed."
        )
    return f"Unescaped {stray!r} at position {position}; write it as '&lt;' or '&gt;'."


def _raise_if_unbalanced(tokens: list[TagToken]) -> None:
    problems = _nesting_issues(tokens) + _duplicate_issues(tokens)
    if problems:
        raise TagError(problems[0].message)


def plain_text(tagged: str) -> str:
    """The text without tags, unescaped; raises `TagError` on malformed syntax."""
    if "<" not in tagged and ">" not in tagged:
        tokenize(tagged)  # still reject a bare '&'
        return unescape_text(tagged)
    return "".join(t.text for t in tokenize(tagged) if t.kind == "text")


def tag_ids(tagged: str) -> list[int]:
    """Numbers of the tags in order of first appearance (a pair counts once)."""
    seen: dict[int, None] = {}
    for token in tokenize(tagged):
        if token.id is not None:
            seen.setdefault(token.id, None)
    return list(seen)


def render(tokens: list[TagToken]) -> str:
    """Inverse of `tokenize`: tags as written, text escaped."""
    return "".join(escape_text(t.text) if t.kind == "text" else t.text for t in tokens)


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
    source_kinds = _kinds(tokenize(source, require_balanced=True))
    try:
        tokens = tokenize(target)
    except TagError as error:
        return [TagIssue("syntax", None, str(error))]
    issues = _presence_issues(source_kinds, tokens)
    issues += _duplicate_issues(tokens)
    issues += _nesting_issues(tokens)
    return _unique(issues)


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
    return f"<x{tag}/>" if kind == "standalone" else f"<g{tag}>…</g{tag}>"


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
        issues.append(TagIssue("unbalanced", tag, f"Tag <g{tag}> is never closed."))
    return issues


def _close_issues(stack: list[int], tag: int) -> list[TagIssue]:
    if tag not in stack:
        return [TagIssue("unbalanced", tag, f"Tag </g{tag}> closes a tag that is not open.")]
    issues: list[TagIssue] = []
    if stack[-1] != tag:
        inner = stack[-1]
        message = f"Tags <g{tag}> and <g{inner}> cross; close <g{inner}> before </g{tag}>."
        issues.append(TagIssue("order", tag, message))
    del stack[len(stack) - 1 - stack[::-1].index(tag)]
    return issues


def _unique(issues: list[TagIssue]) -> list[TagIssue]:
    seen: set[tuple[str, int | None]] = set()
    result: list[TagIssue] = []
    for issue in issues:
        if (issue.code, issue.tag) not in seen:
            seen.add((issue.code, issue.tag))
            result.append(issue)
    return result
