"""The Apertium engine, for real: no word crosses a standalone placeholder (a tab, a
field, a break between a footer's pieces), the placeholders stay in order, and a word
that follows one mid-sentence is not capitalised as a sentence start."""

from __future__ import annotations

import re

from iris.docx.text.tags import validate_tags
from iris.engines.apertium import ApertiumEngine
from iris.engines.base import EngineRequest, EngineSegment

_STANDALONE_RE = re.compile(r"<x[1-9][0-9]*/>")


def translate(*sources: str, source: str = "en", target: str = "es") -> list[str]:
    segments = [EngineSegment(str(i), text) for i, text in enumerate(sources)]
    result = ApertiumEngine().translate(EngineRequest(source, target, segments))
    return [result.targets[str(i)] for i in range(len(sources))]


def test_words_stay_on_their_side_of_a_tab() -> None:
    source = "Confidential<x1/>Page <x2/> of <x3/>"
    (target,) = translate(source)
    assert validate_tags(source, target) == []
    assert _STANDALONE_RE.findall(target) == ["<x1/>", "<x2/>", "<x3/>"]
    before, after = target.split("<x1/>")
    assert before == "Confidencial"
    assert after.startswith("Página <x2/>")


def test_each_piece_is_translated_by_itself_in_a_batch() -> None:
    sources = ["Name<x1/>Date<x2/>Signature", "The red car<x4/>is big."]
    first, second = translate(*sources)
    assert first.split("<x1/>")[0] == "Nombre"
    assert "<x2/>" in first.split("<x1/>")[1]
    car, big = second.split("<x4/>")
    assert "coche" in car
    assert "rojo" in car
    assert big == "es grande."


def test_a_word_after_a_placeholder_mid_sentence_keeps_its_case() -> None:
    source = "Revenue grew<x1/> and the house<x2/> is big in London."
    (target,) = translate(source)
    assert validate_tags(source, target) == []
    _, middle, end = target.split("<x1/>")[0], *target.split("<x1/>")[1].split("<x2/>")
    assert middle.startswith(" y ")
    assert end.startswith(" es grande")
    assert "Londres" in end


def test_a_word_the_language_always_capitalises_stays_capitalised() -> None:
    source = "Vengo<x1/> el lunes<x2/> yo tengo<x3/> inglés"
    (target,) = translate(source, source="es", target="en")
    assert validate_tags(source, target) == []
    pieces = re.split(r"<x[1-9]/>", target)
    assert pieces == ["I come", " the Monday", " I have", " English"]
