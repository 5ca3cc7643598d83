"""The pseudo-translation keeps every tag, accents letters, grows the text by about
30 % and brackets the visible text."""

from __future__ import annotations

from iris.docx.text.pseudo import pseudo_text, pseudo_translate
from iris.docx.text.tags import tokenize, validate_tags


def test_tags_are_kept_and_valid() -> None:
    source = "Click <g1>Save</g1> to keep <x2/> the file &amp; go."
    target = pseudo_translate(source)
    assert validate_tags(source, target) == []
    assert [t.id for t in tokenize(target) if t.id] == [1, 1, 2]


def test_letters_change_and_text_grows() -> None:
    target = pseudo_translate("Hello world")
    assert target.startswith("[Ĥéļļö ŵöŕļð")
    assert target.endswith("~~~]")
    assert len(target) >= len("Hello world") * 1.3


def test_brackets_hug_visible_text_inside_edge_tags_and_spaces() -> None:
    assert pseudo_translate(" <g1>Bold. </g1>") == " <g1>[Ɓöļð. ~~] </g1>"
    assert pseudo_translate("<x1/>") == "<x1/>"


def test_non_latin_letters_are_marked_too() -> None:
    assert pseudo_text("Дом") != "Дом"
    assert pseudo_text("123 %") == "123 %"
