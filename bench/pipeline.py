"""Pipeline benchmark: a generated 100-page document through the whole pipeline.

Runs, each in its own process: eager on SQLite, eager on PostgreSQL (median of
``--runs`` jobs each), and async on PostgreSQL + Redis with two worker processes. For
the eager runs it also measures, alternating with the jobs in the same process, the
document library alone (the calls an eager job makes: open+units, then apply into the
same trees, compare, and the leftover ruler on source and output) and the pseudo engine
alone, and prints the share of the pipeline's time spent outside both. Last line:
``overhead=<x>`` (the larger of the two eager runs).

    .venv/bin/python bench/pipeline.py [--pages 100] [--skip-services]

The huge-document case (``--paragraphs 400000``): a generated document of that many
one-line paragraphs, measured three ways, each in a fresh process, time and peak RSS:
the floor of bench/docx_roundtrip.py (unzip, parse, walk, serialise, zip), the
document library alone (the calls an eager job makes, as above), and ``iris
translate`` itself on the embedded default. Goals: time ≤ 1.33× the library's, peak
RSS ≤ 3× the floor's. Last line: ``time_ratio=<x> mem_ratio=<y>``.

    .venv/bin/python bench/pipeline.py --paragraphs 400000
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_URL = os.environ.get("IRIS_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/iris_bench")
BROKER_URL = os.environ.get("IRIS_BENCH_BROKER_URL", "redis://127.0.0.1:6379/5")
QUEUES = (
    "docx_extract,retrieve_context,translate_batch,qa_verify,review_io,docx_reassemble,job_control"
)


def _django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iris.settings")
    os.environ.setdefault("IRIS_SECRET_KEY", "bench-only-secret")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # Like a worker or the CLI at start: the pipeline's code loaded, the heap settled.
    from iris.celery import load_tasks
    from iris.ops.process import settle_heap

    load_tasks()
    settle_heap()


def _library_alone(data: bytes, target: str) -> dict[str, float]:
    """The library's calls an eager job makes, alone: open and read the units, apply
    (into the trees the opening read, as the job's reassembly does in one process),
    compare the output with the source, look for source text left in it (the ruler of
    `iris.docx.verification.leftover`, which reassembly runs on every delivery); and the
    pseudo engine's work."""
    from iris.docx import Limits, find_leftovers, open_document
    from iris.docx.text.pseudo import pseudo_translate
    from iris.docx.verification.compare import compare

    started = time.perf_counter()
    document = open_document(data, source_lang="en")
    units = document.units()
    extract_s = time.perf_counter() - started
    started = time.perf_counter()
    targets = {u.id: pseudo_translate(u.source) for u in units if u.translatable}
    engine_s = time.perf_counter() - started
    started = time.perf_counter()
    output = document.apply(targets, target)
    compare(data, output, target_limits=Limits(huge_text=True))
    find_leftovers(data, output)
    reassemble_s = time.perf_counter() - started
    return {"library": extract_s + reassemble_s, "engine": engine_s, "units": len(units)}


def run_job(data: bytes, target: str, timeout: float = 900, engine: str = "") -> dict[str, Any]:
    from iris.jobs.actions import TranslationRequest, create_jobs
    from iris.jobs.models import Job, JobState
    from iris.jobs.progress import job_report

    started = time.perf_counter()
    request = TranslationRequest("bench.docx", data, [target], source_lang="en", engine=engine)
    (job,) = create_jobs(request)
    while True:
        job = Job.objects.get(pk=job.pk)
        if job.state in (JobState.COMPLETED, JobState.FAILED, JobState.CANCELLED):
            break
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"job {job.pk} still {job.state}")
        time.sleep(0.05)
    total = time.perf_counter() - started
    if job.state != JobState.COMPLETED:
        raise RuntimeError(f"job {job.state}: {job.error}")
    usage = job_report(job.pk).usage
    steps = dict(job.step_seconds)
    steps["engine"], steps["retrieve_context"] = usage["engine_seconds"], usage["context_seconds"]
    return {"total": total, "steps": steps, "segments": job.segments_total}


#: one fresh language pair per run, so that no run reuses an earlier run's translations
RUN_TARGETS = ("fr", "de", "es", "it", "pt", "nl", "pl")


def child(config: str, pages: int, runs: int) -> None:
    from bench.docx_roundtrip import build_docx

    data = build_docx(pages)
    if config == "sqlite":
        _django({"IRIS_VAR_DIR": tempfile.mkdtemp(prefix="iris-bench-")})
    else:
        _django({"IRIS_DATABASE_URL": PG_URL, "IRIS_VAR_DIR": tempfile.mkdtemp()})
    # Library alone and pipeline alternate, so machine noise hits both alike.
    alone, jobs = [], []
    for target in RUN_TARGETS[:runs]:
        alone.append(_library_alone(data, target))
        jobs.append(run_job(data, target))
    run = min(jobs, key=lambda job: job["total"]) if runs == 1 else _median_run(jobs)
    run["library"] = statistics.median(a["library"] for a in alone)
    run["engine"] = statistics.median(a["engine"] for a in alone)
    run["overhead"] = max(0.0, run["total"] - run["library"] - run["engine"]) / run["total"]
    print(json.dumps(run))


