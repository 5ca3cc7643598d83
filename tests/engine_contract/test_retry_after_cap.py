"""An engine's ``Retry-After`` is honoured up to ``IRIS_ENGINE_MAX_RETRY_AFTER``: a
service asking for an hour is retried after the cap, and the log says both waits."""

from __future__ import annotations

from tests.engine_openai.server import FakeChatServer
from tests.jobs.test_cli import SAMPLE, iris


def test_a_long_retry_after_is_cut_to_the_cap(tmp_path, openai_server: FakeChatServer) -> None:
    openai_server.faults.append("429:3600")
    done = iris(
        tmp_path, "translate", str(SAMPLE), "--to", "de", "--engine", "openai", "--from", "en",
        "-o", str(tmp_path / "out.docx"), IRIS_OPENAI_BASE_URL=openai_server.url,
        IRIS_OPENAI_API_KEY="test-key", IRIS_OPENAI_MODEL="test-model",
        IRIS_ENGINE_MAX_RETRY_AFTER="1",  # without the cap: an hour, past iris()'s time-out
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "fidelity clean" in done.stdout
    assert "asked to wait 3600 s" in done.stderr
    assert "Iris waits 1 s (IRIS_ENGINE_MAX_RETRY_AFTER)" in done.stderr


def test_the_cap_is_a_whole_number_of_one_second_or_more(tmp_path) -> None:
    done = iris(tmp_path, "translate", str(SAMPLE), "--to", "de", IRIS_ENGINE_MAX_RETRY_AFTER="0")
    assert done.returncode == 2
    assert "IRIS_ENGINE_MAX_RETRY_AFTER: 0 is out of range" in done.stderr
