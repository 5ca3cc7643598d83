"""Pseudo-translation: visibly "translated" text with the same tags, for round-trip tests.

``Hello <g1>world</g1>.`` becomes ``[Ĥéļļö <g1>ŵöŕļð</g1>. ~~~]``: ASCII letters become
accented look-alikes, other letters get a combining tilde, the text grows by about 30 %
(``~`` padding) and is bracketed so truncation shows. Tags and the whitespace at the
unit's edges are kept, so the result is a valid target for the unit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from iris.docx.model import Unit
from iris.docx.text.tag_syntax import tag_text
from iris.docx.text.tags import escape_text, tokenize

_ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ACCENTED = "áƀçðéƒĝĥíĵķļɱñöþǫŕšţüṽŵẋýžÁƁÇÐÉƑĜĤÍĴĶĻṀÑÖÞǪŔŠŢÜṼŴẊÝŽ"
_TABLE = str.maketrans(_ASCII, _ACCENTED)
_COMBINING_TILDE = "\u0303"
_EXPANSION = 0.3
_EDGES_RE = re.compile(r"^(\s*)(.*?)(\s*)$", re.DOTALL)


def pseudo_text(text: str) -> str:
    """Accent every letter of plain text (no brackets, no padding)."""
    if text.isascii():  # every letter is in the table: no combining tilde
        return text.translate(_TABLE)
    out = []
    for char in text.translate(_TABLE):
        out.append(char)
        if char.isalpha() and not char.isascii() and char not in _ACCENTED:
            out.append(_COMBINING_TILDE)
    return "".join(out)


def pseudo_translate(tagged: str) -> str:
    """Pseudo-translate tagged text, keeping every tag.

    The brackets hug the visible text: ``<g1>Bold. </g1>`` becomes
    ``<g1>[Ɓöļð. ~~] </g1>``, so a span split between two sentences joins up again.
    """
    tokens = tokenize(tagged)
    visible = [i for i, t in enumerate(tokens) if t.kind == "text" and t.text.strip()]
    if not visible:
        return tagged
    first, last = visible[0], visible[-1]
    letters = sum(sum(map(str.isalpha, t.text)) for t in tokens if t.kind == "text")
    padding = "~" * math.ceil(letters * _EXPANSION)
    pieces = []
    for index, token in enumerate(tokens):
        if token.kind != "text":
            pieces.append(tag_text(token.kind, token.id or 0))
            continue
        leading, body, trailing = _EDGES_RE.match(token.text).groups()  # type: ignore[union-attr]
        if index == first:
            leading += "["
        if index == last:
            trailing = f"{' ' if padding else ''}{padding}]{trailing}"
        pieces.append(escape_text(leading + pseudo_text(body)) + escape_text(trailing))
    return "".join(pieces)


def pseudo_targets(units: Iterable[Unit]) -> dict[str, str]:
    """Pseudo-translations of every translatable unit."""
    return {unit.id: pseudo_translate(unit.source) for unit in units if unit.translatable}
