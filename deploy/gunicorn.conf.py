"""gunicorn settings of Iris's web process: ``gunicorn -c deploy/gunicorn.conf.py iris.wsgi``.

Each value may be overridden by an environment variable (named below) or on the
command line. Iris's own settings stay in ``IRIS_*`` variables (iris/settings.py).

Reload: ``kill -HUP <arbiter pid>`` (``systemctl reload iris-web``) starts new workers
with the code and configuration on disk, then stops the old ones gracefully (each
finishes its requests within ``graceful_timeout``): no request is refused meanwhile.
That is why ``preload_app`` is off: a preloaded application lives in the arbiter,
and HUP would fork new workers from the old code.
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise SystemExit(f"{name}: {value!r} is not a whole number") from None
    if number < 1:
        raise SystemExit(f"{name}: {number} must be 1 or more")
    return number


# --- where it listens ---------------------------------------------------------------
# Behind a reverse proxy on the same machine; GUNICORN_BIND=0.0.0.0:8000 for a proxy
# elsewhere. PORT is what honcho gives each process of the Procfile.
bind = [os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{_int('PORT', 8000)}"]

# --- processes and threads ----------------------------------------------------------
# The usual 2 x CPU + 1: while one worker waits on the database another computes.
# Each worker holds its own database pool (IRIS_DB_POOL_SIZE connections at most), so
# workers x pool size counts against PostgreSQL's max_connections (deploy/pgbouncer.md).
workers = _int("GUNICORN_WORKERS", _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
# One thread per worker by default. A request is Python work under one interpreter
# lock, so more threads in a worker only make its requests take turns: with 5 workers
# on 2 CPUs, bench/api_load.py measured 64 requests/s and a p95 of 2.1 s with 4
# threads, 100 requests/s and 0.79 s with 1. Slow clients are the reverse proxy's to
# absorb (nginx buffers request and response bodies by default). More threads suit
# only a web process that mostly waits (uploads or downloads without a buffering
# proxy); keep them at or below IRIS_DB_POOL_SIZE.
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread"
# A worker is replaced after this many requests (with jitter, so not all at once):
# whatever a long-lived process accumulates is given back.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# Off: see the module docstring (HUP reloads code only without it).
preload_app = False

# --- timeouts -----------------------------------------------------------------------
# A worker silent this long is killed and replaced. gthread workers answer their
# heartbeat from the main thread, so a long upload does not count as silence; a hung
# worker does.
timeout = _int("GUNICORN_TIMEOUT", 60)
# On SIGTERM or HUP, workers get this long to finish the requests they hold.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Idle keep-alive connections from the reverse proxy are kept this long.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Heartbeat files in memory, not on a disk that may stall (containers mount /tmp on it).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# --- logs ---------------------------------------------------------------------------
# gunicorn's own messages (start, worker boot and timeout) to stderr, the journal.
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# No access log of gunicorn's by default: Iris's RequestIdMiddleware writes one line
# per request through Django's logging (method, path, status, duration, req=<id>), to
# the console and the log file, in IRIS_LOG_FORMAT. Set GUNICORN_ACCESS_LOG=- (or a
# file) for gunicorn's too, which adds the client address, size and user agent; its
# lines carry the same request id, so the two can be joined.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms req=%({x-request-id}o)s "%(a)s"'
# The arbiter's name in ps and top: which process is Iris's web.
proc_name = "iris-web"
