"""Turning a paragraph's tagged text into sentence units, and units back into targets."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from iris.docx.model import Unit, UnitKind
from iris.docx.reading.paramodel import ParagraphModel
from iris.docx.text.protect import is_translatable
from iris.docx.text.segment import sentence_spans, split_tagged_tokens
from iris.docx.text.tags import TagToken, escape_text, repair_tags, unescape_text

_WORD_RE = re.compile(
    r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]|[^\W_]+(?:['’-][^\W_]+)*"
)


# Inline codes a reader sees as white space.
_SPACING_CODES = frozenset({"tab", "line-break", "page-break", "column-break"})

# Characters outside the XML 1.0 Char production.
_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def count_words(text: str) -> int:
    """Words in ``text``; each CJK character counts as one word."""
    return len(_WORD_RE.findall(text))


def paragraph_units(
    unit_prefix: str,
    part: str,
    model: ParagraphModel,
    kind: UnitKind,
    location: str,
    lang: str,
    *,
    heading_level: int | None = None,
) -> list[Unit]:
    """Sentence units of a paragraph; ids are ``<unit_prefix>.s<n>``."""
    if not model.has_text:
        return []
    pieces = _tagged_pieces(model, lang) if model.tags else _untagged_pieces(model, lang)
    return [
        Unit(
            id=f"{unit_prefix}.s{number}",
            part=part,
            location=location,
            kind=kind,
            source=source,
            plain=plain,
            words=count_words(words),
            translatable=is_translatable(judged),
            tags=tags,
            heading_level=heading_level,
        )
        for number, (source, plain, words, judged, tags) in enumerate(pieces)
    ]


# A sentence: tagged source, displayed text, the text whose words are counted, the text
# whose translatability is judged (see `_read_piece`), its tags' descriptions.
_Piece = tuple[str, str, str, str, dict[int, str]]


def _tagged_pieces(model: ParagraphModel, lang: str) -> Iterator[_Piece]:
    protected = model.protected_texts()
    for piece, tokens in split_tagged_tokens(model.tagged, lang):
        words, plain, judged, ids = _read_piece(piece, tokens, protected, model.descriptions)
        yield piece, plain, words, judged, {n: model.descriptions[n] for n in sorted(ids)}


def _untagged_pieces(model: ParagraphModel, lang: str) -> Iterator[_Piece]:
    """Sentences of a paragraph without tags, cut from its plain text (the same as the
    tagged path gives, without tokenising the tagged text)."""
    plain = unescape_text(model.tagged)
    for start, end in sentence_spans(plain, lang):
        text = plain[start:end]
        yield escape_text(text), text, text, text, {}


def _read_piece(
    piece: str,
    tokens: list[TagToken],
    protected: Mapping[int, str],
    descriptions: Mapping[int, str],
) -> tuple[str, str, str, set[int]]:
    """Plain text, displayed text (protected placeholders shown), the text whose
    translatability is judged (displayed text with a space for each tab or break: in
    ``1<tab>INTRODUCTION`` the number and the word are two tokens, not one code) and tag
    numbers."""
    if "<" not in piece and "&" not in piece:
        return piece, piece, piece, set()
    text: list[str] = []
    shown: list[str] = []
    judged: list[str] = []
    ids: set[int] = set()
    for token in tokens:
        if token.id is None:
            text.append(token.text)
            shown.append(token.text)
            judged.append(token.text)
            continue
        ids.add(token.id)
        if token.kind == "standalone" and token.id in protected:
            shown.append(protected[token.id])
            judged.append(protected[token.id])
        elif token.kind == "standalone" and descriptions.get(token.id) in _SPACING_CODES:
            judged.append(" ")
    return "".join(text), "".join(shown), "".join(judged), ids


def value_unit(unit_id: str, part: str, kind: UnitKind, location: str, text: str) -> Unit:
    """A unit for a plain value (chart label, document property): no tags."""
    return Unit(
        id=unit_id,
        part=part,
        location=location,
        kind=kind,
        source=escape_text(text),
        plain=text,
        words=count_words(text),
        translatable=is_translatable(text),
        tags={},
    )


def unit_target(unit: Unit, targets: Mapping[str, str]) -> str:
    """The target of a unit with its tags repaired; the source when it has none.

    Characters XML cannot hold (control characters an engine may emit) are removed.
    """
    target = targets.get(unit.id)
    if target is None or target == unit.source:
        return unit.source
    return repair_tags(unit.source, _NOT_XML_RE.sub("", target))


def paragraph_target(units: list[Unit], targets: Mapping[str, str]) -> str:
    """The paragraph's target tagged text: its units' targets, concatenated."""
    return "".join(unit_target(unit, targets) for unit in units)
