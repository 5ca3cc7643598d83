"""Review editor benchmark: the console's segment editor on a 10,000-segment job.

    .venv/bin/python bench/review_editor.py [--segments 10000] [--requests 200]

Sets everything up itself, as bench/api_load.py does: a fresh PostgreSQL database
(``iris_bench_review``, dropped at the end unless ``--keep-db``), migrated; one job in
review with ``--segments`` segments inserted in bulk (tagged sources and targets, QA
findings on some, memory matches and glossary terms on others); a reviewer who signs in
through the console's login form; ``gunicorn iris.wsgi`` with
``deploy/gunicorn.conf.py``.

Then, one client on one kept-alive connection, one request after another: ``--requests``
loads of the editor page (its first page of segments) and ``--requests`` saves, each of
a different segment, posted as the page's form does (CSRF token, htmx header), each
confirming an edited target. Then `edit_segment` alone, in process, on 50 other
segments: the action's share of a save. Prints p50/p95/p99 of each; last line
``page_p95_ms=<x> save_p95_ms=<y>``. Goals: page ≤ 300 ms, save ≤ 100 ms.
Database: ``IRIS_BENCH_REVIEW_DATABASE_URL`` (default below).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from http.cookies import SimpleCookie
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

if TYPE_CHECKING:  # Django is set up at run time, after the database exists
    from iris.jobs.models import Segment

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api_load import iris_env, percentiles, setup_django, web_server  # noqa: E402
from bench.main_job import drop_database, fresh_database  # noqa: E402

PG_URL = os.environ.get(
    "IRIS_BENCH_REVIEW_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/iris_bench_review"
)
TEAM = "bench"
REVIEWER = "bench-reviewer"
PASSWORD = "bench only, never elsewhere"
PAGE_ROWS = re.compile(rb'<article class="seg[^"]*" id="seg-\d+"')
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')

#: sentence shapes of a report: the source, its (French-ish) target
SHAPES = (
    (
        "Revenue in region {n} rose by <g1>{p}%</g1> compared with last year.",
        "Le chiffre d'affaires de la région {n} a augmenté de <g1>{p} %</g1> sur un an.",
    ),
    (
        "See <g1>section {n}</g1> for the terms &amp; conditions<x2/>.",
        "Voir la <g1>section {n}</g1> pour les conditions générales<x2/>.",
    ),
    (
        "The <g1>support team</g1> answered {p} requests within <g2>four hours</g2>.",
        "L'<g1>équipe d'assistance</g1> a traité {p} demandes en moins de <g2>quatre heures</g2>.",
    ),
    (
        "Customers rated the new portal {p} out of 100 in survey {n}.",
        "Les clients ont noté le nouveau portail {p} sur 100 dans l'enquête {n}.",
    ),
    (
        "Click <x1/> to open the dashboard &lt;beta&gt; for team {n}.",
        "Cliquez sur <x1/> pour ouvrir le tableau de bord &lt;bêta&gt; de l'équipe {n}.",
    ),
)


# --- set-up ------------------------------------------------------------------------


def _segment(job_id: int, order: int) -> Segment:
    from iris.jobs.models import Origin, QaStatus, Segment

    source, target = SHAPES[order % len(SHAPES)]
    source = source.format(n=order, p=order % 97 + 3)
    target = target.format(n=order, p=order % 97 + 3)
    plain = re.sub(r"<[^>]+>", "", source).replace("&lt;", "<").replace("&gt;", ">")
    score = (None, None, 101, 97, 88, 76, 62)[order % 7]
    matches = []
    if score is not None:
        matches = [
            {"score": score, "source": source, "target": target, "kind": "fuzzy"},
            {"score": max(50, score - 9), "source": source, "target": target, "kind": "fuzzy"},
        ]
    issues: list[dict[str, object]] = []
    status = QaStatus.PASSED
    if order % 20 == 7:
        status = QaStatus.ERROR
        issues = [{"check": "numbers", "severity": "error", "message": "97 is missing"}]
    elif order % 10 == 3:
        status = QaStatus.WARNING
        issues = [
            {"check": "spacing", "severity": "warning", "message": "double space", "span": [3, 5]}
        ]
    terms = (
        [{"source": "portal", "target": "portail", "forbidden": False}] if order % 5 == 3 else []
    )
    return Segment(
        job_id=job_id,
        order=order,
        unit_id=f"p{order}",
        part="word/document.xml",
        kind="paragraph",
        source=source,
        source_hash=f"{order:064x}",
        plain=plain,
        target=target,
        origin=Origin.ENGINE,
        words=len(plain.split()),
        qa_status=status,
        qa_issues=issues,
        tm_matches=matches,
        tm_score=score,
        terms=terms,
    )


def seed(segments: int) -> int:
    """The team, its reviewer (with a password) and one job in review; the job's id."""
    from django.db import connection

    from iris.governance.actions import SYSTEM_ACTOR
    from iris.governance.models import Role, Team
    from iris.governance.users import create_user
    from iris.jobs.models import Job, JobState, Segment

    reviewer = create_user(REVIEWER, Role.REVIEWER, [TEAM], SYSTEM_ACTOR)
    reviewer.set_password(PASSWORD)
    reviewer.save()
    job = Job.objects.create(
        team=Team.objects.get(name=TEAM),
        creator=reviewer,
        source_name="annual-report.docx",
        source_lang="en",
        target_lang="fr",
        engine="pseudo",
        state=JobState.IN_REVIEW,
        review_required=True,
        review_policy={"segments": 100, "words": 100, "auto_deliver": True},
        segments_total=segments,
        segments_done=segments,
    )
    Segment.objects.bulk_create(
        (_segment(job.pk, order) for order in range(segments)), batch_size=2000
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would soon after a bulk load
    return job.pk


# --- the client ----------------------------------------------------------------------


@dataclass
class Browser:
    """One kept-alive connection with the cookies a browser would keep."""

    port: int
    cookies: dict[str, str]

    def __post_init__(self) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def send(
        self, method: str, path: str, body: dict[str, str] | None = None, **head: str
    ) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **head}
        data = urlencode(body).encode() if body is not None else None
        if data is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, data, headers)
        reply = self.conn.getresponse()
        content = reply.read()
        for header in reply.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return reply.status, content


