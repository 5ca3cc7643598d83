"""Turning a paragraph's tagged text into sentence units, and units back into targets."""

from __future__ import annotations

import re
from collections.abc import Mapping

from iris.docx.model import Unit, UnitKind
from iris.docx.paramodel import ParagraphModel
from iris.docx.protect import is_translatable
from iris.docx.segment import split_tagged
from iris.docx.tags import escape_text, plain_text, repair_tags, tokenize

_WORD_RE = re.compile(
    r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]|[^\W_]+(?:['’-][^\W_]+)*"
)


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
) -> list[Unit]:
    """Sentence units of a paragraph; ids are ``<unit_prefix>.s<n>``."""
    if not model.has_text:
        return []

    protected = model.protected_texts()
    units = []
    for number, piece in enumerate(split_tagged(model.tagged, lang)):
        ids = {t.id for t in tokenize(piece) if t.id is not None}
        plain = _display_text(piece, protected)
        units.append(
            Unit(
                id=f"{unit_prefix}.s{number}",
                part=part,
                location=location,
                kind=kind,
                source=piece,
                plain=plain,
                words=count_words(plain_text(piece)),
                translatable=is_translatable(plain),
                tags={n: model.descriptions[n] for n in sorted(ids)},
            )
        )
    return units


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


def _display_text(tagged: str, protected: Mapping[int, str]) -> str:
    pieces = []
    for token in tokenize(tagged):
        if token.kind == "text":
            pieces.append(token.text)
        elif token.kind == "standalone" and token.id is not None and token.id in protected:
            pieces.append(protected[token.id])
    return "".join(pieces)


def unit_target(unit: Unit, targets: Mapping[str, str]) -> str:
    """The target of a unit with its tags repaired; the source when it has none."""
    target = targets.get(unit.id)
    if target is None or target == unit.source:
        return unit.source
    return repair_tags(unit.source, target)


def paragraph_target(units: list[Unit], targets: Mapping[str, str]) -> str:
    """The paragraph's target tagged text: its units' targets, concatenated."""
    return "".join(unit_target(unit, targets) for unit in units)
