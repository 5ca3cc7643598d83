"""One interface to the translation memory, with a PostgreSQL and an SQLite implementation.

Lookup, for each query segment of a language pair:

1. **exact** — units whose tagged source has the query's hash: 100 %, or 101 % when the
   neighbours are the same too (context match);
2. **fuzzy** — the query's words are looked up in the index (:class:`IndexTerm`), the
   rarest first (:class:`TermFrequency`), within the core lengths that can still reach
   the threshold; the units sharing most of those words are candidates, and each is
   scored exactly by :mod:`iris.memory.scoring`. Enough words are taken that a unit
   differing from the query in a third of them still shares one.

Plain ``pg_trgm`` similarity (``%``) was measured slower than scoring every unit by
brute force (the issue's figures: 662 ms against 124 ms at a million units): its index
reads the postings of every trigram, common ones included. Reading only rare words
keeps a lookup to a few index ranges, whatever the memory's size.

The two implementations differ in how they reserve the ids of units written in bulk
(COPY on PostgreSQL, ``executemany`` on SQLite: iris/jobs/bulk.py); the queries and the
scoring are shared.
"""

from __future__ import annotations

import hashlib
import math
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from iris.jobs.bulk import insert_values
from iris.memory.models import IndexTerm, TermFrequency, TranslationUnit, UnitStatus
from iris.memory.scoring import (
    CONTEXT,
    DEFAULT_THRESHOLD,
    EXACT,
    length_band,
    score_shapes,
    shape,
    token_id,
    tokens,
)

#: candidates scored per query (the units sharing most of its chosen words)
CANDIDATES = 100
#: index entries a query may read for its words beyond the few it always takes
TERM_BUDGET = 50_000
_CHUNK = 2000

Progress = Callable[[int], None]


def language_base(tag: str) -> str:
    return tag.split("-", 1)[0].lower()


def pair_id(source_lang: str, target_lang: str) -> int:
    """The language pair (by primary language) as a signed 32-bit number."""
    key = f"{language_base(source_lang)}\x1f{language_base(target_lang)}"
    return zlib.crc32(key.encode()) - 0x80000000


def digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def context_hash(previous: str, following: str) -> str:
    """The neighbours of a segment (tagged sources), as units store them."""
    return digest("context", previous, following) if previous or following else ""


@dataclass(frozen=True)
class NewUnit:
    source: str
    target: str
    source_lang: str
    target_lang: str
    context_hash: str = ""
    status: str = UnitStatus.CANDIDATE
    codes: dict[str, str] = field(default_factory=dict)
    origin_job_id: int | None = None
    origin_segment: int | None = None
    engine: str = ""
    engine_model: str = ""
    glossary_version: int | None = None
    reviewer: str = ""
    created_by: str = ""
    created: datetime | None = None
    note: str = ""
    props: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return digest(
            self.source_lang.lower(),
            self.target_lang.lower(),
            self.source,
            self.target,
            self.context_hash,
        )


@dataclass(frozen=True)
class Query:
    source: str  # tagged
    context_hash: str = ""


@dataclass(frozen=True)
class Match:
    unit_id: int
    source: str
    target: str
    score: int
    kind: str  # "context", "exact" or "fuzzy"
    status: str
    source_lang: str
    target_lang: str
    engine: str = ""
    reviewer: str = ""
    created_by: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit_id,
            "source": self.source,
            "target": self.target,
            "score": self.score,
            "kind": self.kind,
            "status": self.status,
            "target_lang": self.target_lang,
            "engine": self.engine,
            "reviewer": self.reviewer,
        }


@dataclass
class AddReport:
    created: int = 0
    duplicates: int = 0


