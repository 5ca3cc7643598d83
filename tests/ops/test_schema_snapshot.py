"""The schema snapshot a new SQLite database is created from equals the migrations."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from iris.ops.schema import APPLIED, SNAPSHOT, dump_migrated_schema
from tests.documents import build_document

ROOT = Path(__file__).resolve().parents[2]


def test_snapshot_matches_the_migrations() -> None:
    # Fails after a migration is added or changed: run `python manage.py schema_snapshot`.
    assert SNAPSHOT.read_text(encoding="utf-8") == dump_migrated_schema()


def _iris(var: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IRIS_")}
    env.update(IRIS_VAR_DIR=str(var), IRIS_SECRET_KEY="test")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("snapshot_applies", [True, False])
def test_a_new_database_is_complete_either_way(tmp_path: Path, snapshot_applies: bool) -> None:
    """The first run in a new folder creates a database that `migrate --check` finds
    complete, from the snapshot or (when the snapshot does not match) by migrating."""
    var = tmp_path / "var"
    document = tmp_path / "a.docx"
    document.write_bytes(build_document(2))
    if not snapshot_applies:
        # A database that is not empty is never overwritten by the snapshot.
        var.mkdir()
        with sqlite3.connect(var / "iris.sqlite3") as database:
            database.execute("CREATE TABLE unrelated (x integer)")
    run = _iris(var, "-m", "iris.cli", "translate", str(document), "--to", "fr", "-q")
    assert run.returncode == 0, run.stderr
    check = _iris(var, "manage.py", "migrate", "--check")
    assert check.returncode == 0, check.stdout + check.stderr
    with sqlite3.connect(var / "iris.sqlite3") as database:
        applied = {row[0] for row in database.execute("SELECT applied FROM django_migrations")}
    # The snapshot records every migration as applied at one fixed time.
    assert (applied == {APPLIED}) is snapshot_applies


def test_processes_starting_together_share_one_new_database(tmp_path: Path) -> None:
    var = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if not k.startswith("IRIS_")}
    env.update(IRIS_VAR_DIR=str(var), IRIS_SECRET_KEY="test")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, "-m", "iris.cli", "status", "1"]
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
        for _ in range(8)
    ]
    errors = [process.communicate(timeout=120)[1] for process in processes]
    for process, error in zip(processes, errors, strict=True):
        assert process.returncode == 2, error  # no such job: the schema was there
        assert error.strip() == "1: no such job", error
