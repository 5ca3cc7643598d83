"""Translation memory benchmark: import, fuzzy lookup latency and recall at scale.

    .venv/bin/python bench/tm_lookup.py [--units 1000000] [--db postgres|sqlite]

Generates (seeded) ``--units`` English→French units of sentence-like text (Zipf-
distributed words, lengths from one word to forty, a tenth under 15 characters, some
numbers), writes them as a TMX 1.4b file and imports it with ``manage.py tm import``'s
code (bulk, with progress), then runs ``--queries`` (1,000) queries that are 1–3-word
edits of stored units plus 100 sentences that match nothing, each alone (fuzzy, top
5). In the same run it measures brute force: rapidfuzz over every unit's core (the
text the score compares) for all those at 75 % similarity or more, the best of them by
Iris's published score (penalties only lower a score, so none is missed).

Prints import time, index time (statistics refreshed after the import; the index itself
is written with the units), median and p95 lookup latency for Iris and brute force,
and ``recall_vs_bruteforce``: the share of queries with a brute-force best match of
75 % or more that find it (or one as good) in Iris's top 5. Last line:
``pg_p95_ms=<x> recall_vs_bruteforce=<y>`` (``sqlite_p95_ms`` with ``--db sqlite``).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_URL = os.environ.get(
    "IRIS_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/iris_tm_bench"
)
FUNCTION_WORDS = [
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "is",
    "that",
    "for",
    "it",
    "as",
    "with",
    "was",
    "on",
    "be",
    "by",
    "this",
    "are",
    "at",
    "from",
    "or",
    "an",
    "have",
    "not",
    "which",
    "but",
    "all",
    "were",
    "when",
    "we",
    "there",
    "can",
    "more",
    "if",
    "will",
    "one",
    "about",
    "up",
    "out",
    "so",
    "their",
    "has",
    "would",
    "what",
    "been",
    "its",
    "into",
    "only",
    "other",
    "new",
    "some",
    "could",
    "these",
    "than",
    "then",
    "our",
]
SYLLABLES = [
    "ka",
    "ro",
    "mi",
    "ten",
    "sa",
    "lo",
    "ver",
    "an",
    "dis",
    "con",
    "pre",
    "tion",
    "al",
    "ment",
    "ing",
    "er",
    "est",
    "ly",
    "pro",
    "com",
    "ex",
    "in",
    "ter",
    "man",
    "sys",
    "port",
    "form",
    "ble",
    "ri",
    "da",
    "nu",
    "ce",
    "ga",
    "pol",
    "ic",
    "ure",
    "ven",
    "tra",
    "im",
]


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choices(SYLLABLES, k=rng.choice((1, 2, 2, 3, 3, 4)))))
    return FUNCTION_WORDS + sorted(words)


class Sentences:
    """Sentence-like strings: Zipf-distributed words, varied lengths, some numbers."""

    def __init__(self, seed: int, vocabulary_size: int = 40_000) -> None:
        self.rng = random.Random(seed)
        self.words = vocabulary(self.rng, vocabulary_size)
        weights = [1 / (rank + 1) ** 1.05 for rank in range(len(self.words))]
        total = sum(weights)
        self.cumulative = []
        acc = 0.0
        for weight in weights:
            acc += weight / total
            self.cumulative.append(acc)

    def word(self) -> str:
        if self.rng.random() < 0.03:
            return str(self.rng.randint(1, 9999))
        return self.rng.choices(self.words, cum_weights=self.cumulative)[0]

    def length(self) -> int:
        if self.rng.random() < 0.1:
            return self.rng.randint(1, 2)  # headings, labels: mostly under 15 characters
        return max(3, min(40, int(self.rng.gauss(14, 7))))

    def sentence(self) -> list[str]:
        return [self.word() for _ in range(self.length())]

    def edit(self, words: list[str]) -> list[str]:
        """The same sentence with 1–3 words substituted, inserted or deleted."""
        changed = list(words)
        for _ in range(self.rng.randint(1, 3)):
            operation = self.rng.choice(("sub", "ins", "del") if len(changed) > 2 else ("sub",))
            at = self.rng.randrange(len(changed))
            if operation == "sub":
                changed[at] = self.word()
            elif operation == "ins":
                changed.insert(at, self.word())
            else:
                del changed[at]
        return changed


def text(words: list[str]) -> str:
    return " ".join(words).capitalize() + ("." if len(words) > 2 else "")


def setup(db: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "iris.settings"
    os.environ.setdefault("IRIS_SECRET_KEY", "bench-only-secret")
    os.environ["IRIS_VAR_DIR"] = tempfile.mkdtemp(prefix="iris-tm-bench-")
    if db == "postgres":
        import psycopg

        name = PG_URL.rsplit("/", 1)[1]
        with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["IRIS_DATABASE_URL"] = PG_URL
    else:
        os.environ.pop("IRIS_DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    setup(args.db)

    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    from iris.memory.interchange import InterchangeUnit, write_tmx
    from iris.memory.service import import_file
    from iris.memory.store import Query, memory

    words = Sentences(args.seed)
    started = time.perf_counter()
    stored = [words.sentence() for _ in range(args.units)]
    sources = [text(w) for w in stored]
    print(f"generated {args.units:,} units in {time.perf_counter() - started:.1f} s", flush=True)

    work = Path(tempfile.mkdtemp(prefix="iris-tm-bench-"))
    tmx = work / "memory.tmx"
    with tmx.open("wb") as out:
        write_tmx(
            (InterchangeUnit(s, f"[fr] {s}", "en", "fr") for s in sources),
            out,
            source_lang="en",
        )
    print(f"TMX file: {tmx.stat().st_size / 1e6:,.0f} MB", flush=True)

    started = time.perf_counter()
    report = import_file(tmx, "en", "fr", progress=True)
    import_s = time.perf_counter() - started
    print(
        f"import: {report.created:,} units in {import_s:.1f} s "
        f"(statistics {report.analyse_seconds:.1f} s of it)",
        flush=True,
    )

    edited = [words.edit(stored[words.rng.randrange(len(stored))]) for _ in range(args.queries)]
    queries = [text(w) for w in edited] + [
        text(Sentences(args.seed + 1000 + n).sentence()) for n in range(100)
    ]
    tm = memory()
    for query in queries[:50]:  # warm the caches, as a running worker has them
        tm.lookup([Query(query)], "en", "fr", k=5)
    timings: list[float] = []
    results = []
    for query in queries:
        started = time.perf_counter()
        results.append(tm.lookup([Query(query)], "en", "fr", k=5)[0])
        timings.append((time.perf_counter() - started) * 1000)

    from iris.memory.scoring import score, shape

    cores = [shape(s).core for s in sources]
    brute: list[float] = []
    hits = wanted = 0
    for query, found in zip(queries, results, strict=True):
        core = shape(query).core
        started = time.perf_counter()
        near = process.extract(
            core, cores, scorer=Levenshtein.normalized_similarity, score_cutoff=0.75, limit=None
        )
        # A score of 75 needs a core similarity of 0.75 (penalties only lower it): the
        # best by Iris's formula is among these.
        best = max((score(query, sources[index]) for _core, _sim, index in near), default=0)
        brute.append((time.perf_counter() - started) * 1000)
        if best < 75:
            continue
        wanted += 1
        hits += any(match.score >= best for match in found)

    recall = hits / wanted if wanted else 1.0
    label = "pg" if args.db == "postgres" else "sqlite"
    print(
        f"iris lookup:  p50 {statistics.median(timings):.1f} ms, "
        f"p95 {percentile(timings, 0.95):.1f} ms ({len(queries):,} queries, top 5)"
    )
    print(
        f"brute force:  p50 {statistics.median(brute):.1f} ms, "
        f"p95 {percentile(brute, 0.95):.1f} ms (rapidfuzz over {len(cores):,} cores)"
    )
    print(f"queries with a brute-force match >= 75 %: {wanted:,}; in Iris's top 5: {hits:,}")
    print(f"{label}_p95_ms={percentile(timings, 0.95):.1f} recall_vs_bruteforce={recall:.3f}")


if __name__ == "__main__":
    main()
