"""One interface to the translation memory, with a PostgreSQL and an SQLite implementation.

Lookup, for each query segment of a language pair:

1. **exact** — units whose tagged source has the query's hash (outer whitespace aside:
   :func:`source_hashes`): 100 %, or 101 % when the neighbours are the same too
   (context match);
2. **fuzzy** — the query's index terms (:func:`iris.memory.scoring.query_terms`: word
   pairs, or character pairs for a short query) are counted in the index
   (:class:`IndexTerm`) within the core lengths that can still reach the threshold; of
   the rarest, enough are read that a unit differing from the query by the edits the
   threshold allows still shares one. The units sharing most of them are candidates,
   each scored exactly by :mod:`iris.memory.scoring`.

Plain ``pg_trgm`` similarity (``%``) was measured slower than scoring every unit by
brute force (the issue's figures: 662 ms against 124 ms at a million units): its index
reads the postings of every trigram, common ones included. Reading only rare words
keeps a lookup to a few short index ranges.

The two implementations differ in how they reserve the ids of units written in bulk
(COPY on PostgreSQL, ``executemany`` on SQLite: iris/jobs/bulk.py); the queries and the
scoring are shared.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from itertools import islice
from typing import Any

from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone

from iris.jobs.bulk import prepared_rows
from iris.memory.models import IndexTerm, ShortUnit, TranslationUnit, UnitStatus
from iris.memory.scoring import (
    CONTEXT,
    DEFAULT_THRESHOLD,
    EXACT,
    SHORT_QUERY,
    SHORT_UNIT,
    Plan,
    index_terms,
    length_band,
    plain_and_core,
    query_terms,
    score_shapes,
    shape,
)
from iris.memory.short import ShortUnits

#: candidates scored per query (the units sharing most of its chosen words)
CANDIDATES = 100
#: how far a term's units are counted when choosing the rarest (index entries)
FREQUENCY_CAP = 1000
#: a term held by this few units is always read
RARE = 20
#: the advisory lock memory writers take on PostgreSQL ("iris-tm" in ASCII)
WRITER_LOCK = 0x697269732D746D
_CHUNK = 2000

Progress = Callable[[int], None]


def language_base(tag: str) -> str:
    return tag.split("-", 1)[0].lower()


@lru_cache(maxsize=1024)
def pair_id(source_lang: str, target_lang: str) -> int:
    """The language pair (by primary language) as a signed 32-bit number."""
    key = f"{language_base(source_lang)}\x1f{language_base(target_lang)}"
    return zlib.crc32(key.encode()) - 0x80000000


def digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def context_hash(previous: str, following: str) -> str:
    """The neighbours of a segment (tagged sources), as units store them."""
    return digest("context", previous, following) if previous or following else ""


def source_hashes(source: str) -> set[str]:
    """The ``source_hash`` values a unit with the tagged ``source`` (outer whitespace
    aside) can be stored under: stripped, as units are stored now; with the one trailing
    space that earlier versions kept from a segment a sentence followed; and exactly as
    given. Any other outer whitespace of an old unit is found by the fuzzy lookup,
    which counts it exact too (no migration rewrites the stored hashes)."""
    bare = source.strip()
    return {digest(bare), digest(f"{bare} "), digest(source)}


def same_source(one: str, other: str) -> bool:
    """Whether two tagged sources are the same sentence: outer whitespace never decides
    an exact or context match."""
    return one == other or one.strip() == other.strip()


def neighbours_hash(sources: Mapping[int, str], order: int) -> str:
    """:func:`context_hash` of the segment at ``order`` among ``sources`` (by order)."""
    return context_hash(sources.get(order - 1, ""), sources.get(order + 1, ""))


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

    def __post_init__(self) -> None:
        # Outer whitespace belongs to the segment a unit came from (the space that joins
        # it to the next sentence of its paragraph), not to the translation: stored
        # without it, a job's "…desk. " and another tool's "…desk." are one unit, and
        # each matches the other exactly (the pipeline puts a segment's own outer
        # whitespace back around the target it applies).
        object.__setattr__(self, "source", self.source.strip())
        object.__setattr__(self, "target", self.target.strip())

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

    def serves(self, source_lang: str, target_lang: str) -> bool:
        """Whether any unit could match a lookup in the pair (the languages :meth:`lookup`
        searches, whatever the threshold)."""
        return self._pair_units(source_lang, target_lang).exists()

    def _pair_units(self, source_lang: str, target_lang: str) -> models.QuerySet[TranslationUnit]:
        return TranslationUnit.objects.filter(
            source_base=language_base(source_lang), target_base=language_base(target_lang)
        )

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
        first (:func:`_rank`: promoted units of the same source before candidates,
        then by score, exact locale before a fallback of the same score)."""
        if not queries:
            return []
        if not TranslationUnit.objects.exists():
            return [[] for _ in queries]  # an empty memory (a new installation) costs nothing
        pair = pair_id(source_lang, target_lang)
        units = self._pair_units(source_lang, target_lang)
        if promoted_only:
            units = units.filter(status=UnitStatus.PROMOTED)
        found: list[list[Match]] = [[] for _ in queries]
        by_hash: dict[str, list[int]] = {}
        for index, query in enumerate(queries):
            for value in source_hashes(query.source):
                by_hash.setdefault(value, []).append(index)
        for row in _chunked_rows(units, "source_hash", list(by_hash)):
            for index in by_hash[row["source_hash"]]:
                if same_source(row["source"], queries[index].source):
                    found[index].append(_exact(row, queries[index], target_lang))
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
        """Add each query's fuzzy matches: candidates from the index (the units sharing
        most of its rarest terms), each scored exactly."""
        shapes = [shape(query.source) for query in queries]
        plans = {
            i: (
                [({t ^ pair for t in terms}, needed) for terms, needed in query_terms(form.core)],
                length_band(len(form.core), threshold),
            )
            for i, form in enumerate(shapes)
            if len(form.core) > SHORT_QUERY
        }
        candidates: dict[int, list[int]] = {}
        short = [i for i, form in enumerate(shapes) if 0 < len(form.core) <= SHORT_QUERY]
        if short:
            held = ShortUnits(pair)
            for i in short:
                for unit in held.like(shapes[i].core, threshold, CANDIDATES):
                    candidates.setdefault(unit, []).append(i)
        if plans:
            low = min(band[0] for _, band in plans.values())
            high = max(band[1] for _, band in plans.values())
            every = set().union(*(terms for plan, _ in plans.values() for terms, _ in plan))
            frequency = self._frequencies(every, low, high)
            for i, (plan, (low, high)) in plans.items():
                chosen = _rarest(plan, frequency)
                if chosen:
                    for unit in self._candidates(chosen, low, high):
                        candidates.setdefault(unit, []).append(i)
        if not candidates:
            return
        for row in _chunked_rows(units, "pk", list(candidates)):
            unit_shape = shape(row["source"])
            for i in candidates[row["pk"]]:
                if same_source(row["source"], queries[i].source):
                    if all(match.unit_id != row["pk"] for match in found[i]):
                        # stored with outer whitespace no hash of the query covers
                        found[i].append(_exact(row, queries[i], target_lang))
                    continue  # else an exact match, found by its hash
                value = score_shapes(shapes[i], unit_shape)
                if value >= threshold - 1:  # a fallback loses one point in _match
                    found[i].append(_match(row, value, "fuzzy", target_lang))

    def _frequencies(self, terms: set[int], low: int, high: int) -> dict[int, int]:
        """How many units of the pair within the length band hold each term, counted up
        to FREQUENCY_CAP (enough to tell rare from common; index entries only).
        Terms no unit holds are left out."""
        table = IndexTerm._meta.db_table
        frequency: dict[int, int] = {}
        for chunk in chunks(sorted(terms), 500):
            rows = ", ".join(["(%s)"] * len(chunk))
            sql = (
                f"WITH t(term) AS (VALUES {rows}) SELECT t.term, (SELECT COUNT(*) FROM"
                f" (SELECT 1 FROM {table} m WHERE m.term = t.term"
                " AND m.length BETWEEN %s AND %s LIMIT %s) AS s) FROM t"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, [*chunk, low, high, FREQUENCY_CAP])
                frequency.update((term, count) for term, count in cursor.fetchall() if count)
        return frequency

    def _candidates(self, terms: Sequence[int], low: int, high: int) -> list[int]:
        marks = ", ".join(["%s"] * len(terms))
        sql = (
            f"SELECT unit FROM {IndexTerm._meta.db_table}"
            f" WHERE term IN ({marks}) AND length BETWEEN %s AND %s"
            " GROUP BY unit ORDER BY COUNT(*) DESC, unit DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*terms, low, high, CANDIDATES])
            return [unit for (unit,) in cursor.fetchall()]

    # --- writing -------------------------------------------------------------------

    def add(self, units: Iterable[NewUnit], *, progress: Progress | None = None) -> AddReport:
        """Store ``units`` (those already stored, or repeated, are counted as
        duplicates), all or none; each is found by the next lookup.

        Chunk by chunk: what a unit is stored with (its core, index terms) is worked out
        while the database writes the chunk before (:meth:`_writes`)."""
        report = AddReport()
        now = timezone.now()
        seen: set[str] = set()
        with transaction.atomic():
            self._lock_writers()
            with self._writes() as writes:
                for size, prepared in (_prepare(c, seen) for c in chunks(units, 10_000)):
                    stored = writes.call(self._stored_keys, [p.key for p in prepared])
                    fresh = [p for p in prepared if p.key not in stored]
                    report.duplicates += size - len(fresh)
                    report.created += len(fresh)
                    if fresh:
                        ids = writes.call(self._reserve_ids, len(fresh))
                        writes.submit(self._write_rows, *_rows(fresh, ids, now))
                    if progress:
                        progress(size)
        return report

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
                entries: list[tuple[int, int, int]] = []
                for pk, source, source_lang, target_lang, length in rows:
                    pair = pair_id(source_lang, target_lang)
                    terms = index_terms(shape(source).core)
                    entries.extend((term ^ pair, length, pk) for term in terms)
                with connection.cursor() as cursor:
                    cursor.executemany(
                        f"DELETE FROM {IndexTerm._meta.db_table}"
                        " WHERE term = %s AND length = %s AND unit = %s",
                        entries,
                    )
                ids = [r[0] for r in rows]
                ShortUnit.objects.filter(unit__in=ids).delete()
                removed += TranslationUnit.objects.filter(pk__in=ids).delete()[0]
        return removed

    def mark_used(self, unit_ids: Iterable[int]) -> None:
        """A job reused these units: when, and how often."""
        ids = sorted(set(unit_ids))
        for chunk in chunks(ids, _CHUNK):
            TranslationUnit.objects.filter(pk__in=chunk).update(
                last_used=timezone.now(), usage_count=F("usage_count") + 1
            )

    # --- what the two databases do differently -------------------------------------

    @contextmanager
    def _writes(self) -> Iterator[_Writer]:
        """Where :meth:`add` sends its database work: a thread of its own, over the
        caller's connection (so in its transaction). At a million units the database's
        work (index maintenance, the log) and Iris's (reading the file, cores, index
        terms) take about as long, and overlap. The methods it runs use ``self._raw``,
        never Django's connection (which belongs to the caller's thread)."""
        connection.ensure_connection()
        self._raw = connection.connection
        with ThreadPoolExecutor(1, thread_name_prefix="iris-memory-writer") as pool:
            writer = _Writer(pool)
            try:
                yield writer
            finally:
                writer.wait()

    def _stored_keys(self, keys: list[str]) -> set[str]:
        raise NotImplementedError

    def _reserve_ids(self, count: int) -> list[int]:
        raise NotImplementedError

    def _write_rows(self, units: list[Row], index: list[Entry], short: list[Short]) -> None:
        raise NotImplementedError

    def _lock_writers(self) -> None:
        """One writer at a time until commit: unit ids become visible in the order
        they were given (what iris/memory/short.py's cache relies on)."""


class PostgresMemory(TranslationMemory):
    """Writes by COPY; writers serialised by an advisory lock."""

    def _lock_writers(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [WRITER_LOCK])

    def _stored_keys(self, keys: list[str]) -> set[str]:
        with self._raw.cursor() as cursor:
            cursor.execute(
                f"SELECT key FROM {TranslationUnit._meta.db_table} WHERE key = ANY(%s)", [keys]
            )
            return {key for (key,) in cursor.fetchall()}

    def _reserve_ids(self, count: int) -> list[int]:
        table = TranslationUnit._meta.db_table
        with self._raw.cursor() as cursor:
            cursor.execute(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))"
                " FROM generate_series(1, %s)",
                [count],
            )
            return [value for (value,) in cursor.fetchall()]

    def _write_rows(
        self, units: list[tuple[Any, ...]], index: list[Entry], short: list[Short]
    ) -> None:
        """COPY in text form, each value written once (iris/jobs/bulk.py prepares each
        through its field: a third of an import's time at a million units); the index
        in its primary key's order, so that its pages fill rather than split at random."""
        index.sort()
        self._copy(TranslationUnit, _UNIT_COLUMNS, units)
        self._copy(IndexTerm, ("term", "length", "unit"), index)
        self._copy(ShortUnit, ("unit", "pair", "length", "core"), short)

    def _copy(self, model: type[models.Model], columns: Sequence[str], rows: list[Any]) -> None:
        if model is IndexTerm:  # numbers only, and most of the rows
            data = "".join([f"{t}\t{n}\t{u}\n" for t, n, u in rows])
        else:
            data = "".join(["\t".join(map(_copy_text, row)) + "\n" for row in rows])
        statement = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with self._raw.cursor() as cursor, cursor.copy(statement) as copy:
            copy.write(data)


