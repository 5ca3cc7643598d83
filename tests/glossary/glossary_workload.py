"""A big glossary and a full batch of segments (seeded): the matcher's workload, shared
by its test and its benchmark."""

from __future__ import annotations

import random
import string

from iris.glossary.matching import Entry


def _words(rng: random.Random, count: int) -> list[str]:
    letters = string.ascii_lowercase
    return ["".join(rng.choices(letters, k=rng.randint(3, 10))) for _ in range(count)]


def workload(terms: int = 5000, segments: int = 2000) -> tuple[list[Entry], list[str]]:
    rng = random.Random(7)
    vocabulary = _words(rng, 8000)
    entries = [
        Entry(i, " ".join(rng.sample(vocabulary, rng.randint(1, 3))), ("x",)) for i in range(terms)
    ]
    texts = [
        " ".join(rng.choices(vocabulary, k=20))
        + " <x1/> {name} "
        + " ".join(rng.choices(vocabulary, k=5))
        for _ in range(segments)
    ]
    return entries, texts
