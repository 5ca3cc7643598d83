"""Syntax of the inline tags carried in unit text (re-exported by `iris.docx.text.tags`).

A unit's text is *tagged*: formatting spans and hyperlinks are paired tags
``<g1>…</g1>``; tabs, breaks, images, note references, fields, bookmarks and protected
placeholders are standalone tags ``<x2/>``.  Tag numbers are positive integers without
leading zeros, unique within one unit (a paired tag's number is used once by its open and
once by its close).  Literal text escapes exactly three characters: ``&`` → ``&amp;``,
``<`` → ``&lt;``, ``>`` → ``&gt;``.

`scan` reads this syntax strictly; `read_loosely` reads what engines return (damaged
tags included) for `iris.docx.text.tags.repair_tags`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from iris.docx.errors import TagError

TokenKind = Literal["open", "close", "standalone", "text"]

#: a regular expression matching one canonical tag (for callers that cut text at tags)
TAG_PATTERN = r"<g[1-9][0-9]*>|</g[1-9][0-9]*>|<x[1-9][0-9]*/>"
_TAG = TAG_PATTERN
# One C-level pass decides validity; tokens then come from findall without further checks.
# Possessive quantifiers: a failing match must not backtrack exponentially.
_VALID_RE = re.compile(rf"(?:{_TAG}|[^<>&]++|&(?:amp|lt|gt);)*+")
_TOKEN_RE = re.compile(r"<g([1-9][0-9]*)>|</g([1-9][0-9]*)>|<x([1-9][0-9]*)/>|([^<>]+)")
_TAG_RE = re.compile(_TAG)
_CHECK_RE = re.compile(rf"{_TAG}|&(?:amp|lt|gt);|(&)|([<>])")
_NEEDS_ESCAPE_RE = re.compile(r"[&<>]")


@dataclass(frozen=True, slots=True)
class TagToken:
    """One token of tagged text: a tag (``id`` set, ``text`` is the tag) or unescaped text."""

    kind: TokenKind
    id: int | None
    text: str


def tag_text(kind: TokenKind, number: int) -> str:
    """The one spelling of a tag: ``<gN>`` (open), ``</gN>`` (close), ``<xN/>``
    (standalone). Every writer of tagged text calls this."""
    if kind == "open":
        return f"<g{number}>"
    if kind == "close":
        return f"</g{number}>"
    if kind == "standalone":
        return f"<x{number}/>"
    raise ValueError(f"{kind!r} is no tag kind")


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


def scan(tagged: str) -> list[TagToken]:
    """Split tagged text into tokens (adjacent text is one token); syntax only.

    Raises `TagError` on a stray ``<`` or ``>``, an unknown tag name (``<b>``, ``<g0>``,
    ``< x1/>``) or a bare ``&`` that is not ``&amp;``/``&lt;``/``&gt;``.
    """
    _require_valid_syntax(tagged)
    tokens: list[TagToken] = []
    append = tokens.append
    for opened, closed, standalone, text in _TOKEN_RE.findall(tagged):
        if text:
            append(TagToken("text", None, unescape_text(text)))
        else:
            append(_tag_token(opened, closed, standalone))
    return tokens


@lru_cache(maxsize=8192)
def _tag_token(opened: str, closed: str, standalone: str) -> TagToken:
    """Tag tokens repeat across units; building frozen dataclasses is the slow part."""
    if opened:
        return TagToken("open", int(opened), f"<g{opened}>")
    if closed:
        return TagToken("close", int(closed), f"</g{closed}>")
    return TagToken("standalone", int(standalone), f"<x{standalone}/>")


def _require_valid_syntax(tagged: str) -> None:
    if _VALID_RE.fullmatch(tagged) is None:
        raise TagError(_first_error(tagged))


def is_valid_syntax(tagged: str) -> bool:
    """True if `scan` would accept ``tagged`` (nesting is not checked)."""
    return _VALID_RE.fullmatch(tagged) is not None


def tag_strings(tagged: str) -> list[str]:
    """The canonical tags of syntactically valid tagged text, in order."""
    return _TAG_RE.findall(tagged)


def _first_error(tagged: str) -> str:
    for match in _CHECK_RE.finditer(tagged):
        if match.group(1) is not None:
            return f"Unescaped '&' at position {match.start()}; write it as '&amp;'."
        if match.group(2) is not None:
            return _stray_message(match.group(2), match.start(), tagged)
    raise AssertionError("_first_error called on valid text")  # pragma: no cover


def _stray_message(stray: str, position: int, tagged: str) -> str:
    snippet = tagged[position : position + 12]
    if stray == "<" and ">" in snippet:
        snippet = snippet[: snippet.index(">") + 1]
        return (
            f"Unknown or malformed tag {snippet!r} at position {position}; "
            "only <gN>, </gN> and <xN/> are allowed."
        )
    entity = "&lt;" if stray == "<" else "&gt;"
    return f"Unescaped {stray!r} at position {position}; write it as {entity!r}."


def is_literal(tagged: str) -> bool:
    """True when tagged text is literal text only: no tag, entity or stray bracket
    (valid as it is, and equal to its plain text)."""
    return _NEEDS_ESCAPE_RE.search(tagged) is None


def plain_text(tagged: str) -> str:
    """The text without tags, unescaped; raises `TagError` on malformed syntax."""
    if is_literal(tagged):
        return tagged
    _require_valid_syntax(tagged)
    # Valid syntax: every entity lies inside one stretch of text (tags hold no ``&``),
    # so dropping the tags first and unescaping once is the same as per token.
    return unescape_text(_TAG_RE.sub("", tagged))


# --- lenient reading (for repair) ---------------------------------------------------------

MarkForm = Literal["open", "close", "self"]
MarkKey = tuple[int, float]
_LOOSE_RE = re.compile(
    r"(?P<tag>[<＜]\s*+(?P<c>/?)\s*+[gx]\s*+(?P<id>\d++)\s*+(?P<s>/?)\s*+[>＞])"
    r"|(?P<etag>&lt;\s*+(?P<ec>/?)\s*+[gx]\s*+(?P<eid>\d++)\s*+(?P<es>/?)\s*+&gt;)"
    r"|(?P<ent>&(?:amp|lt|gt|quot|apos|nbsp|#[0-9]+|#x[0-9a-f]+);)"
    r"|(?P<text>[^<＜&]++|.)",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Mark:
    """A tag found by `read_loosely`, anchored at ``key = (gap in plain text, seq)``."""

    tag: int
    form: MarkForm
    key: MarkKey


def read_loosely(target: str, known: set[int], escaped: bool) -> tuple[str, list[Mark]]:
    """Lenient reading for repair: plain text of ``target`` and the tags found in it.

    ``< x1 / >``, ``<G1>``, ``＜x1/＞`` are tags; a ``<``/``>`` that is no tag and a bare
    ``&`` are text; HTML entities are decoded; ``&lt;x1/&gt;`` is a tag when ``escaped``
    is true and its number is in ``known``.  Marks keep their reading order in ``seq``.
    """
    pieces: list[str] = []
    marks: list[Mark] = []
    length = 0
    for seq, match in enumerate(_LOOSE_RE.finditer(target)):
        mark = _loose_mark(match, known, escaped)
        if mark is not None:
            marks.append(Mark(mark[0], mark[1], (length, seq)))
            continue
        text = match.group()
        if match.group("ent") is not None or match.group("etag") is not None:
            text = html.unescape(text)
        pieces.append(text)
        length += len(text)
    return "".join(pieces), marks


def _loose_mark(
    match: re.Match[str], known: set[int], allow_escaped: bool
) -> tuple[int, MarkForm] | None:
    if match.group("tag") is not None:
        return int(match.group("id")), _form(match.group("c"), match.group("s"))
    if match.group("etag") is not None and allow_escaped and int(match.group("eid")) in known:
        return int(match.group("eid")), _form(match.group("ec"), match.group("es"))
    return None


def _form(close_slash: str, self_slash: str) -> MarkForm:
    return "close" if close_slash else "self" if self_slash else "open"