class SqliteMemory(TranslationMemory):
    """Writes by ``executemany`` (SQLite works in this process, and lets go of the
    interpreter while it does); SQLite has one writer at a time of itself."""

    def _stored_keys(self, keys: list[str]) -> set[str]:
        found: set[str] = set()
        for chunk in chunks(keys, 500):
            marks = ", ".join("?" * len(chunk))
            rows = self._raw.execute(
                f"SELECT key FROM {TranslationUnit._meta.db_table} WHERE key IN ({marks})", chunk
            )
            found.update(key for (key,) in rows)
        return found

    def _reserve_ids(self, count: int) -> list[int]:
        """Ids after the highest one ever given (AUTOINCREMENT's record too, so that a
        deleted unit's id is never given again). The ``add`` transaction holds SQLite's
        only write lock once it has written; the no-op update takes it first."""
        table = TranslationUnit._meta.db_table
        self._raw.execute(f"UPDATE {table} SET id = id WHERE id < 0")
        ((highest,),) = self._raw.execute(
            f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?), 0),"
            f" COALESCE((SELECT MAX(id) FROM {table}), 0))",
            [table],
        ).fetchall()
        return list(range(highest + 1, highest + 1 + count))

    def _write_rows(self, units: list[Row], index: list[Entry], short: list[Short]) -> None:
        """Units' values prepared as Django writes them (JSON, dates); the index and the
        short units are plain numbers and text."""
        for model, columns, rows in (
            (TranslationUnit, _UNIT_COLUMNS, prepared_rows(TranslationUnit, _UNIT_COLUMNS, units)),
            (IndexTerm, ("term", "length", "unit"), index),
            (ShortUnit, ("unit", "pair", "length", "core"), short),
        ):
            marks = ", ".join("?" * len(columns))
            sql = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) VALUES ({marks})"
            self._raw.executemany(sql, rows)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_str(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_COPY_ESCAPES)
    return value


