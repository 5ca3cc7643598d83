"""``iris translate`` spends its start-up only on what a run needs: on a small document
start-up is most of the command's time. Judged by what a real run (a subprocess, the
embedded default) has done when it ends (modules imported, full garbage collections),
not by a clock."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.documents import build_document
from tests.support import iris_env

#: Run the command's main in this process, then print its exit code, the modules it
#: imported that start with one of the prefixes given as the first argument, and how
#: many times the garbage collector walked the whole heap.
PROBE = """
import gc, json, sys
from iris.cli import main
prefixes, argv = tuple(json.loads(sys.argv[1])), sys.argv[2:]
code = main(argv)
imported = sorted(name for name in sys.modules if name.startswith(prefixes))
full = gc.get_stats()[2]["collections"]
print(json.dumps({"code": code, "imported": imported, "full_collections": full}))
"""

#: What an embedded run never uses, with what used to import it.
NEVER_NEEDED = (
    # the API's pagination class, imported by Django REST framework's pagination check
    # when the command ran every `compatibility` check ...
    "iris.api.pagination",
    "rest_framework.pagination",
    "rest_framework.serializers",
    # ... which imported the PostgreSQL driver on SQLite, through rest_framework.compat
    "django.contrib.postgres",
    "psycopg",
    # the broker probe, for a run with workers only
    "iris.ops.health",
    # the OpenSearch client, for the glossary's OpenSearch backend only
    "opensearchpy",
    # tasks of other apps (maintenance, review): an eager run sends the pipeline's
    "iris.ops.tasks",
    "iris.review.tasks",
)


def probed_run(tmp_path: Path) -> dict[str, Any]:
    """``iris translate`` on a small document, as a user runs it, through `PROBE`."""
    source = tmp_path / "in.docx"
    source.write_bytes(build_document())
    environment = iris_env({}, tmp_path / "var")
    environment.pop("IRIS_SECRET_KEY")  # as a user runs it: no configuration at all
    arguments = ["translate", str(source), "--to", "fr", "--from", "en", "-q"]
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(NEVER_NEEDED), *arguments],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    assert result["code"] == 0, done.stdout + done.stderr
    assert (tmp_path / "in.fr.docx").is_file()
    return result


def test_a_run_imports_nothing_it_does_not_need(tmp_path) -> None:
    assert probed_run(tmp_path)["imported"] == []


def test_a_small_run_never_walks_the_whole_heap(tmp_path) -> None:
    # What start-up builds is frozen before the job starts (iris/ops/process.py), and
    # the imports before that must not each trigger a collection of everything so far.
    assert probed_run(tmp_path)["full_collections"] == 0
