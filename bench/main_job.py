"""Main-job benchmark: ``iris translate`` against the library's own round trip, as
whole processes (interpreter start, imports, database and files included).

Run ``.venv/bin/python bench/main_job.py [--pages 500] [--runs 5] [--skip-postgres]``.

On a generated document (`bench.docx_roundtrip.build_docx`) it times, alternating, one
process per run:

(a) library: ``python -m iris.docx pseudo DOC -o OUT --to fr``;
(b) sqlite: ``iris translate DOC --to fr --from en -q -o OUT`` (pseudo engine, eager,
    SQLite: ``IRIS_VAR_DIR`` is a fresh folder per run, so the run creates its database);
(c) postgres: the same with ``IRIS_DATABASE_URL`` set to a database that is dropped,
    created and migrated (``manage.py migrate``, not timed) before every run, so no run
    reuses an earlier run's translations.

Children get no ``IRIS_*`` variable but those above (nor ``DJANGO_SETTINGS_MODULE``);
Python writes and reads its bytecode cache in them as on a user's machine (one
unmeasured run of (a) and (b) writes it first).
Wall time is measured around each process; peak memory is its ``ru_maxrss`` from
``os.wait4``. A child's ``ru_maxrss`` also counts the pages it shared with this process
when it was forked, so this process builds nothing itself and stays small: the
``spawn floor`` line (``ru_maxrss`` of ``/bin/true``) shows how small.

It prints the medians, ``library 3.01s 137MiB | sqlite 3.90s 300MiB ratio=1.30 |
postgres …``, then ``small_wall=<s>`` (median wall time of ``iris translate`` on a
four-word document, configuration (b)) and last ``main_job_ratio=<larger ratio>``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_URL = "postgres://postgres@127.0.0.1:5432/iris_mainjob"
SECRET = "bench-only-secret"
SMALL_TEXT = "Hello small world today"


@dataclass
class Sample:
    """One finished process: wall seconds and peak resident memory in MiB."""

    wall: float
    rss_mib: float


def run_process(command: list[str], env: dict[str, str], what: str) -> Sample:
    """Run ``command`` to completion; fail loudly when it fails."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)  # wait4, not wait: for the rusage
    wall = time.perf_counter() - started
    # Reaped here, so Popen must not wait for it again.
    process.returncode = code = os.waitstatus_to_exitcode(status)
    if code != 0:
        tail = output.decode(errors="replace")[-2000:]
        raise SystemExit(f"{what} failed (exit {code}):\n{tail}")
    return Sample(wall, usage.ru_maxrss / 1024)  # Linux reports KiB


#: not passed on: Iris's settings, and PYTHONDONTWRITEBYTECODE, which a sandbox may set
#: but a user's shell does not (without a bytecode cache every run compiles Iris's
#: modules again, about 0.2 s that no user pays after the first run)
NOT_PASSED = ("DJANGO_SETTINGS_MODULE", "PYTHONDONTWRITEBYTECODE")


def child_env(**iris: str) -> dict[str, str]:
    """This environment without IRIS_* and `NOT_PASSED`, plus ``iris``."""
    kept = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("IRIS_") and key not in NOT_PASSED
    }
    return {**kept, **iris}


def write_documents(folder: Path, pages: int) -> None:
    """Child mode: the generated document and the four-word one (keeps the parent small)."""
    import docx

    from bench.docx_roundtrip import build_docx

    (folder / "bench.docx").write_bytes(build_docx(pages))
    small = docx.Document()
    small.add_paragraph(SMALL_TEXT)
    small.save(str(folder / "small.docx"))


