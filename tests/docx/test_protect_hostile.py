"""Hostile text for protected_spans and is_translatable: bounded time."""

from __future__ import annotations

import time

import pytest

from iris.docx.text.protect import is_translatable, protected_spans

N = 100_000
TEXTS = {
    "unclosed jinja": "{{" * (N // 2),
    "unclosed statement": "{%" * (N // 2),
    "long word then at sign": "a" * N + "@",
    "percent signs": "%" * N,
    "www repeated": "www." * (N // 4),
    "open braces and words": "{a" * (N // 2),
    "dollar braces": "${" * (N // 2),
    "at signs and dots": "a@b." * (N // 4),
}


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_bounded_time(text: str) -> None:
    started = time.process_time()
    protected_spans(text)
    is_translatable(text)
    elapsed = time.process_time() - started
    assert elapsed < 2.0, f"took {elapsed:.2f}s"