def _copy_json(value: dict[str, Any]) -> str:
    return _copy_str(json.dumps(value, ensure_ascii=False)) if value else "{}"


_COPY_FORMAT: dict[type, Callable[[Any], str]] = {
    str: _copy_str,
    int: str,
    type(None): lambda _value: "\\N",
    dict: _copy_json,
    datetime: datetime.isoformat,
}


def _copy_text(value: Any) -> str:
    """A value in COPY's text format."""
    return _COPY_FORMAT.get(type(value), str)(value)


def memory() -> TranslationMemory:
    """The translation memory of the default database."""
    return PostgresMemory() if connection.vendor == "postgresql" else SqliteMemory()


# --- helpers -----------------------------------------------------------------------


Row = tuple[Any, ...]  # a unit's columns (_UNIT_COLUMNS)
Entry = tuple[int, int, int]  # an index entry: term (mixed with the pair), length, unit
Short = tuple[int, int, int, str]  # a short unit: unit, pair, length, core


class _Writer:
    """Database work done in order on one thread: ``call`` waits for its answer (and so
    for everything sent before it), ``submit`` does not; the first failure is raised."""

    def __init__(self, pool: ThreadPoolExecutor) -> None:
        self._pool = pool
        self._sent: list[Future[Any]] = []

    def call(self, work: Callable[..., Any], *args: Any) -> Any:
        self.wait()
        return self._pool.submit(work, *args).result()

    def submit(self, work: Callable[..., Any], *args: Any) -> None:
        self._sent.append(self._pool.submit(work, *args))

    def wait(self) -> None:
        sent, self._sent = self._sent, []
        for future in sent:
            future.result()


