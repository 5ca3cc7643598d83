"""The files in deploy/ are what they claim: every queue is consumed by exactly one
worker family (in the Procfile and in the systemd queue files alike), the gunicorn
config loads with the application, and the systemd units pass systemd's own checks
with commands that exist."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

from django.conf import settings

from iris.celery import QUEUES
from tests.support import ROOT, iris_env

DEPLOY = ROOT / "deploy"
SYSTEMD = DEPLOY / "systemd"
FAMILIES = ("documents", "translation", "control")
#: where the unit templates expect the project (replaced by this checkout to verify them)
INSTALLED = "/opt/iris"


def procfile() -> dict[str, list[str]]:
    processes = {}
    for line in (DEPLOY / "Procfile").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, command = line.partition(":")
            processes[name.strip()] = shlex.split(command)
    return processes


def option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def env_file(path: Path) -> dict[str, str]:
    pairs = (line.partition("=") for line in path.read_text().splitlines())
    return {key: value for key, _, value in pairs if key and not key.startswith("#")}


def test_procfile_runs_web_three_worker_families_and_one_beat() -> None:
    processes = procfile()
    assert list(processes) == ["web", *FAMILIES, "beat"]
    assert processes["web"] == ["gunicorn", "-c", "deploy/gunicorn.conf.py", "iris.wsgi"]
    assert processes["beat"][:4] == ["celery", "-A", "iris", "beat"]
    for family in FAMILIES:
        assert processes[family][:4] == ["celery", "-A", "iris", "worker"]
        assert option(processes[family], "-n") == f"{family}@%h"
    assert not any("migrate" in " ".join(argv) for argv in processes.values())


def test_every_queue_is_consumed_by_exactly_one_family() -> None:
    processes = procfile()
    in_procfile = Counter(q for f in FAMILIES for q in option(processes[f], "-Q").split(","))
    in_systemd = Counter(
        q
        for f in FAMILIES
        for q in env_file(SYSTEMD / f"worker-{f}.env")["WORKER_QUEUES"].split(",")
    )
    assert in_procfile == Counter(QUEUES), "Procfile"
    assert in_systemd == Counter(QUEUES), "deploy/systemd/worker-*.env"
    for family in FAMILIES:  # the same split in both
        queues = env_file(SYSTEMD / f"worker-{family}.env")["WORKER_QUEUES"]
        assert queues == option(processes[family], "-Q"), family


def test_gunicorn_config_loads_with_the_application(tmp_path) -> None:
    command = [sys.executable, "-m", "gunicorn", "--check-config"]
    command += ["-c", "deploy/gunicorn.conf.py", "iris.wsgi"]
    env = iris_env({"GUNICORN_WORKERS": "3"}, tmp_path)
    checked = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    env["GUNICORN_WORKERS"] = "many"  # a bad value stops it, naming the variable
    refused = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert refused.returncode != 0
    assert "GUNICORN_WORKERS: 'many' is not a whole number" in refused.stdout + refused.stderr


def test_gunicorn_config_values(tmp_path) -> None:
    command = [sys.executable, "-m", "gunicorn", "--print-config"]
    command += ["-c", "deploy/gunicorn.conf.py", "iris.wsgi"]
    env = iris_env({"WEB_CONCURRENCY": "7", "PORT": "5123"}, tmp_path)
    printed = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert printed.returncode == 0, printed.stderr
    config = {
        key.strip(): value.strip()
        for key, _, value in (line.partition("=") for line in printed.stdout.splitlines())
    }
    assert config["workers"] == "7"
    assert config["bind"] == "['127.0.0.1:5123']"
    assert config["worker_class"] == "gthread"
    assert config["preload_app"] == "False"  # HUP must reload code (deploy/README.md)
    assert int(config["graceful_timeout"]) < int(config["timeout"])
    assert "%({x-request-id}o)s" in config["access_log_format"]


def units() -> list[Path]:
    found = sorted(SYSTEMD.glob("*.service"))
    assert {unit.name for unit in found} == {
        "iris-web.service",
        "iris-worker@.service",
        "iris-beat.service",
        "iris-migrate.service",
    }
    return found


def installed_here(folder: Path) -> list[Path]:
    """The units as installed in this checkout (paths pointing here), one worker
    instance per family; returns the paths to verify."""
    paths = []
    for unit in units():
        text = unit.read_text().replace(INSTALLED, str(ROOT))
        names = [unit.name.replace("@", f"@{f}") for f in FAMILIES] if "@." in unit.name else []
        (folder / unit.name).write_text(text)
        for name in names or [unit.name]:
            (folder / name).write_text(text)
            paths.append(folder / name)
    return paths


def test_systemd_units_pass_systemd_analyze_verify(tmp_path) -> None:
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is part of the test machine (scripts/system-deps.sh)"
    paths = installed_here(tmp_path)
    verified = subprocess.run(
        [analyze, "verify", *map(str, paths)],
        capture_output=True,
        text=True,
        env={**os.environ, "SYSTEMD_LOG_LEVEL": "warning"},
    )
    # systemd only warns about unknown keys and bad values: any output is a finding.
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout + verified.stderr == ""


class Unit(dict[str, dict[str, list[str]]]):
    """A unit file's sections, each key with every value it is given (systemd allows
    repeated keys, such as two EnvironmentFile= lines)."""

    def one(self, section: str, key: str) -> str:
        (value,) = self[section][key]
        return value

    def get_one(self, section: str, key: str) -> str:
        return " ".join(self.get(section, {}).get(key, []))


def parsed(path: Path) -> Unit:
    unit = Unit()
    section: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = unit.setdefault(line.strip("[]"), {})
        else:
            key, _, value = line.partition("=")
            section.setdefault(key.strip(), []).append(value.strip())
    return unit


def test_units_run_real_entry_points_with_warm_shutdown() -> None:
    names = ("web", "worker@", "beat", "migrate")
    web, worker, beat, migrate = (parsed(SYSTEMD / f"iris-{name}.service") for name in names)
    for unit in (web, worker, beat, migrate):
        assert unit["Service"]["EnvironmentFile"][0] == "/etc/iris/iris.env"
        argv = shlex.split(unit.one("Service", "ExecStart"))
        program = Path(argv[0].replace(INSTALLED, str(ROOT)))
        assert program.is_file(), program
        assert os.access(program, os.X_OK), program
    assert shlex.split(web.one("Service", "ExecStart"))[1:] == procfile()["web"][1:]
    assert web.one("Service", "ExecReload") == "/bin/kill -s HUP $MAINPID"
    assert worker["Service"]["EnvironmentFile"][1] == "/etc/iris/worker-%i.env"
    assert "-Q ${WORKER_QUEUES}" in worker.one("Service", "ExecStart")
    assert (worker.one("Service", "KillSignal"), worker.one("Service", "KillMode")) == (
        "SIGTERM",
        "mixed",
    )
    assert int(worker.one("Service", "TimeoutStopSec")) > settings.IRIS_TASK_TIME_LIMIT
    assert migrate.one("Service", "Type") == "oneshot"
    assert "manage.py migrate" in migrate.one("Service", "ExecStart")
    assert "Install" not in migrate  # started by hand, never implied
    for unit in (web, worker, beat):
        assert "iris-migrate.service" in unit.get_one("Unit", "After")
        assert "iris-migrate" not in unit.get_one("Unit", "Requires")
        assert "iris-migrate" not in unit.get_one("Unit", "Wants")
        assert unit.one("Service", "Restart") == "always"


#: a migrate run: Django's command called from Python, or manage.py's in a shell line
MIGRATE_CALL = {
    ".py": re.compile(r"""call_command\(\s*["']migrate["']|\[[^]]*["']migrate["']"""),
    "": re.compile(r"manage\.py\s+migrate"),
}


def migrate_callers() -> set[Path]:
    files = [*(ROOT / "iris").rglob("*.py"), *(ROOT / "scripts").rglob("*"), ROOT / "Makefile"]
    callers = set()
    for path in files:
        if not path.is_file() or "migrations" in path.parts:
            continue
        pattern = MIGRATE_CALL[".py" if path.suffix == ".py" else ""]
        if pattern.search(path.read_text(errors="replace")):
            callers.add(path.relative_to(ROOT))
    return callers


def test_nothing_migrates_on_web_or_worker_start() -> None:
    """No start-up path of web, workers or the scripts calls ``migrate``; only the
    embedded default's commands set their own SQLite database up."""
    allowed = {
        # ensure_schema: `iris` and Iris's manage.py commands on the embedded SQLite only
        # (tests/ops/test_migrations_gate.py: on PostgreSQL they ask for the release
        # step); and the schema snapshot, written in a child process
        Path("iris/ops/schema.py"),
    }
    callers = migrate_callers()
    assert Path("iris/ops/schema.py") in callers  # the pattern finds a real call
    assert callers <= allowed, callers - allowed
