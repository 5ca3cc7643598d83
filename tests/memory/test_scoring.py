"""The published match score (formula iris-tm-1): pure, no database."""

from __future__ import annotations

import pytest

from iris.memory.scoring import FORMULA, index_terms, length_band, query_terms, score, shape


def test_formula_is_named() -> None:
    assert FORMULA == "iris-tm-1"


def test_identical_is_100() -> None:
    assert score("Press <g1>Save</g1>.", "Press <g1>Save</g1>.") == 100


@pytest.mark.parametrize(
    ("query", "unit", "expected"),
    [
        ("Pay 30 days after 1 May.", "Pay 60 days after 1 May.", 99),  # one number
        ("Pay 30 days after 1 May.", "Pay 60 days after 2 May.", 98),  # two numbers
        ("Press <g1>Save</g1>.", "Press Save.", 98),  # a tag pair removed
        ("Press Save.", "Press Save!", 99),  # punctuation
        ("press save.", "Press Save.", 99),  # case
        ("Press  Save.", "Press Save.", 99),  # spacing only: every inexact match loses one
        ("Pay 30 days!", "pay 60 days.", 97),  # number, punctuation, case
    ],
)
def test_only_numbers_tags_punctuation_or_case_differ(query: str, unit: str, expected: int) -> None:
    assert score(query, unit) == expected


def test_renumbered_tags_in_the_same_places_are_99_not_100() -> None:
    # The tagged texts differ, the tags are the same kinds in the same places.
    assert score("<g1>Press</g1> now.", "<g2>Press</g2> now.") == 99


def test_text_differences_are_edit_similarity_minus_penalties() -> None:
    core = shape("The quick brown fox jumps.").core
    assert core == "the quick brown fox jumps"
    value = score("The quick brown fox jumps.", "The quick brown cat jumps.")
    assert value == int(100 * (1 - 3 / len(core)))  # three letters changed
    numbered = shape("The quick brown fox jumps 3 times.").core
    assert score("The quick brown fox jumps 3 times.", "The quick brown cat jumps 4 times.") == (
        int(100 * (1 - 3 / len(numbered))) - 1  # and one number
    )


def test_never_above_99_unless_identical_and_never_below_0() -> None:
    long = "a" * 500
    assert score(long, long + "b") == 99
    assert score("abc", "xyz 123 !!! <x1/>") == 0


def test_cjk_text_is_compared_character_by_character() -> None:
    assert 75 <= score("我们的产品质量很好。", "我们的产品质量非常好。") < 95
    assert {"我们", "们的"} <= set(_words("我们的产品"))


def _words(text: str) -> list[str]:
    from iris.memory.scoring import words

    return words(shape(text).core)


def test_arabic_right_to_left_text_scores_like_any_other() -> None:
    assert score("العقد ينتهي في مارس.", "العقد ينتهي في أبريل.") >= 60
    assert score("العقد ينتهي في مارس.", "العقد ينتهي في مارس!") == 99


def test_length_band_bounds_what_can_reach_the_threshold() -> None:
    assert length_band(100, 75) == (75, 134)
    low, high = length_band(12, 50)
    assert (low, high) == (6, 25)


def test_index_and_query_terms_share_a_term_for_a_one_word_edit() -> None:
    stored = shape("Our engineers review every report twice a year.").core
    query = shape("Our engineers review every invoice twice a year.").core
    [(pairs, needed)] = query_terms(query)
    assert needed >= 7
    assert pairs & index_terms(stored)


def test_outer_whitespace_does_not_decide_an_exact_match() -> None:
    assert score("Send questions to the desk. ", "Send questions to the desk.") == 100
    assert score("Send questions to the desk.", "Send questions to the desk!") == 99