@dataclass(frozen=True, slots=True)
class _Prepared:
    key: str
    unit: NewUnit
    plain: str
    length: int
    pair: int
    terms: set[int]
    core: str


def _prepare(chunk: list[NewUnit], seen: set[str]) -> tuple[int, list[_Prepared]]:
    """What each unit of ``chunk`` not seen before is stored with (no database)."""
    prepared = []
    for unit in chunk:
        key = unit.key
        if key in seen:
            continue
        seen.add(key)
        plain, core = plain_and_core(unit.source)
        pair = pair_id(unit.source_lang, unit.target_lang)
        prepared.append(_Prepared(key, unit, plain, len(core), pair, index_terms(core), core))
    return len(chunk), prepared


def _rows(
    prepared: list[_Prepared], ids: list[int], now: datetime
) -> tuple[list[Row], list[Entry], list[Short]]:
    units: list[Row] = []
    index: list[Entry] = []
    short: list[Short] = []
    for unit_id, p in zip(ids, prepared, strict=True):
        unit = p.unit
        units.append(
            (
                unit_id,
                unit.source,
                p.plain,
                unit.target,
                unit.source_lang,
                unit.target_lang,
                language_base(unit.source_lang),
                language_base(unit.target_lang),
                digest(unit.source),
                unit.context_hash,
                p.key,
                p.length,
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
        index.extend((term ^ p.pair, p.length, unit_id) for term in p.terms)
        if p.length <= SHORT_UNIT:
            short.append((unit_id, p.pair, p.length, p.core))
    return units, index, short


def _rarest(plan: Plan, frequency: dict[int, int]) -> list[int]:
    """The terms a lookup reads: of each group of the plan (see
    :func:`iris.memory.scoring.query_terms`), its ``needed`` rarest terms that some unit
    holds, and any others rarer than RARE (they cost next to nothing to read and rank
    candidates better)."""
    chosen: set[int] = set()
    for terms, needed in plan:
        known = sorted((frequency[t], t) for t in terms if t in frequency)
        chosen.update(t for n, (count, t) in enumerate(known) if n < needed or count <= RARE)
    return sorted(chosen)


def _exact(row: dict[str, Any], query: Query, target_lang: str) -> Match:
    """The match of a unit of the query's very source: 101 % with the same neighbours."""
    if query.context_hash and row["context_hash"] == query.context_hash:
        return _match(row, CONTEXT, "context", target_lang)
    return _match(row, EXACT, "exact", target_lang)


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


def _rank(match: Match) -> tuple[bool, int, bool, int]:
    """Best first: by score, except that a promoted unit of the query's very source (100
    and 101 %, exact locale) comes before every candidate. A person's approved
    translation of the sentence is what is applied (iris/jobs/steps/context.py), and
    what the engine and the reviewer should read first, above an unreviewed engine
    output that merely shares the neighbours. Then the newest unit first."""
    approved_exact = match.score >= EXACT and match.status == UnitStatus.PROMOTED
    return (not approved_exact, -match.score, match.status != UnitStatus.PROMOTED, -match.unit_id)


def _best(matches: list[Match], k: int, threshold: int) -> list[Match]:
    ranked = sorted((m for m in matches if m.score >= threshold), key=_rank)
    best: list[Match] = []
    targets: set[str] = set()
    for match in ranked:
        if match.target.strip() not in targets:  # one line per distinct translation
            targets.add(match.target.strip())
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
