"""The Matcher finds the terms of a big glossary in a full batch (its speed is measured
by bench/glossary_matching.py, not here: a timed test fails on a busy machine)."""

from __future__ import annotations

from iris.glossary.matching import Matcher
from tests.glossary.glossary_workload import workload


def test_5000_terms_over_2000_segments_are_found() -> None:
    entries, segments = workload()
    matcher = Matcher(entries, "en")
    found = [matcher.find(segment) for segment in segments]
    assert sum(map(len, found)) > 1000  # the text does hold terms
