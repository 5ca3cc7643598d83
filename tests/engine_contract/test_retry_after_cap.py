"""An engine's ``Retry-After`` is honoured up to ``IRIS_ENGINE_MAX_RETRY_AFTER``: a
service asking for an hour is retried after the cap, and the log says both waits."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.engine_openai.server import FakeChatServer
from tests.jobs.test_cli import SAMPLE
from tests.support import iris_env


def run_iris(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = iris_env(env, tmp_path / "var")
    environment.pop("IRIS_SECRET_KEY")
    return subprocess.run(
        [sys.executable, "-m", "iris.cli", *args],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=90,  # without the cap: an hour
        check=False,
    )


def test_a_long_retry_after_is_cut_to_the_cap(tmp_path, openai_server: FakeChatServer) -> None:
    openai_server.faults.append("429:3600")
    done = run_iris(
        tmp_path, "translate", str(SAMPLE), "--to", "de", "--engine", "openai", "--from", "en",
        "-o", str(tmp_path / "out.docx"), IRIS_OPENAI_BASE_URL=openai_server.url,
        IRIS_OPENAI_API_KEY="test-key", IRIS_OPENAI_MODEL="test-model",
        IRIS_ENGINE_MAX_RETRY_AFTER="1",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "fidelity clean" in done.stdout
    assert "asked to wait 3600 s" in done.stderr
    assert "Iris waits 1 s (IRIS_ENGINE_MAX_RETRY_AFTER)" in done.stderr


def test_the_cap_is_a_whole_number_of_one_second_or_more(tmp_path) -> None:
    done = run_iris(
        tmp_path, "translate", str(SAMPLE), "--to", "de", IRIS_ENGINE_MAX_RETRY_AFTER="0"
    )
    assert done.returncode == 2
    assert "IRIS_ENGINE_MAX_RETRY_AFTER: 0 is out of range" in done.stderr