def sign_in(browser: Browser) -> str:
    """Sign in through the login form; the CSRF token pages carry."""
    status, page = browser.send("GET", "/console/login/")
    token = TOKEN.search(page)
    if status != 200 or token is None:
        raise RuntimeError(f"login page: HTTP {status}")
    form = {"username": REVIEWER, "password": PASSWORD, "csrfmiddlewaretoken": token[1].decode()}
    status, _ = browser.send("POST", "/console/login/", form, Referer="http://127.0.0.1/")
    if status != 302 or "sessionid" not in browser.cookies:
        raise RuntimeError(f"sign-in: HTTP {status}")
    return browser.cookies["csrftoken"]


def timed(call: Callable[[], tuple[int, bytes]]) -> tuple[float, int, bytes]:
    started = time.perf_counter()
    status, content = call()
    return time.perf_counter() - started, status, content


def load_pages(browser: Browser, job_id: int, count: int) -> list[float]:
    latencies = []
    for _ in range(count):
        took, status, content = timed(
            lambda: browser.send("GET", f"/console/jobs/{job_id}/review/")
        )
        if status != 200 or len(PAGE_ROWS.findall(content)) != 50:
            raise RuntimeError(f"editor page: HTTP {status} without its fifty segments")
        latencies.append(took)
    return latencies


def save_segments(browser: Browser, job_id: int, orders: list[int], token: str) -> list[float]:
    from iris.jobs.models import Segment

    targets = dict(Segment.objects.filter(job_id=job_id).values_list("order", "target"))
    latencies = []
    for order in orders:
        form = {
            "csrfmiddlewaretoken": token,
            "target": targets[order].replace("la ", "cette ", 1) + " ",
            "state": "translated",
            "comment": "checked",
            "confirm": "1",
        }
        path = f"/console/jobs/{job_id}/review/segments/{order}/save"
        head = {"HX-Request": "true", "X-CSRFToken": token}
        took, status, content = timed(partial(browser.send, "POST", path, form, **head))
        if status != 200:
            raise RuntimeError(f"save of {order}: HTTP {status} {content[:300]!r}")
        latencies.append(took)
    return latencies


def show(name: str, values: list[float]) -> float:
    p50, p95, p99 = percentiles(values)
    print(f"{name:<14}{len(values):>9}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}")
    return p95


def check_saves(job_id: int, orders: list[int]) -> None:
    from iris.jobs.models import Segment

    saved = Segment.objects.filter(job_id=job_id, order__in=orders, review_state="reviewed")
    print(f"segments saved as reviewed: {saved.count()} of {len(orders)}")


def time_the_action(job_id: int, orders: list[int]) -> list[float]:
    """`edit_segment` alone, in this process, on segments the HTTP saves left alone:
    how much of a save is the action's (what the console view cannot change)."""
    from django.contrib.auth.models import User

    from iris.governance.actions import Actor
    from iris.governance.models import Role
    from iris.jobs.models import Segment
    from iris.review.actions import SegmentEdit, edit_segment
    from iris.review.package import ReviewState

    actor = Actor(user=User.objects.get(username=REVIEWER), role=Role.REVIEWER)
    targets = dict(Segment.objects.filter(job_id=job_id).values_list("order", "target"))
    latencies = []
    for order in orders:
        edit = SegmentEdit(targets[order] + " ", ReviewState.REVIEWED, "checked")
        started = time.perf_counter()
        edit_segment(job_id, order, edit, actor)
        latencies.append(time.perf_counter() - started)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--segments", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--keep-db", action="store_true", help="leave the database behind")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="iris-review-bench-") as folder:
        env = {**iris_env(Path(folder)), "IRIS_DATABASE_URL": PG_URL}
        fresh_database(PG_URL)
        started = time.perf_counter()
        setup_django(env)
        job_id = seed(args.segments)
        print(f"seeded a job of {args.segments} segments in {time.perf_counter() - started:.1f} s")
        from django.db import connections

        connections.close_all()
        # every save a different segment, spread over the document
        stride = max(1, args.segments // (args.requests + 10))
        orders = [i * stride for i in range(args.requests + 10)]
        try:
            with web_server(env, Path(folder) / "gunicorn.log") as url:
                browser = Browser(int(url.rsplit(":", 1)[1]), {})
                token = sign_in(browser)
                load_pages(browser, job_id, 10)  # warm-up: workers import and connect
                save_segments(browser, job_id, orders[-10:], token)
                pages = load_pages(browser, job_id, args.requests)
                saves = save_segments(browser, job_id, orders[: args.requests], token)
            check_saves(job_id, orders)
            action = time_the_action(job_id, [order + 1 for order in orders[:50]])
            print(f"{'request':<14}{'count':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
            page_p95 = show("editor page", pages)
            save_p95 = show("segment save", saves)
            show("edit_segment", action)
            print("(edit_segment: the action alone, in process, no HTTP: its share of a save)")
        finally:
            connections.close_all()
            if not args.keep_db:
                drop_database(PG_URL)
        print(f"page_p95_ms={page_p95:.1f} save_p95_ms={save_p95:.1f}")


if __name__ == "__main__":
    main()
