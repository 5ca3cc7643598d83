"""validate_tags: what an engine did to the tags of a unit."""

from __future__ import annotations

import pytest

from iris.docx.errors import TagError
from iris.docx.text.tags import validate_tags

SOURCE = "<g1>Hello <g2>big</g2></g1> world<x3/>"


def codes(source: str, target: str) -> set[tuple[str, int | None]]:
    return {(issue.code, issue.tag) for issue in validate_tags(source, target)}


def test_identical_target_is_valid() -> None:
    assert validate_tags(SOURCE, SOURCE) == []


def test_reordered_well_nested_tags_are_valid() -> None:
    assert validate_tags(SOURCE, "<x3/>Welt <g2><g1>Hallo</g1> groß</g2>") == []


def test_no_tags_at_all_is_valid() -> None:
    assert validate_tags("Hello", "Hallo") == []


def test_missing_standalone_and_pair() -> None:
    assert codes(SOURCE, "<g1>Hallo groß</g1> Welt") == {("missing", 2), ("missing", 3)}


def test_unknown_tag_is_extra() -> None:
    assert codes(SOURCE, SOURCE + "<x9/>") == {("extra", 9)}


def test_duplicated_standalone_is_extra() -> None:
    assert codes(SOURCE, SOURCE + "<x3/>") == {("extra", 3)}


def test_duplicated_pair_is_extra() -> None:
    target = "<g1>Hallo</g1> <g1><g2>groß</g2></g1> Welt<x3/>"
    assert codes(SOURCE, target) == {("extra", 1)}


def test_open_without_close_is_unbalanced() -> None:
    assert codes(SOURCE, "<g1>Hallo <g2>groß</g2> Welt<x3/>") == {("unbalanced", 1)}


def test_close_before_open_is_unbalanced() -> None:
    assert ("unbalanced", 1) in codes(SOURCE, "</g1>Hallo <g2>groß</g2><g1> Welt<x3/>")


def test_crossed_pairs_are_an_order_issue() -> None:
    assert codes(SOURCE, "<g1>Hallo <g2>groß</g1> Welt</g2><x3/>") == {("order", 1)}


def test_standalone_written_as_pair_is_reported() -> None:
    found = codes(SOURCE, "<g1>Hallo <g2>groß</g2></g1> Welt<g3></g3>")
    assert found == {("missing", 3), ("extra", 3)}


def test_pair_written_as_standalone_is_reported() -> None:
    found = codes(SOURCE, "<g1>Hallo <x2/>groß</g1> Welt<x3/>")
    assert found == {("missing", 2), ("extra", 2)}


@pytest.mark.parametrize("target", ["< x3/>", "a & b", "&lt;x3/&gt; <b>", "1 < 2"])
def test_syntax_error_is_reported_alone(target: str) -> None:
    issues = validate_tags(SOURCE, target)
    assert [(i.code, i.tag) for i in issues] == [("syntax", None)]
    assert issues[0].message.endswith(".")


def test_messages_are_sentences() -> None:
    for issue in validate_tags(SOURCE, "<g1>x</g2><x9/><x9/>"):
        assert issue.message[0].isupper()
        assert issue.message.endswith(".")


def test_malformed_source_raises() -> None:
    with pytest.raises(TagError):
        validate_tags("<g1>unclosed", "x")
