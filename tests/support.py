"""Helpers shared by tests: free ports, real web and worker processes."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def closed_port() -> int:
    """A local port nothing listens on (bound and released, so refused at once)."""
    return free_port()


def iris_env(overrides: Mapping[str, str], var_dir: Path) -> dict[str, str]:
    """A process environment for Iris with its own var folder and the given overrides."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("IRIS_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "iris.settings",
            "IRIS_SECRET_KEY": "tests-only-secret-key-never-used-in-production",
            "IRIS_VAR_DIR": str(var_dir),
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(overrides)
    return env


def manage(
    *args: str, env: Mapping[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """``python manage.py ARGS`` in a process of its own with exactly ``env``; its exit
    code and output (text), whatever they are."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def migrated_env(overrides: Mapping[str, str], var_dir: Path) -> dict[str, str]:
    """:func:`iris_env` with its embedded database migrated (the release step: neither
    web nor a command creates the schema)."""
    env = iris_env(overrides, var_dir)
    done = manage("migrate", "--noinput", env=env, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return env


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: dict[str, Any]


def get_json(url: str, headers: Mapping[str, str] | None = None, timeout: float = 30) -> Response:
    request = urllib.request.Request(url, headers=dict(headers or {}))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return Response(reply.status, dict(reply.headers), json.load(reply))
    except urllib.error.HTTPError as error:
        return Response(error.code, dict(error.headers), json.load(error))


def wait_for(predicate, timeout: float, what: str, interval: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise TimeoutError(f"{what} did not happen within {timeout}s")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def _read_only(command: list[str], folder: Path) -> list[str]:
    """``command`` run so that ``folder`` cannot be written to, even by root.

    Root ignores file modes, so as root the folder is covered by a read-only tmpfs in
    a private mount namespace that dies with the process; otherwise a mode is enough.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return command
    script = 'mount -t tmpfs -o ro tmpfs "$1" && shift && exec "$@"'
    return ["unshare", "--mount", "sh", "-c", script, "sh", str(folder), *command]


@contextlib.contextmanager
def web_server(env: Mapping[str, str], *, read_only: Path | None = None) -> Iterator[str]:
    """Run the production web server (gunicorn) with ``env``; yields its base URL.

    ``read_only`` names a folder the server must find unwritable.
    """
    port = free_port()
    log = Path(env["IRIS_VAR_DIR"]) / "gunicorn.out"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        command = [sys.executable, "-m", "gunicorn", "iris.wsgi"]
        command += ["-b", f"127.0.0.1:{port}", "-w", "1", "--timeout", "60"]
        if read_only is not None:
            command = _read_only(command, read_only)
        process = subprocess.Popen(
            command, cwd=ROOT, env=dict(env), stdout=out, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(
            lambda: process.poll() is not None or _answers(base + "/health/live"),
            30,
            "web server start",
        )
        if process.poll() is not None:
            raise RuntimeError(f"web server exited: {log.read_text(errors='replace')[-2000:]}")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)


def require_chromium() -> str:
    """The path of Debian's ``chromium``, or fail the test saying how to install it (a
    skipped browser test would be a feature nobody checked)."""
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail(
            "Chromium is not installed and this test needs it: "
            "apt-get install -y --no-install-recommends chromium (scripts/system-deps.sh)"
        )
    return chromium
