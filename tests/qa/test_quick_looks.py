"""The shortcuts QA takes on every segment answer exactly as the long way would: the
numbers check's look for a digit misses no character a number can start with, the
checks chosen for a job's options are the registry's in order, and the language
check's chances by language are those the identifier's ranking adds up to."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from iris.qa.checks import (
    REGISTRY,
    Issue,
    SegmentView,
    language,
    numbers,
    register,
    selected_checks,
)
from iris.qa.checks.base import base_language


def test_no_character_that_starts_a_number_escapes_the_look_for_digits() -> None:
    # One character at a time suffices: the look tests characters, not their order.
    starts = [char for char in map(chr, range(0x110000)) if numbers._NUMBER.match(char)]
    assert len(starts) > 600  # digits of every script, superscripts, circled digits …
    assert [char for char in starts if not numbers._may_hold_numbers(char)] == []


def test_in_ascii_text_the_look_for_digits_is_exact() -> None:
    for char in map(chr, range(128)):
        text = f"a{char}b"
        assert numbers._may_hold_numbers(text) == (numbers._NUMBER.search(text) is not None)


@pytest.mark.parametrize(
    ("enabled", "skip"),
    [
        (None, ()),
        (None, ("tags",)),
        (("numbers", "tags", "empty"), ()),
        ((), ()),
        (None, tuple(REGISTRY)),
    ],
)
def test_the_checks_chosen_are_the_registry_s_in_order(
    enabled: tuple[str, ...] | None, skip: tuple[str, ...]
) -> None:
    chosen = selected_checks(None if enabled is None else frozenset(enabled), frozenset(skip))
    assert chosen == tuple(
        check
        for name, check in REGISTRY.items()
        if (enabled is None or name in enabled) and name not in skip
    )


@pytest.fixture
def registered_later() -> Iterator[str]:
    yield "registered_later"
    del REGISTRY["registered_later"]
    selected_checks.cache_clear()


def test_a_check_registered_later_is_chosen_too(registered_later: str) -> None:
    before = selected_checks(None, frozenset())

    @register(registered_later)
    def check(view: SegmentView) -> list[Issue]:
        return []

    assert selected_checks(None, frozenset()) == (*before, check)


@pytest.mark.parametrize(
    "text",
    [
        "Ĥéļļö ŵöŕļð, ţĥé ŕéþöŕţ íš ŕéáðý ƒöŕ áļļ çüšţöɱéŕš",
        "Le rapport est prêt pour tous les clients et le contrat",
        "Ten tekst jest napisany po polsku, a nie po angielsku.",
    ],
)
def test_the_chances_by_language_add_up_the_ranking(text: str) -> None:
    expected: dict[str, float] = {}
    for label, chance in language._identifier().rank(text):
        code = base_language(label)
        expected[code] = expected.get(code, 0.0) + chance
    assert language._chances(text) == expected
