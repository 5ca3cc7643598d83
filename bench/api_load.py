"""API load benchmark: the production web process under 50 concurrent clients.

    .venv/bin/python bench/api_load.py [--clients 50] [--seconds 60] [--jobs 10000]

Sets everything up itself: a fresh PostgreSQL database (``iris_bench_api``, dropped
at the end unless ``--keep-db``), migrated; ``--jobs`` jobs of one team inserted in
bulk (with ``--segments`` segments each, in every state a job can be in) plus a few
real uploads; a manager with a token; ``gunicorn iris.wsgi`` with
``deploy/gunicorn.conf.py`` when it exists (else ``-w 2×CPU+1``), ``IRIS_ASYNC=true``
with a Redis broker and no worker, so a job create stores the upload and queues the
job (and nothing runs it), and the API throttle raised out of the way.

Then ``--clients`` clients, each one connection on loopback sending its next request
as soon as the last one is answered (no think time), for ``--seconds`` after a short
warm-up: job list (a page of 50), job detail (a random job), job create (a small
document) and ``/health/ready``, in the proportions of MIX. Prints requests per second
and p50/p95/p99 latency per endpoint and the errors (a status other than expected, or
a failed exchange). Last line: ``read_p95_ms=<x> create_p95_ms=<y> errors=<n>``, where
``read_p95_ms`` is the worst p95 of the three read endpoints. Goals: no errors, reads
≤ 100 ms, create ≤ 300 ms.

Closed loop: by Little's law the mean latency is clients / throughput, so at 50
clients the reads' goal asks for some 500 requests a second from the machine (the
load generator runs on it too). Two phases before the measured one put the figure in
context: the service time (one client, the same mix: latency with no queue), and the
floor (the same clients on ``/health/live``, which touches no database: what
gunicorn, Django's middleware and this client cost on this machine); the last line
ends with ``floor_p95_ms``. Database and broker: ``IRIS_BENCH_API_DATABASE_URL``
and ``IRIS_BENCH_API_BROKER_URL`` (defaults below).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Django is set up at run time, after the database exists
    from iris.jobs.models import Job

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.main_job import drop_database, fresh_database  # noqa: E402

PG_URL = os.environ.get(
    "IRIS_BENCH_API_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/iris_bench_api"
)
BROKER_URL = os.environ.get("IRIS_BENCH_API_BROKER_URL", "redis://127.0.0.1:6379/14")
DOCUMENT = ROOT / "samples" / "report.docx"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
TEAM = "bench"
#: endpoint and weight: of every nine requests, three list, three detail, two ready, one create
MIX = (("job list", 3), ("job detail", 3), ("health ready", 2), ("job create", 1))
#: the floor of the stack: gunicorn, Django's middleware and the client, no database
FLOOR = (("health live", 1),)
READS = ("job list", "job detail", "health ready")
EXPECTED = {
    "job list": 200,
    "job detail": 200,
    "health ready": 200,
    "job create": 201,
    "health live": 200,
}
#: one request taking longer than this is an error
REQUEST_TIMEOUT = 30.0


# --- set-up ------------------------------------------------------------------------


def iris_env(var_dir: Path) -> dict[str, str]:
    """The web process's settings (and this process's, which seeds the database)."""
    return {
        "DJANGO_SETTINGS_MODULE": "iris.settings",
        "PYTHONPATH": str(ROOT),
        "IRIS_SECRET_KEY": "bench-only-secret",
        "IRIS_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "IRIS_VAR_DIR": str(var_dir),
        "IRIS_DATABASE_URL": PG_URL,
        "IRIS_ASYNC": "true",
        "IRIS_BROKER_URL": BROKER_URL,
        "IRIS_API_THROTTLE": "1000000/minute",
    }


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


@dataclass(frozen=True)
class Seeded:
    token: str
    job_ids: list[int]


def _bulk_job(index: int, team_id: int, creator_id: int) -> Job:
    """A job in one of the states jobs are in, with plausible progress."""
    from django.utils import timezone

    from iris.jobs.models import Job, JobState, Step

    states = [JobState.COMPLETED] * 6 + [
        JobState.TRANSLATING,
        JobState.QUEUED,
        JobState.FAILED,
        JobState.CANCELLED,
    ]
    state = states[index % len(states)]
    started = timezone.now() - timedelta(minutes=index % 600 + 5)
    done = {JobState.COMPLETED: 40, JobState.TRANSLATING: 15}.get(state, 0)
    return Job(
        team_id=team_id,
        creator_id=creator_id,
        source_name=f"document-{index}.docx",
        source_lang="en",
        target_lang=("fr", "de", "es", "it")[index % 4],
        engine="pseudo",
        state=state,
        step=Step.TRANSLATE if state == JobState.TRANSLATING else "",
        error="engine refused the batch" if state == JobState.FAILED else "",
        failed_step=Step.TRANSLATE if state == JobState.FAILED else "",
        segments_total=40 if state != JobState.QUEUED else 0,
        segments_done=done,
        words_total=400 if state != JobState.QUEUED else 0,
        words_done=done * 10,
        started_at=None if state == JobState.QUEUED else started,
        finished_at=started + timedelta(minutes=2) if state == JobState.COMPLETED else None,
        step_seconds={"docx_extract": 0.4, "translate_batch": 3.2},
    )


def _bulk_segments(job_ids: list[int], per_job: int) -> None:
    from iris.jobs.models import Origin, QaStatus, Segment

    rows = []
    for job_id in job_ids:
        for order in range(per_job):
            flagged = order % 10 == 9
            rows.append(
                Segment(
                    job_id=job_id,
                    order=order,
                    unit_id=f"u{order}",
                    part="word/document.xml",
                    kind="paragraph",
                    source=f"Sentence {order} of the <g1>report</g1>.",
                    source_hash=f"{order:064x}",
                    plain=f"Sentence {order} of the report.",
                    target=f"Phrase {order} du <g1>rapport</g1>.",
                    origin=Origin.ENGINE,
                    words=6,
                    tm_score=(None, 80, 100)[order % 3],
                    qa_status=QaStatus.WARNING if flagged else QaStatus.PASSED,
                    qa_issues=[{"check": "numbers", "severity": "warning"}] if flagged else [],
                )
            )
        if len(rows) >= 20000:
            Segment.objects.bulk_create(rows, batch_size=5000)
            rows = []
    Segment.objects.bulk_create(rows, batch_size=5000)


def seed(jobs: int, segments: int) -> Seeded:
    """The team, its manager and token, ``jobs`` jobs in bulk and three real uploads."""
    from django.db import connection

    from iris.governance.actions import SYSTEM_ACTOR, Actor
    from iris.governance.models import Role, Team
    from iris.governance.tokens import create_token
    from iris.governance.users import create_user
    from iris.jobs.actions import TranslationRequest, create_jobs
    from iris.jobs.models import Job

    manager = create_user("bench-manager", Role.MANAGER, [TEAM], SYSTEM_ACTOR)
    team = Team.objects.get(name=TEAM)
    Job.objects.bulk_create(
        (_bulk_job(index, team.pk, manager.pk) for index in range(jobs)), batch_size=2000
    )
    ids = list(Job.objects.values_list("pk", flat=True))
    with_segments = list(Job.objects.exclude(segments_total=0).values_list("pk", flat=True))
    _bulk_segments(with_segments, segments)
    upload = TranslationRequest(
        DOCUMENT.name, DOCUMENT.read_bytes(), ["fr", "de", "es"], "en", team_id=team.pk
    )
    ids += [job.pk for job in create_jobs(upload, Actor(user=manager, role=Role.MANAGER))]
    secret = create_token(manager, "bench", SYSTEM_ACTOR).secret
    # Fresh planner statistics, as autovacuum would gather them soon after such a bulk
    # load: without them PostgreSQL guesses a handful of rows per team and sorts every
    # job of the team for each page of the list.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Seeded(secret, ids)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def gunicorn_command(port: int) -> list[str]:
    command = [sys.executable, "-m", "gunicorn", "iris.wsgi"]
    if GUNICORN_CONF.exists():
        command += ["-c", str(GUNICORN_CONF)]
    else:
        command += ["-w", str(2 * (os.cpu_count() or 1) + 1)]
    return [*command, "-b", f"127.0.0.1:{port}"]  # the command line wins over the file


def _live(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/health/live", timeout=1) as reply:
            return bool(reply.status == 200)
    except OSError:
        return False


@contextmanager
def web_server(env: dict[str, str], log: Path) -> Iterator[str]:
    """gunicorn on a free loopback port until the block ends (SIGTERM, then SIGKILL)."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            gunicorn_command(port),
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not _live(url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{log.read_text()[-4000:]}")
            time.sleep(0.2)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- the client ----------------------------------------------------------------------


class Connection:
    """One HTTP/1.1 connection to the server, kept alive when the server allows."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        #: reused connections the server had closed before a GET (sent again, fresh)
        self.reopened = 0

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, head: str, body: bytes = b"") -> int:
        """The status of one exchange (the body is read and dropped)."""
        reused = self.writer is not None
        try:
            return await self._exchange(method, path, head, body)
        except (ConnectionError, asyncio.IncompleteReadError):
            self.close()
            # A kept-alive connection the server closed between two requests: a GET
            # is sent again on a new one; anything else is the server's failure.
            if not reused or method != "GET":
                raise
            self.reopened += 1
            return await self._exchange(method, path, head, body)

    async def _exchange(self, method: str, path: str, head: str, body: bytes) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        request = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n{head}"
        self.writer.write(f"{request}Content-Length: {len(body)}\r\n\r\n".encode() + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionResetError("closed before answering")
        version, status = status_line.decode("latin-1").split()[:2]
        headers = await _headers(self.reader)
        await _body(self.reader, headers)
        if headers.get("connection", "").lower() == "close" or version == "HTTP/1.0":
            self.close()
        return int(status)


async def _headers(reader: asyncio.StreamReader) -> dict[str, str]:
    headers = {}
    while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return headers


async def _body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    if "content-length" in headers:
        return await reader.readexactly(int(headers["content-length"]))
    if headers.get("transfer-encoding", "").lower() == "chunked":
        chunks = []
        while size := int((await reader.readline()).split(b";")[0], 16):
            chunks.append(await reader.readexactly(size))
            await reader.readline()
        await reader.readline()
        return b"".join(chunks)
    return await reader.read()


def multipart(fields: dict[str, str], name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)

    def failed(self, endpoint: str, why: str) -> None:
        self.errors[endpoint] += 1
        if len(self.examples) < 5:
            self.examples.append(f"{endpoint}: {why}")


@dataclass(frozen=True)
class Load:
    port: int
    token: str
    job_ids: list[int]
    document: bytes

    def requests(self) -> dict[str, tuple[str, str, str, bytes]]:
        """Endpoint -> method, path, headers and body (detail's path has ``{id}``)."""
        auth = f"Authorization: Bearer {self.token}\r\n"
        body, content_type = multipart(
            {"source_lang": "en", "target_langs": "fr"}, DOCUMENT.name, self.document
        )
        return {
            "job list": ("GET", "/api/v1/jobs/", auth, b""),
            "job detail": ("GET", "/api/v1/jobs/{id}/", auth, b""),
            "health ready": ("GET", "/health/ready", "", b""),
            "health live": ("GET", "/health/live", "", b""),
            "job create": (
                "POST",
                "/api/v1/jobs/",
                f"{auth}Content-Type: {content_type}\r\n",
                body,
            ),
        }


Mix = tuple[tuple[str, int], ...]


async def client(load: Load, until: float, results: Results, seed: int, mix: Mix) -> int:
    """Send requests back to back until ``until``; the reconnections it needed."""
    chooser = random.Random(seed)
    requests = load.requests()
    names = [name for name, _ in mix]
    weights = [weight for _, weight in mix]
    connection = Connection(load.port)
    while time.perf_counter() < until:
        endpoint = chooser.choices(names, weights)[0]
        method, path, head, body = requests[endpoint]
        path = path.replace("{id}", str(chooser.choice(load.job_ids)))
        started = time.perf_counter()
        try:
            status = await asyncio.wait_for(
                connection.request(method, path, head, body), REQUEST_TIMEOUT
            )
        except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
            connection.close()
            results.failed(endpoint, f"{type(exc).__name__}: {exc}")
            continue
        results.latencies[endpoint].append(time.perf_counter() - started)
        if status != EXPECTED[endpoint]:
            results.failed(endpoint, f"HTTP {status} for {method} {path}")
    connection.close()
    return connection.reopened


async def run_load(
    load: Load, clients: int, seconds: float, mix: Mix = MIX
) -> tuple[Results, float, int]:
    results = Results()
    started = time.perf_counter()
    reopened = await asyncio.gather(
        *(client(load, started + seconds, results, seed, mix) for seed in range(clients))
    )
    return results, time.perf_counter() - started, sum(reopened)


# --- report --------------------------------------------------------------------------


def percentiles(values: list[float]) -> tuple[float, float, float]:
    """p50, p95 and p99 in milliseconds."""
    if len(values) < 2:
        only = values[0] * 1000 if values else 0.0
        return only, only, only
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000


def report(results: Results, elapsed: float, reopened: int, mix: Mix = MIX) -> dict[str, float]:
    """Print one row per endpoint; the p95 of each, in milliseconds."""
    print(
        f"{'endpoint':<14}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p99 ms':>9}{'errors':>8}"
    )
    p95 = {}
    for name, _ in mix:
        values = results.latencies[name]
        p50, p95[name], p99 = percentiles(values)
        print(
            f"{name:<14}{len(values):>9}{len(values) / elapsed:>9.1f}{p50:>9.1f}"
            f"{p95[name]:>9.1f}{p99:>9.1f}{results.errors[name]:>8}"
        )
    total = sum(len(values) for values in results.latencies.values())
    errors = sum(results.errors.values())
    print(f"{'all':<14}{total:>9}{total / elapsed:>9.1f}{'':>27}{errors:>8}")
    print(f"reconnections after a kept-alive connection closed: {reopened}")
    for example in results.examples:
        print(f"error: {example}")
    return p95


def check_creates(results: Results, last_id: int) -> None:
    """Every create answered 201 stored a job that is still queued (no worker runs)."""
    from iris.jobs.models import Job, JobState

    created = Job.objects.filter(pk__gt=last_id)
    answered = len(results.latencies["job create"]) - results.errors["job create"]
    queued = created.filter(state=JobState.QUEUED).count()
    print(f"jobs the load created: {created.count()}, answered 201: {answered}, queued: {queued}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--jobs", type=int, default=10000)
    parser.add_argument("--segments", type=int, default=20, help="per bulk job that has any")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds not measured")
    parser.add_argument("--keep-db", action="store_true", help="leave the database behind")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="iris-api-load-") as folder:
        env = iris_env(Path(folder))
        fresh_database(PG_URL)
        started = time.perf_counter()
        setup_django(env)
        seeded = seed(args.jobs, args.segments)
        print(f"seeded {len(seeded.job_ids)} jobs in {time.perf_counter() - started:.1f} s")
        from django.db import connections

        from iris.celery import app
        from iris.jobs.models import Job

        connections.close_all()
        try:
            with web_server(env, Path(folder) / "gunicorn.log") as url:
                port = int(url.rsplit(":", 1)[1])
                load = Load(port, seeded.token, seeded.job_ids, DOCUMENT.read_bytes())
                print(f"gunicorn: {' '.join(gunicorn_command(port)[2:])}")
                asyncio.run(run_load(load, args.clients, args.warmup))
                phase = min(args.seconds, 15.0)
                print(f"\n1. service time: one client, the same mix, {phase:.0f} s")
                report(*asyncio.run(run_load(load, 1, phase)))
                print(f"\n2. floor: {args.clients} clients on /health/live, {phase:.0f} s")
                floor = report(*asyncio.run(run_load(load, args.clients, phase, FLOOR)), FLOOR)
                print(f"\n3. the goal: {args.clients} clients, the mix, {args.seconds:.0f} s")
                last_id = Job.objects.order_by("-pk").values_list("pk", flat=True)[0]
                results, elapsed, reopened = asyncio.run(run_load(load, args.clients, args.seconds))
            check_creates(results, last_id)
            p95 = report(results, elapsed, reopened)
            errors = sum(results.errors.values())
            last = (
                f"read_p95_ms={max(p95[name] for name in READS):.1f} "
                f"create_p95_ms={p95['job create']:.1f} errors={errors} "
                f"floor_p95_ms={floor['health live']:.1f}"
            )
        finally:
            app.control.purge()  # the queued jobs' messages: no worker will take them
            connections.close_all()
            if not args.keep_db:
                drop_database(PG_URL)
        print(last)


if __name__ == "__main__":
    main()