def fresh_database(url: str) -> None:
    """An empty database at ``url``, dropped first if it exists."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Bench:
    """The three configurations, each run in fresh processes inside ``work``."""

    def __init__(self, work: Path, pg_url: str) -> None:
        self.work = work
        self.pg_url = pg_url
        self.python = sys.executable
        self.iris = str(Path(sys.executable).with_name("iris"))
        self.runs = 0

    def folder(self, name: str) -> Path:
        self.runs += 1
        path = self.work / f"{name}-{self.runs}"
        path.mkdir()
        return path

    def library(self, document: Path) -> Sample:
        out = self.folder("library") / "out.docx"
        command = [self.python, "-m", "iris.docx", "pseudo", str(document), "-o", str(out)]
        sample = run_process([*command, "--to", "fr"], child_env(), "library pseudo")
        return checked(sample, out)

    def translate(self, document: Path, var: Path, **iris: str) -> Sample:
        out = var / "out.docx"
        command = [self.iris, "translate", str(document), "--to", "fr", "--from", "en", "-q"]
        env = child_env(IRIS_VAR_DIR=str(var), **iris)
        return checked(run_process([*command, "-o", str(out)], env, "iris translate"), out)

    def sqlite(self, document: Path) -> Sample:
        return self.translate(document, self.folder("sqlite"))

    def postgres(self, document: Path) -> Sample:
        var = self.folder("postgres")
        fresh_database(self.pg_url)
        migrate = [self.python, "manage.py", "migrate", "-v", "0"]
        env = child_env(IRIS_VAR_DIR=str(var), IRIS_DATABASE_URL=self.pg_url)
        run_process(migrate, {**env, "IRIS_SECRET_KEY": SECRET}, "manage.py migrate")
        return self.translate(document, var, IRIS_DATABASE_URL=self.pg_url)


def checked(sample: Sample, output: Path) -> Sample:
    if not output.is_file() or output.stat().st_size == 0:
        raise SystemExit(f"no output written at {output}")
    return sample


def spawn_floor() -> float:
    """Peak memory a child shows when it does nothing: what it shared with this process."""
    return run_process(["/bin/true"], child_env(), "/bin/true").rss_mib


def median(samples: list[Sample]) -> Sample:
    return Sample(
        statistics.median(s.wall for s in samples), statistics.median(s.rss_mib for s in samples)
    )


def shown(name: str, sample: Sample) -> str:
    return f"{name} {sample.wall:.2f}s {sample.rss_mib:.0f}MiB"


def measure(bench: Bench, document: Path, runs: int, postgres: bool) -> dict[str, list[Sample]]:
    """Alternate the configurations, so that machine noise hits them alike."""
    modes: dict[str, Callable[[Path], Sample]] = {"library": bench.library, "sqlite": bench.sqlite}
    if postgres:
        modes["postgres"] = bench.postgres
    samples: dict[str, list[Sample]] = {name: [] for name in modes}
    for number in range(1, runs + 1):
        for name, mode in modes.items():
            samples[name].append(mode(document))
        print(f"run {number}: " + " | ".join(shown(n, s[-1]) for n, s in samples.items()))
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--postgres-url", default=PG_URL)
    parser.add_argument("--write-documents", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write_documents:
        write_documents(args.write_documents, args.pages)
        return
    with tempfile.TemporaryDirectory(prefix="iris-mainjob-") as folder:
        work = Path(folder)
        writer = [sys.executable, __file__, "--write-documents", folder]
        run_process([*writer, "--pages", str(args.pages)], child_env(), "writing the documents")
        document = work / "bench.docx"
        print(f"document: {args.pages} pages, {document.stat().st_size / 1e6:.2f} MB")
        print(f"spawn floor: {spawn_floor():.0f}MiB")
        bench = Bench(work, args.postgres_url)
        # Not measured: as a user's first run, these write Python's bytecode cache.
        bench.library(work / "small.docx")
        bench.sqlite(work / "small.docx")
        try:
            samples = measure(bench, document, args.runs, not args.skip_postgres)
        finally:
            if not args.skip_postgres:
                drop_database(args.postgres_url)
        small = [bench.sqlite(work / "small.docx") for _ in range(args.runs)]
    report(samples, median(small))


def report(samples: dict[str, list[Sample]], small: Sample) -> None:
    library = median(samples["library"])
    parts, ratios = [shown("library", library)], []
    for name in ("sqlite", "postgres"):
        if name in samples:
            found = median(samples[name])
            ratios.append(found.wall / library.wall)
            parts.append(f"{shown(name, found)} ratio={ratios[-1]:.2f}")
    print(" | ".join(parts))
    print(f"small_wall={small.wall:.2f}")
    print(f"main_job_ratio={max(ratios):.2f}")


if __name__ == "__main__":
    main()
