"""repair_tags: every way an engine damages tags, and the documented decisions."""

from __future__ import annotations

import re

import pytest

from iris.docx.errors import TagError
from iris.docx.text.tags import plain_text, repair_tags, validate_tags

SOURCE = "<g1>Hello <g2>big</g2></g1> world<x3/>"


def repaired(source: str, target: str) -> str:
    result = repair_tags(source, target)
    assert validate_tags(source, result) == [], result
    return result


def test_valid_target_is_unchanged() -> None:
    target = "<x3/>Welt <g2><g1>Hallo</g1> groß</g2>"
    assert repaired(SOURCE, target) == target


def test_untagged_source_and_target() -> None:
    assert repaired("Hello &amp; bye", "Hallo &amp; tschüss") == "Hallo &amp; tschüss"


def test_missing_standalone_goes_to_proportional_word_boundary() -> None:
    source = "One two three<x1/> four five six"
    assert (
        repaired(source, "Eins zwei drei vier fünf sechs") == "Eins zwei drei<x1/> vier fünf sechs"
    )


def test_missing_standalone_at_end_stays_at_end() -> None:
    assert repaired("Hello world<x1/>", "Hallo Welt") == "Hallo Welt<x1/>"


def test_missing_standalone_at_start_stays_at_start() -> None:
    assert repaired("<x1/>Hello world", "Hallo Welt") == "<x1/>Hallo Welt"


def test_missing_standalone_in_cjk_target_is_purely_proportional() -> None:
    assert repaired("This is<x1/> a test", "这是一个测试") == "这是一<x1/>个测试"


def test_missing_pair_wraps_proportional_words() -> None:
    source = "The <g1>quick</g1> brown fox jumps"
    assert repaired(source, "Der schnelle braune Fuchs springt") == (
        "Der <g1>schnelle</g1> braune Fuchs springt"
    )


def test_missing_pair_over_whole_text_wraps_whole_target() -> None:
    assert repaired("<g1>Hello world</g1>", "Hallo Welt") == "<g1>Hallo Welt</g1>"


def test_missing_empty_pair_stays_empty() -> None:
    assert repaired("Hello <g1></g1>world", "Hallo Welt") == "Hallo<g1></g1> Welt"


def test_missing_pair_in_empty_target_is_empty_pair() -> None:
    assert repaired("<g1>Hello</g1><x2/>", "") == "<g1></g1><x2/>"


def test_missing_close_goes_to_proportional_end() -> None:
    source = "<g1>Hello big</g1> world and more"
    assert repaired(source, "<g1>Hallo großartige Welt und mehr") == (
        "<g1>Hallo großartige</g1> Welt und mehr"
    )


def test_missing_open_goes_before_existing_close() -> None:
    source = "Hello <g1>big world</g1>"
    assert repaired(source, "Hallo große Welt</g1>") == "Hallo <g1>große Welt</g1>"


def test_second_open_is_read_as_close() -> None:
    assert repaired("a <g1>b</g1> c", "x <g1>y<g1> z") == "x <g1>y</g1> z"


def test_swapped_slashes() -> None:
    assert repaired("a <g1>b</g1> c", "x </g1>y<g1> z") == "x <g1>y</g1> z"


def test_two_closes_become_open_and_close() -> None:
    assert repaired("a <g1>b</g1> c", "x </g1>y</g1> z") == "x <g1>y</g1> z"


def test_duplicates_are_removed_first_one_wins() -> None:
    target = "<g1>Hallo</g1> <g1><g2>groß</g2></g1> Welt<x3/><x3/>"
    assert repaired(SOURCE, target) == "<g1>Hallo</g1> <g2>groß</g2> Welt<x3/>"


def test_unknown_tags_are_removed() -> None:
    assert repaired(SOURCE, SOURCE.replace("<x3/>", "<x3/><x9/><g8>!</g8>")) == SOURCE + "!"


def test_renumbered_tags_are_mapped_in_order() -> None:
    target = "<g5>Hallo <g6>groß</g6></g5> Welt<x7/>"
    assert repaired(SOURCE, target) == "<g1>Hallo <g2>groß</g2></g1> Welt<x3/>"


def test_renumbering_needs_matching_counts() -> None:
    target = "<g1>Hallo <g2>groß</g2></g1> Welt<x7/><x8/>"
    assert repaired(SOURCE, target) == "<g1>Hallo <g2>groß</g2></g1> Welt<x3/>"


