"""Short segments: matched by scanning every short unit of the language pair.

A query of a few characters ("Total", "Save as") shares no rare term with its best
match, and a one-letter typo shares no word at all, so the index of word pairs cannot
find it; character n-gram indexes read long posting lists for short strings (measured
here: 40–80 ms a query at a million units). Short units are few and small instead: each
process keeps the cores of the pair's short units (:data:`SHORT_UNIT` characters or
fewer, from :class:`ShortUnit`), by length, and rapidfuzz scores a query against those
within its length band in C++ — exact, not a filter (every unit that can reach the
threshold is scored).

The cache follows the table without rebuilding: each lookup reads the units added
since the last one (ids above the highest it holds), and checks that its highest unit
is still what it holds (a rolled-back or deleted unit, or an id used again, reloads
the pair). Writers take a lock (iris/memory/store.py), so ids become visible in
order. A deleted unit left in the cache is dropped where candidates are read.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from django.db import connection
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from iris.memory.models import ShortUnit
from iris.memory.scoring import SHORT_UNIT, length_band

__all__ = ["ShortUnits"]


@dataclass
class _Pair:
    highest: int = 0
    highest_core: str = ""
    cores: dict[int, list[str]] = field(default_factory=dict)
    units: dict[int, list[int]] = field(default_factory=dict)

    def add(self, unit: int, length: int, core: str) -> None:
        self.cores.setdefault(length, []).append(core)
        self.units.setdefault(length, []).append(unit)
        if unit > self.highest:
            self.highest, self.highest_core = unit, core


_cache: dict[tuple[str, int], _Pair] = {}
_lock = threading.Lock()


def _current(pair: int) -> _Pair:
    """The pair's short units as the database has them now."""
    key = (connection.settings_dict["NAME"], pair)
    table = ShortUnit._meta.db_table
    with _lock:
        held = _cache.get(key) or _Pair()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT unit, length, core FROM {table} WHERE pair = %s AND unit >= %s"
                " ORDER BY unit",
                [pair, held.highest],
            )
            rows = cursor.fetchall()
        same = bool(rows) and (rows[0][0], rows[0][2]) == (held.highest, held.highest_core)
        if held.highest and not same:
            held = _Pair()  # what it held changed under it: read the pair again
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT unit, length, core FROM {table} WHERE pair = %s ORDER BY unit",
                    [pair],
                )
                rows = cursor.fetchall()
        for unit, length, core in rows:
            if unit > held.highest:  # the highest held is read again, as a check
                held.add(unit, length, core)
        _cache[key] = held
        return held


class ShortUnits:
    """The short units of one language pair, as the database has them now (one read
    of what was added since the last lookup)."""

    def __init__(self, pair: int) -> None:
        self._held = _current(pair)

    def like(self, core: str, threshold: int, limit: int) -> list[int]:
        """The short units most like ``core`` (at most ``limit``), any that can score
        ``threshold`` included (the score only lowers a core's similarity)."""
        return _like(self._held, core, threshold, limit)


def _like(held: _Pair, core: str, threshold: int, limit: int) -> list[int]:
    low, high = length_band(len(core), threshold)
    cutoff = max(threshold - 1, 0) / 100  # a fallback locale loses one point later
    found: list[tuple[float, int]] = []
    for length in range(low, min(high, SHORT_UNIT) + 1):
        cores = held.cores.get(length)
        if not cores:
            continue
        units = held.units[length]
        for _text, similarity, index in process.extract(
            core, cores, scorer=Levenshtein.normalized_similarity, score_cutoff=cutoff, limit=limit
        ):
            found.append((similarity, units[index]))
    found.sort(reverse=True)
    return [unit for _similarity, unit in found[:limit]]