_UNIT_COLUMNS = (
    "id",
    "source",
    "source_plain",
    "target",
    "source_lang",
    "target_lang",
    "source_base",
    "target_base",
    "source_hash",
    "context_hash",
    "key",
    "length",
    "status",
    "codes",
    "origin_job_id",
    "origin_segment",
    "engine",
    "engine_model",
    "glossary_version",
    "reviewer",
    "created_by",
    "created",
    "last_used",
    "usage_count",
    "note",
    "props",
)
_MATCH_FIELDS = (
    "pk",
    "source_hash",
    "source",
    "target",
    "status",
    "source_lang",
    "target_lang",
    "context_hash",
    "engine",
    "reviewer",
    "created_by",
)


class TranslationMemory:
    """Lookups, additions and deletions of translation units (one database)."""

    def lookup(
        self,
        queries: Sequence[Query],
        source_lang: str,
        target_lang: str,
        *,
        k: int = 5,
        threshold: int = DEFAULT_THRESHOLD,
        promoted_only: bool = False,
    ) -> list[list[Match]]:
        """The best ``k`` matches scoring ``threshold`` or more for each query, best
        first (exact locale before a fallback of the same score)."""
        if not queries:
            return []
        pair = pair_id(source_lang, target_lang)
        units = TranslationUnit.objects.filter(
            source_base=language_base(source_lang), target_base=language_base(target_lang)
        )
        if promoted_only:
            units = units.filter(status=UnitStatus.PROMOTED)
        found: list[list[Match]] = [[] for _ in queries]
        hashes = [digest(query.source) for query in queries]
        by_hash: dict[str, list[int]] = {}
        for index, value in enumerate(hashes):
            by_hash.setdefault(value, []).append(index)
        for row in _chunked_rows(units, "source_hash", list(by_hash)):
            for index in by_hash[row["source_hash"]]:
                query = queries[index]
                if row["source"] == query.source:
                    same_context = bool(query.context_hash) and (
                        row["context_hash"] == query.context_hash
                    )
                    kind = "context" if same_context else "exact"
                    found[index].append(
                        _match(row, CONTEXT if same_context else EXACT, kind, target_lang)
                    )
        self._fuzzy(queries, found, units, pair, target_lang, threshold)
        return [_best(matches, k, threshold) for matches in found]

    def _fuzzy(
        self,
        queries: Sequence[Query],
        found: list[list[Match]],
        units: Any,
        pair: int,
        target_lang: str,
        threshold: int,
    ) -> None:
        wanted = range(len(queries))
        shapes = {i: shape(queries[i].source) for i in wanted}
        terms = {i: {token_id(t) for t in tokens(shapes[i].core)} for i in wanted}
        frequency = self._frequencies(pair, set().union(*terms.values()))
        candidates: dict[int, list[int]] = {}
        for i in wanted:
            chosen = _rarest(terms[i], frequency)
            if not chosen:
                continue
            low, high = length_band(len(shapes[i].core), threshold)
            for unit in self._candidates(pair, chosen, low, high):
                candidates.setdefault(unit, []).append(i)
        if not candidates:
            return
        for row in _chunked_rows(units, "pk", list(candidates)):
            unit_shape = shape(row["source"])
            for i in candidates[row["pk"]]:
                if row["source"] == queries[i].source:
                    continue  # an exact match, found by its hash
                value = score_shapes(shapes[i], unit_shape)
                if value >= threshold - 1:  # a fallback loses one point in _match
                    found[i].append(_match(row, value, "fuzzy", target_lang))

    def _frequencies(self, pair: int, terms: set[int]) -> dict[int, int]:
        frequency: dict[int, int] = {}
        for chunk in chunks(sorted(terms), 500):
            frequency.update(
                TermFrequency.objects.filter(pair=pair, term__in=chunk, units__gt=0).values_list(
                    "term", "units"
                )
            )
        return frequency

    def _candidates(self, pair: int, terms: Sequence[int], low: int, high: int) -> list[int]:
        marks = ", ".join(["%s"] * len(terms))
        sql = (
            f"SELECT unit FROM {IndexTerm._meta.db_table}"
            f" WHERE term IN ({marks}) AND pair = %s AND length BETWEEN %s AND %s"
            " GROUP BY unit ORDER BY COUNT(*) DESC, unit DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*terms, pair, low, high, CANDIDATES])
            return [unit for (unit,) in cursor.fetchall()]

    # --- writing -------------------------------------------------------------------

    def add(self, units: Iterable[NewUnit], *, progress: Progress | None = None) -> AddReport:
        """Store ``units`` (those already stored, or repeated, are counted as
        duplicates), all or none; each is found by the next lookup."""
        report = AddReport()
        now = timezone.now()
        with transaction.atomic():
            seen: set[str] = set()
            for chunk in chunks(units, 10_000):
                fresh = [u for u in chunk if u.key not in seen and not seen.add(u.key)]  # type: ignore[func-returns-value]
                stored = set(
                    TranslationUnit.objects.filter(key__in=[u.key for u in fresh]).values_list(
                        "key", flat=True
                    )
                )
                fresh = [u for u in fresh if u.key not in stored]
                report.duplicates += len(chunk) - len(fresh)
                if fresh:
                    self._insert(fresh, now)
                report.created += len(fresh)
                if progress:
                    progress(len(chunk))
        return report

    def _insert(self, units: list[NewUnit], now: datetime) -> None:
        ids = self._reserve_ids(len(units))
        rows: list[tuple[Any, ...]] = []
        index_rows: list[tuple[int, int, int, int]] = []
        counts: Counter[tuple[int, int]] = Counter()
        for unit_id, unit in zip(ids, units, strict=True):
            form = shape(unit.source)
            pair = pair_id(unit.source_lang, unit.target_lang)
            length = len(form.core)
            rows.append(
                (
                    unit_id,
                    unit.source,
                    form.plain,
                    unit.target,
                    unit.source_lang,
                    unit.target_lang,
                    language_base(unit.source_lang),
                    language_base(unit.target_lang),
                    digest(unit.source),
                    unit.context_hash,
                    unit.key,
                    length,
                    unit.status,
                    unit.codes,
                    unit.origin_job_id,
                    unit.origin_segment,
                    unit.engine,
                    unit.engine_model,
                    unit.glossary_version,
                    unit.reviewer,
                    unit.created_by,
                    unit.created or now,
                    None,
                    0,
                    unit.note,
                    unit.props,
                )
            )
            for term in {token_id(t) for t in tokens(form.core)}:
                index_rows.append((term, pair, length, unit_id))
                counts[(pair, term)] += 1
        insert_values(TranslationUnit, _UNIT_COLUMNS, rows)
        insert_values(IndexTerm, ("term", "pair", "length", "unit"), index_rows)
        self._count_terms(counts, 1)

    def _count_terms(self, counts: Counter[tuple[int, int]], sign: int) -> None:
        table = TermFrequency._meta.db_table
        sql = (
            f"INSERT INTO {table} (pair, term, units) VALUES (%s, %s, %s)"
            f" ON CONFLICT (pair, term) DO UPDATE SET units = {table}.units + excluded.units"
        )
        with connection.cursor() as cursor:
            for chunk in chunks(sorted(counts.items()), 5000):
                cursor.executemany(sql, [(pair, term, sign * n) for (pair, term), n in chunk])

    def delete(self, unit_ids: Iterable[int]) -> int:
        """Remove units and their index entries; gone from the next lookup."""
        removed = 0
        with transaction.atomic():
            for chunk in chunks(unit_ids, _CHUNK):
                rows = list(
                    TranslationUnit.objects.filter(pk__in=chunk).values_list(
                        "pk", "source", "source_lang", "target_lang", "length"
                    )
                )
                counts: Counter[tuple[int, int]] = Counter()
                entries = []
                for pk, source, source_lang, target_lang, length in rows:
                    pair = pair_id(source_lang, target_lang)
                    for term in {token_id(t) for t in tokens(shape(source).core)}:
                        entries.append((term, pair, length, pk))
                        counts[(pair, term)] += 1
                with connection.cursor() as cursor:
                    cursor.executemany(
                        f"DELETE FROM {IndexTerm._meta.db_table}"
                        " WHERE term = %s AND pair = %s AND length = %s AND unit = %s",
                        entries,
                    )
                self._count_terms(counts, -1)
                removed += TranslationUnit.objects.filter(pk__in=[r[0] for r in rows]).delete()[0]
        return removed

    def mark_used(self, unit_ids: Iterable[int]) -> None:
        """A job reused these units: when, and how often."""
        ids = sorted(set(unit_ids))
        for chunk in chunks(ids, _CHUNK):
            TranslationUnit.objects.filter(pk__in=chunk).update(
                last_used=timezone.now(), usage_count=F("usage_count") + 1
            )

    # --- what the two databases do differently -------------------------------------

    def _reserve_ids(self, count: int) -> list[int]:
        raise NotImplementedError


class PostgresMemory(TranslationMemory):
    def _reserve_ids(self, count: int) -> list[int]:
        table = TranslationUnit._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))"
                " FROM generate_series(1, %s)",
                [count],
            )
            return [value for (value,) in cursor.fetchall()]


