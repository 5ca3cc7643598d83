"""Hostile tagged text: every function stays fast (no regex backtracking blow-up)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

import pytest

from iris.docx.errors import TagError
from iris.docx.text.tags import plain_text, repair_tags, tokenize, validate_tags

N = 100_000
SOURCE = "<g1>x</g1><x2/>"
NESTED = (
    "".join(f"<g{i}>" for i in range(1, 500)) + "x" + "".join(f"</g{i}>" for i in range(499, 0, -1))
)
CROSSED = (
    "".join(f"<g{i}>" for i in range(1, 500)) + "x" + "".join(f"</g{i}>" for i in range(1, 500))
)

TARGETS = {
    "long text then bare ampersand": "a" * N + "&",
    "long text then stray bracket": "a" * N + "<",
    "many stray brackets": "<" * N,
    "many spaced brackets": "< " * (N // 2) + "g",
    "unfinished tag and spaces": "<g1 " + " " * N,
    "many escaped brackets": "&lt; " * (N // 5),
    "many duplicates": "<x2/>" * (N // 5),
    "many opens": "<g1>" * (N // 4),
    "many unknown numbers": "".join(f"<x{i}/>" for i in range(3, 20_000)),
    "long text without spaces": "b" * N,
}


def within(seconds: float, call: Callable[[], object]) -> None:
    started = time.perf_counter()
    with contextlib.suppress(TagError):  # malformed input may be rejected, but quickly
        call()
    elapsed = time.perf_counter() - started
    assert elapsed < seconds, f"took {elapsed:.2f}s"


@pytest.mark.parametrize("target", TARGETS.values(), ids=TARGETS.keys())
def test_tokenize_and_plain_text(target: str) -> None:
    within(1.0, lambda: tokenize(target))
    within(1.0, lambda: plain_text(target))


@pytest.mark.parametrize("target", TARGETS.values(), ids=TARGETS.keys())
def test_validate(target: str) -> None:
    within(2.0, lambda: validate_tags(SOURCE, target))


@pytest.mark.parametrize("target", TARGETS.values(), ids=TARGETS.keys())
def test_repair(target: str) -> None:
    within(3.0, lambda: validate_tags(SOURCE, repair_tags(SOURCE, target)))


def test_repair_many_missing_tags_in_text_without_spaces() -> None:
    source = "".join(f"a<x{i}/>" for i in range(1, 2000))
    within(3.0, lambda: repair_tags(source, "b" * N))


def test_repair_of_deeply_crossed_pairs() -> None:
    result = repair_tags(NESTED, CROSSED)
    assert validate_tags(NESTED, result) == []
