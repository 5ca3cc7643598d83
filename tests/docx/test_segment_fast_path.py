"""sentence_spans: the one-sentence fast path agrees with the full rules."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from iris.docx.text.segment import _ONE_SENTENCE_RE, rule_spans, sentence_spans

LANGUAGES = ("en", "de", "fr", "el", "hy", "ar", "hi", "ja", "zh", "th", "xx")
ONE_SENTENCE = st.tuples(
    st.text(alphabet="Aab0 ,'\"()-", max_size=60),
    st.text(alphabet=".!?", max_size=3),
    st.text(alphabet=" \n\t\u00a0", max_size=3),
).map("".join)


@settings(max_examples=400, deadline=None)
@given(ONE_SENTENCE.filter(bool), st.sampled_from(LANGUAGES))
def test_fast_path_matches_the_rules(text: str, lang: str) -> None:
    assert _ONE_SENTENCE_RE.fullmatch(text) is not None
    assert rule_spans(text, lang) == [(0, len(text))]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="Ab0 ,'\"()-.!?;:\n\u00a0\u3002", min_size=1, max_size=40))
def test_fast_path_is_taken_only_when_the_rules_agree(text: str) -> None:
    if _ONE_SENTENCE_RE.fullmatch(text) is not None:
        assert rule_spans(text, "en") == [(0, len(text))]


def test_heading_and_cell_take_the_fast_path() -> None:
    for text in ("Annual report 2024", "Payment terms (net 30)", "Is it done? ", "Done."):
        assert _ONE_SENTENCE_RE.fullmatch(text) is not None
        assert sentence_spans(text, "en") == [(0, len(text))]


def test_a_stop_before_the_end_takes_the_rules() -> None:
    assert _ONE_SENTENCE_RE.fullmatch("One. Two") is None
    assert sentence_spans("One. Two", "en") == [(0, 5), (5, 8)]
