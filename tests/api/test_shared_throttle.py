"""IRIS_CACHE_URL puts the API throttle's counts in Redis, shared by every web process
(two processes of one token share one limit)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support import ROOT

pytestmark = pytest.mark.services

SCRIPT = """
import django
django.setup()
from django.core.cache import cache, caches
print(type(caches["default"]).__name__, cache.incr("shared-throttle-probe"))
"""


def test_two_processes_count_in_one_redis_cache(tmp_path) -> None:

    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "IRIS_VAR_DIR": str(tmp_path),
        # the Redis of the services configuration, a database of its own
        "IRIS_CACHE_URL": "redis://127.0.0.1:6379/11",
    }
    seed = "from django.core.cache import cache; cache.set('shared-throttle-probe', 0)"
    run = [sys.executable, "-c", f"import django; django.setup(); {seed}"]
    subprocess.run(run, cwd=ROOT, env=env, check=True)
    outputs = [
        subprocess.run(
            [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, check=True, capture_output=True
        ).stdout.split()
        for _ in range(2)
    ]
    assert outputs == [[b"RedisCache", b"1"], [b"RedisCache", b"2"]]