class SqliteMemory(TranslationMemory):
    def _reserve_ids(self, count: int) -> list[int]:
        """Ids after the highest one: the transaction holds SQLite's only write lock
        once it has written (the ``add`` transaction has, or takes it here)."""
        table = TranslationUnit._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET id = id WHERE id < 0")  # takes the write lock
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            (highest,) = cursor.fetchone()
        return list(range(highest + 1, highest + 1 + count))


def memory() -> TranslationMemory:
    """The translation memory of the default database."""
    return PostgresMemory() if connection.vendor == "postgresql" else SqliteMemory()


# --- helpers -----------------------------------------------------------------------


def _rarest(terms: set[int], frequency: dict[int, int]) -> list[int]:
    """The query's words that a match is bound to share, rarest first: a third of its
    words and at least four, then more while they are rare (within TERM_BUDGET index
    entries). Words no unit holds are left out (they cannot find anything)."""
    known = sorted((frequency[t], t) for t in terms if t in frequency)
    needed = max(4, math.ceil(len(terms) / 3))
    chosen: list[int] = []
    read = 0
    for count, term in known:
        if len(chosen) >= needed and read + count > TERM_BUDGET:
            break
        chosen.append(term)
        read += count
    return chosen


def _match(row: dict[str, Any], score: int, kind: str, target_lang: str) -> Match:
    if row["target_lang"].lower() != target_lang.lower():
        score = min(score - 1, EXACT - 1)  # a fallback locale: ranked below, never applied
        kind = "fuzzy"
    return Match(
        unit_id=row["pk"],
        source=row["source"],
        target=row["target"],
        score=score,
        kind=kind,
        status=row["status"],
        source_lang=row["source_lang"],
        target_lang=row["target_lang"],
        engine=row["engine"],
        reviewer=row["reviewer"],
        created_by=row["created_by"],
    )


def _best(matches: list[Match], k: int, threshold: int) -> list[Match]:
    ranked = sorted(
        (m for m in matches if m.score >= threshold),
        key=lambda m: (-m.score, m.status != UnitStatus.PROMOTED, -m.unit_id),
    )
    best: list[Match] = []
    targets: set[str] = set()
    for match in ranked:
        if match.target not in targets:  # one line per distinct translation
            targets.add(match.target)
            best.append(match)
        if len(best) == k:
            break
    return best


def chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _chunked_rows(units: Any, column: str, values: list[Any]) -> Iterator[dict[str, Any]]:
    for chunk in chunks(values, 500):
        yield from units.filter(**{f"{column}__in": chunk}).values(*_MATCH_FIELDS)
