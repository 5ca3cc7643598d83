"""The Matcher keeps up with a big glossary and a full batch."""

from __future__ import annotations

import random
import string
import time

from iris.glossary.matching import Entry, Matcher


def _words(rng: random.Random, count: int) -> list[str]:
    letters = string.ascii_lowercase
    return ["".join(rng.choices(letters, k=rng.randint(3, 10))) for _ in range(count)]


def test_5000_terms_over_2000_segments_well_under_a_second() -> None:
    rng = random.Random(7)
    vocabulary = _words(rng, 8000)
    entries = [
        Entry(i, " ".join(rng.sample(vocabulary, rng.randint(1, 3))), ("x",)) for i in range(5000)
    ]
    segments = [
        " ".join(rng.choices(vocabulary, k=20))
        + " <x1/> {name} "
        + " ".join(rng.choices(vocabulary, k=5))
        for _ in range(2000)
    ]
    matcher = Matcher(entries, "en")
    started = time.perf_counter()
    found = [matcher.find(segment) for segment in segments]
    elapsed = time.perf_counter() - started
    assert sum(map(len, found)) > 1000  # the text does hold terms
    assert elapsed < 0.8, f"{elapsed:.2f}s for 2,000 segments"
