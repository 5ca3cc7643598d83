"""Hostile text for segmentation: bounded time, and the span invariants still hold."""

from __future__ import annotations

import time

import pytest

from iris.docx.segment import sentence_spans, split_tagged

N = 100_000
TEXTS = {
    "dots": "." * N,
    "one-letter sentences": "a. " * (N // 3),
    "list numbers": "1. " * (N // 3),
    "japanese quotes (sentencex is quadratic here)": "「。」と" * (N // 4),
    "cjk stops": "。" * N,
    "spaces": " " * N,
    "one long sentence": "word " * (N // 5),
}


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_bounded_time_and_coverage(text: str) -> None:
    started = time.perf_counter()
    spans = sentence_spans(text, "ja" if "」" in text else "en")
    elapsed = time.perf_counter() - started
    assert elapsed < 3.0, f"took {elapsed:.2f}s"
    assert spans[0][0] == 0
    assert spans[-1][1] == len(text)
    assert all(spans[i][1] == spans[i + 1][0] for i in range(len(spans) - 1))


def test_long_paragraph_is_chunked_but_keeps_its_sentences() -> None:
    sentence = "The committee met on Monday and agreed on the budget for next year. "
    text = sentence * 200
    pieces = [text[a:b] for a, b in sentence_spans(text, "en")]
    assert pieces == [sentence] * 200


def test_many_tagged_sentences() -> None:
    tagged = "".join(f"<g{i}>Sentence {i}.</g{i}> " for i in range(1, 3000))
    started = time.perf_counter()
    pieces = split_tagged(tagged, "en")
    assert time.perf_counter() - started < 3.0
    assert len(pieces) == 2999
    assert "".join(pieces) == tagged