def _median_run(jobs: list[dict[str, Any]]) -> dict[str, Any]:
    ordered = sorted(jobs, key=lambda job: job["total"])
    return dict(ordered[len(ordered) // 2])


def fresh_pg_database() -> None:
    """An empty benchmark database, so no run reuses an earlier run's translations."""
    import psycopg

    name = PG_URL.rsplit("/", 1)[1]
    with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


@contextmanager
def async_workers(extra: dict[str, str] | None = None, count: int = 2) -> Iterator[None]:
    """Django set up on PostgreSQL + Redis (async) in this process, and ``count`` worker
    processes of one slot each consuming every queue, for the block."""
    env = {
        "IRIS_DATABASE_URL": PG_URL,
        "IRIS_ASYNC": "true",
        "IRIS_BROKER_URL": BROKER_URL,
        "IRIS_VAR_DIR": tempfile.mkdtemp(prefix="iris-bench-"),
        "IRIS_SECRET_KEY": "bench-only-secret",
        **(extra or {}),
    }
    _django(env)
    from iris.celery import app

    app.control.purge()
    command = [sys.executable, "-m", "celery", "-A", "iris", "worker", "-Q", QUEUES, "-c", "1"]
    workers = [
        subprocess.Popen(
            [*command, "-n", f"bench{i}@localhost", "--loglevel", "WARNING"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for i in range(count)
    ]
    try:
        deadline = time.monotonic() + 60
        while len(app.control.ping(timeout=0.5) or []) < count and time.monotonic() < deadline:
            time.sleep(0.2)
        yield
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)


def async_child(pages: int) -> None:
    from bench.docx_roundtrip import build_docx

    with async_workers():
        # A pair no eager run used, so that nothing is reused from them.
        print(json.dumps(run_job(build_docx(pages), "sv")))


def library_child(path: Path) -> None:
    """The library alone on a file, once, with this process's peak RSS."""
    from bench.docx_roundtrip import peak_rss_kib

    data = path.read_bytes()
    started = time.perf_counter()
    _library_alone(data, "de")
    print(json.dumps({"seconds": time.perf_counter() - started, "peak_kib": peak_rss_kib()}))


@dataclass
class Measured:
    seconds: float
    peak_kib: int
    output: str


def _timed_process(command: list[str], env: dict[str, str] | None = None) -> Measured:
    """Wall time and peak RSS of one child process (its own rusage, by wait4)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    output = (process.stdout.read() if process.stdout else b"").decode()
    errors = (process.stderr.read() if process.stderr else b"").decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{command[2:4]} failed: {errors[-2000:] or output[-2000:]}")
    return Measured(seconds, usage.ru_maxrss, output)


def huge(paragraphs: int) -> None:
    from bench.docx_roundtrip import build_short_paragraphs

    with tempfile.TemporaryDirectory(prefix="iris-bench-") as folder:
        path = Path(folder) / "huge.docx"
        path.write_bytes(build_short_paragraphs(paragraphs))
        print(f"{paragraphs:,} one-line paragraphs: {path.stat().st_size / 1e6:.2f} MB", flush=True)
        floor = _timed_process(
            [sys.executable, str(ROOT / "bench" / "docx_roundtrip.py"), "--child", "floor",
             "--input", str(path), "--runs", "1"],
            {**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        _show_huge("floor", floor)
        library = _timed_process([sys.executable, __file__, "--child", "library", str(path)])
        library.seconds = json.loads(library.output.splitlines()[-1])["seconds"]
        _show_huge("library alone", library)
        env = {**os.environ, "IRIS_VAR_DIR": str(Path(folder) / "var")}
        for name in [n for n in env if n.startswith("IRIS_") and n != "IRIS_VAR_DIR"]:
            del env[name]  # the embedded default, whatever this shell has configured
        command = [sys.executable, "-m", "iris.cli", "translate", str(path), "--to", "de"]
        translate = _timed_process([*command, "--from", "en", "-q"], env)
        _show_huge("iris translate", translate)
    time_ratio = translate.seconds / library.seconds
    mem_ratio = translate.peak_kib / floor.peak_kib
    print("goals: time ≤ 1.33× the library's, peak RSS ≤ 3× the floor's")
    print(f"time_ratio={time_ratio:.2f} mem_ratio={mem_ratio:.2f}")


def _show_huge(name: str, result: Measured) -> None:
    print(f"{name:<16} {result.seconds:7.2f} s  peak RSS {result.peak_kib / 1024:6.0f} MiB")


def _spawn(args: list[str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{args}: {done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _show(name: str, result: dict[str, Any]) -> None:
    steps = ", ".join(f"{k} {v:.2f}s" for k, v in sorted(result["steps"].items()))
    line = f"{name:<16} total {result['total']:.2f}s  segments {result['segments']}  [{steps}]"
    if "overhead" in result:
        line += (
            f"  library {result['library']:.2f}s engine {result['engine']:.2f}s"
            f"  overhead {result['overhead']:.3f}"
        )
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--child", choices=["sqlite", "postgres", "async", "library"])
    parser.add_argument("--paragraphs", type=int, help="the huge-document case instead")
    parser.add_argument("input", nargs="?", type=Path, help="(library child) the document")
    parser.add_argument("--skip-services", action="store_true")
    parser.add_argument("--runs", type=int, default=3, help="eager runs (median)")
    args = parser.parse_args()
    if args.child == "library":
        library_child(args.input)
        return
    if args.paragraphs:
        huge(args.paragraphs)
        return
    if args.child == "async":
        async_child(args.pages)
        return
    if args.child:
        child(args.child, args.pages, args.runs)
        return
    common = ["--pages", str(args.pages), "--runs", str(args.runs)]
    results = {"eager sqlite": _spawn(["--child", "sqlite", *common])}
    _show("eager sqlite", results["eager sqlite"])
    if not args.skip_services:
        fresh_pg_database()
        for name, config in (("eager postgres", "postgres"), ("async 2 workers", "async")):
            results[name] = _spawn(["--child", config, *common])
            _show(name, results[name])
    overhead = max(r["overhead"] for r in results.values() if "overhead" in r)
    print(f"overhead={overhead:.3f}")


if __name__ == "__main__":
    main()
