"""split_tagged / join_tagged: sentence pieces of tagged text and the exact invariant."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iris.docx.errors import TagError
from iris.docx.text.segment import join_tagged, sentence_spans, split_tagged
from iris.docx.text.tags import plain_text, tokenize, validate_tags


def test_untagged_text_splits_like_plain_text() -> None:
    assert split_tagged("One. Two. Three.", "en") == ["One. ", "Two. ", "Three."]


def test_single_sentence_is_returned_unchanged() -> None:
    assert split_tagged("<g1>Only</g1> one<x2/>", "en") == ["<g1>Only</g1> one<x2/>"]


def test_empty_text() -> None:
    assert split_tagged("", "en") == [""]


def test_escaped_text_is_kept_escaped() -> None:
    tagged = "A &amp; B &lt;ok&gt;. C."
    assert split_tagged(tagged, "en") == ["A &amp; B &lt;ok&gt;. ", "C."]


def test_pair_crossing_a_boundary_is_closed_and_reopened() -> None:
    tagged = "<g1>One. Two.</g1> Three."
    assert split_tagged(tagged, "en") == ["<g1>One. </g1>", "<g1>Two.</g1> ", "Three."]


def test_nested_pairs_close_innermost_first_and_reopen_outermost_first() -> None:
    tagged = "<g1>One <g2>two. Three</g2> four.</g1>"
    assert split_tagged(tagged, "en") == [
        "<g1>One <g2>two. </g2></g1>",
        "<g1><g2>Three</g2> four.</g1>",
    ]


def test_boundary_right_before_a_closing_tag_moves_after_it() -> None:
    assert split_tagged("<g1>One. </g1>Two.", "en") == ["<g1>One. </g1>", "Two."]


def test_opening_tag_at_a_boundary_goes_right() -> None:
    assert split_tagged("One. <g1>Two.</g1>", "en") == ["One. ", "<g1>Two.</g1>"]


def test_standalone_at_a_boundary_goes_with_the_next_sentence() -> None:
    assert split_tagged("One. <x1/>Two.", "en") == ["One. ", "<x1/>Two."]


def test_standalone_before_whitespace_stays_with_its_sentence() -> None:
    assert split_tagged("One.<x1/> Two.", "en") == ["One.<x1/> ", "Two."]


def test_run_of_tags_splits_after_its_last_close() -> None:
    tagged = "<g1>One. <x2/></g1><x3/><g4>Two.</g4>"
    assert split_tagged(tagged, "en") == ["<g1>One. <x2/></g1>", "<x3/><g4>Two.</g4>"]


def test_empty_pair_at_a_boundary_stays_left() -> None:
    assert split_tagged("One. <g1></g1>Two.", "en") == ["One. <g1></g1>", "Two."]


def test_tags_do_not_change_where_sentences_end() -> None:
    tagged = "<g1>Dr.</g1> Smith <x2/>came. He <g3>sat</g3>."
    assert [plain_text(p) for p in split_tagged(tagged, "en")] == ["Dr. Smith came. ", "He sat."]


def test_cjk_split_inside_a_pair() -> None:
    assert split_tagged("<g1>你好。再见。</g1>", "zh") == ["<g1>你好。</g1>", "<g1>再见。</g1>"]


def test_every_piece_is_balanced() -> None:
    for piece in split_tagged("<g1>A. <g2>B. <x3/>C.</g2> D.</g1> E.", "en"):
        tokenize(piece, require_balanced=True)


def test_join_undoes_split_exactly() -> None:
    tagged = "<g1>One <g2>two. Three</g2> four. Five</g1> six."
    assert join_tagged(split_tagged(tagged, "en")) == tagged


def test_join_of_translated_pieces_keeps_one_pair() -> None:
    pieces = ["<g1>Eins. </g1>", "<g1>Zwei.</g1> ", "Drei."]
    assert join_tagged(pieces) == "<g1>Eins. Zwei.</g1> Drei."


@pytest.mark.parametrize("tagged", ["<g1>unclosed. Two.", "a < b. c.", "<g1><g2></g1></g2>"])
def test_malformed_input_raises(tagged: str) -> None:
    with pytest.raises(TagError):
        split_tagged(tagged, "en")


WORDS = ["One. ", "Two! ", "Dr. ", "Smith ", "went. ", "3.14 ", "a ", "你好。", "&amp; ", "x"]


@st.composite
def tagged_texts(draw: st.DrawFn) -> str:
    out: list[str] = []
    stack: list[int] = []
    number = 0
    for _ in range(draw(st.integers(0, 14))):
        action = draw(st.sampled_from(["word", "word", "open", "close", "standalone"]))
        if action == "open":
            number += 1
            stack.append(number)
            out.append(f"<g{number}>")
        elif action == "close" and stack:
            out.append(f"</g{stack.pop()}>")
        elif action == "standalone":
            number += 1
            out.append(f"<x{number}/>")
        else:
            out.append(draw(st.sampled_from(WORDS)))
    out.extend(f"</g{n}>" for n in reversed(stack))
    return "".join(out)


@settings(max_examples=400, deadline=None)
@given(tagged=tagged_texts(), lang=st.sampled_from(["en", "zh", "de"]))
def test_split_invariants(tagged: str, lang: str) -> None:
    pieces = split_tagged(tagged, lang)
    assert join_tagged(pieces) == tagged
    assert [plain_text(p) for p in pieces] == _plain_pieces(tagged, lang)
    for piece in pieces:
        tokenize(piece, require_balanced=True)
        assert validate_tags(piece, piece) == []
    if not _spans_a_boundary(pieces):
        assert "".join(pieces) == tagged


def _plain_pieces(tagged: str, lang: str) -> list[str]:
    plain = plain_text(tagged)
    return [plain[a:b] for a, b in sentence_spans(plain, lang)] or [""]


def _spans_a_boundary(pieces: list[str]) -> bool:
    numbers = [set(re.findall(r"<g(\d+)>", piece)) for piece in pieces]
    return any(a & b for a, b in itertools.pairwise(numbers))
