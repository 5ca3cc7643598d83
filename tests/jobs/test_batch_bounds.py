"""Batches are cut by count and characters, and for an engine that sends concurrent
requests, at whole rounds of them (no half-empty round at a batch's end)."""

from __future__ import annotations

import itertools

from iris.jobs.steps.extraction import batch_bounds


def sizes_of(bounds: list[tuple[int, int]]) -> list[int]:
    return [last - first + 1 for first, last in bounds]


def test_batches_by_count_and_characters(settings) -> None:
    settings.IRIS_BATCH_SEGMENTS, settings.IRIS_BATCH_CHARACTERS = 7, 1000
    assert sizes_of(batch_bounds([100] * 30)) == [7, 7, 7, 7, 2]
    assert sizes_of(batch_bounds([300] * 7)) == [3, 3, 1]
    # A segment longer than the limit goes alone; nothing is ever dropped.
    assert sizes_of(batch_bounds([5000, 10, 10])) == [1, 2]
    assert batch_bounds([]) == []


def test_batches_are_whole_rounds_of_requests(settings) -> None:
    settings.IRIS_BATCH_SEGMENTS, settings.IRIS_BATCH_CHARACTERS = 2000, 1000
    # 10 fit by characters; rounds of 4: batches of 8, the job's last one what is left.
    assert sizes_of(batch_bounds([100] * 30, round_size=4)) == [8, 8, 8, 6]
    # Fewer than a round fit: the batch is cut where the limit says.
    assert sizes_of(batch_bounds([400] * 5, round_size=4)) == [2, 2, 1]
    settings.IRIS_BATCH_CHARACTERS = 10**9
    assert sizes_of(batch_bounds([1] * 4000, round_size=160)) == [1920, 1920, 160]
    bounds = batch_bounds([1 + i % 7 for i in range(1234)], round_size=160)
    assert bounds[0][0] == 0
    assert bounds[-1][1] == 1233
    assert all(b[0] == a[1] + 1 for a, b in itertools.pairwise(bounds))