def test_crossing_when_source_nests_second_inside_first_closes_inner_early() -> None:
    target = "<g1>Hallo <g2>groß</g1> Welt</g2><x3/>"
    assert repaired(SOURCE, target) == "<g1>Hallo <g2>groß</g2></g1> Welt<x3/>"


def test_crossing_when_source_nests_first_inside_second_moves_open() -> None:
    source = "<g2><g1>Hello</g1> world</g2>"
    target = "<g1>Hallo <g2>Welt</g1>!</g2>"
    assert repaired(source, target) == "<g2><g1>Hallo Welt</g1>!</g2>"


def test_crossing_of_disjoint_pairs_moves_close() -> None:
    source = "<g1>Hello</g1> <g2>world</g2>"
    target = "<g1>Hallo <g2>Welt</g1>!</g2>"
    assert repaired(source, target) == "<g1>Hallo </g1><g2>Welt!</g2>"


def test_triple_crossing() -> None:
    source = "<g1>a <g2>b <g3>c</g3></g2></g1>"
    result = repaired(source, "<g1>x <g2>y <g3>z</g1></g2></g3>")
    assert plain_text(result) == "x y z"


@pytest.mark.parametrize(
    "target",
    ["< x3 / >", "<X3/>", "<x 3/>", "< x3>", "<x3></x3>", "<g3/>", "＜x3/＞", "</x3>"],
)
def test_obviously_meant_standalone_forms_are_normalised(target: str) -> None:
    assert repaired("Hello<x3/> world", f"Hallo{target} Welt") == "Hallo<x3/> Welt"


def test_spaced_pair_tags_are_normalised() -> None:
    assert repaired("<g1>Hello</g1>", "< g1 >Hallo< / g1 >") == "<g1>Hallo</g1>"


def test_self_closing_pair_becomes_empty_pair() -> None:
    assert repaired("Hello <g2>you</g2>", "Hallo <g2/>du") == "Hallo <g2></g2>du"


def test_html_escaped_tags_are_restored() -> None:
    target = "&lt;g1&gt;Hallo &lt;g2&gt;groß&lt;/g2&gt;&lt;/g1&gt; Welt&lt;x3/&gt;"
    assert repaired(SOURCE, target) == "<g1>Hallo <g2>groß</g2></g1> Welt<x3/>"


def test_escaped_tag_like_literal_in_source_text_is_kept_as_text() -> None:
    source = "Type &lt;x1/&gt; here<x1/>"
    assert repaired(source, "Tippe &lt;x1/&gt; hier<x1/>") == "Tippe &lt;x1/&gt; hier<x1/>"


def test_escaped_unknown_tag_stays_text() -> None:
    assert repaired("Hi<x1/>", "Hallo<x1/> &lt;x7/&gt;") == "Hallo<x1/> &lt;x7/&gt;"


def test_bare_ampersand_and_stray_brackets_become_escaped_text() -> None:
    assert repaired("A &amp; B<x1/>", "A & B <b> 1 > 0<x1/>") == "A &amp; B &lt;b&gt; 1 &gt; 0<x1/>"


def test_html_entities_are_decoded() -> None:
    result = repaired("Say hi<x1/>", "Sag &quot;hallo&quot; &#39;du&#x27;&nbsp;!<x1/>")
    assert result == "Sag \"hallo\" 'du'\u00a0!<x1/>"


def test_double_escaped_ampersand_is_kept_literal() -> None:
    assert repaired("a &amp;amp; b", "a &amp;amp; b") == "a &amp;amp; b"


def test_malformed_source_raises() -> None:
    with pytest.raises(TagError):
        repair_tags("<g1>never closed", "x")


def test_every_source_tag_exactly_once_after_heavy_damage() -> None:
    source = "<g1>A<x2/>b</g1><g3>c<g4>d</g4></g3><x5/>"
    result = repaired(source, "</g4><x2/><x2/>d <g3>< g1 >c</g9><x5/><x5/><g4>")
    for tag in ("<g1>", "</g1>", "<x2/>", "<g3>", "</g3>", "<g4>", "</g4>", "<x5/>"):
        assert len(re.findall(re.escape(tag), result)) == 1
