"""Which in-process runs are alive (the embedded default, tasks run eagerly).

With workers, a task that dies with its worker is taken over through the outbox's
leases (iris/jobs/outbox.py). In-process there is no worker: the process that runs a
job's tasks (``iris translate``, a control command) is the only one that can. It holds
an exclusive lock on a file of the job, ``<IRIS_VAR_DIR>/runs/job-<id>.lock``, for as
long as it runs them; the kernel frees the lock however the process ends (Ctrl-C, a
closed terminal, ``kill -9``, the OOM killer). A job whose state says it is working
while its lock is free was interrupted, and may be continued (`interrupted`).

Locks are ``flock`` locks on a local file system, which is where the embedded default
keeps its SQLite database anyway.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

_held: dict[int, int] = {}  # job id -> open file descriptor holding its lock
_lock = threading.Lock()


def _open(job_id: int) -> int:
    """A descriptor of the job's lock file (made if missing)."""
    folder = Path(settings.IRIS_VAR_DIR) / "runs"
    folder.mkdir(parents=True, exist_ok=True)
    return os.open(folder / f"job-{job_id}.lock", os.O_RDWR | os.O_CREAT, 0o600)


def hold(job_id: int) -> bool:
    """Hold the lock of ``job_id`` until `release` (or until this process ends); False
    if this process held it already. Another process holding it is running the job
    too: this one waits for it, so two processes never run a job's tasks side by side."""
    with _lock:
        if job_id in _held:
            return False
        descriptor = _open(job_id)
    fcntl.flock(descriptor, fcntl.LOCK_EX)  # outside _lock: a wait blocks no other job
    with _lock:
        _held[job_id] = descriptor
    return True


def release(job_ids: Iterable[int]) -> None:
    """Let go of the locks of ``job_ids`` (the in-process run that took them ended)."""
    with _lock:
        for job_id in job_ids:
            descriptor = _held.pop(job_id, None)
            if descriptor is not None:
                os.close(descriptor)  # closing the file releases its flock


def running_elsewhere(job_id: int) -> bool:
    """Whether another live process holds the lock of ``job_id`` now."""
    with _lock:
        if job_id in _held:
            return False
        descriptor = _open(job_id)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(descriptor)
        return False
