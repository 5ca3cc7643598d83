"""The openai engine's real client code against a local server that speaks the OpenAI
chat-completions protocol (tests/engine_openai/server.py)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from iris.docx import open_document
from iris.docx.text.tags import validate_tags
from iris.engines.base import (
    EngineRequest,
    EngineSegment,
    MemoryMatch,
    PermanentError,
    SegmentContext,
    Term,
    TransientError,
)
from iris.engines.openai_chat import OpenAIEngine
from iris.jobs.models import QaStatus
from iris.jobs.steps.verification import verify
from tests.documents import build_document
from tests.engine_openai.server import FakeChatServer
from tests.jobs.test_cli import SAMPLE, iris
from tests.support import closed_port

SOURCES = [
    "The <g1>quarterly</g1> report is ready for our customers. ",
    "Total 1,250 units<x2/> were delivered in 2024.",
    "Call &amp; see <g3>our <g4>new</g4></g3> offices today.",
]


@pytest.fixture
def server(openai_server: FakeChatServer) -> FakeChatServer:
    return openai_server


def translate(*sources: str, **options: str):
    segments = [
        EngineSegment(str(i), text, SegmentContext(title="Quarterly report"))
        for i, text in enumerate(sources)
    ]
    return OpenAIEngine(options).translate(EngineRequest("en", "de", segments))


def test_a_batch_is_translated_in_one_request_with_tags_kept(server) -> None:
    result = translate(*SOURCES)
    assert len(server.requests) == 1
    for i, source in enumerate(SOURCES):
        target = result.targets[str(i)]
        assert validate_tags(source, target) == [], target
        assert target != source
    assert result.targets["0"].endswith(" ")  # the space joining it to the next sentence
    assert "1,250" in result.targets["1"]
    assert "&amp;" in result.targets["2"]
    assert result.usage.tokens > 0
    assert result.usage.characters == sum(len(s) for s in SOURCES)
    assert not result.flags
    body = server.requests[0]
    assert body["model"] == "test-model"
    assert body["response_format"] == {"type": "json_object"}
    system = body["messages"][0]["content"]
    assert "English (en)" in system
    assert "German (de)" in system
    assert json.loads(body["messages"][1]["content"])["document_title"] == "Quarterly report"


def test_style_options_reach_the_prompt(server) -> None:
    translate(SOURCES[0], formality="formal", audience="engineers")
    system = server.requests[0]["messages"][0]["content"]
    assert "formal register" in system
    assert "engineers" in system


def test_blank_segments_are_kept_and_not_sent(server) -> None:
    result = translate("", "  ", SOURCES[0])
    assert (result.targets["0"], result.targets["1"]) == ("", "  ")
    assert server.segment_ids() == [["2"]]


@pytest.mark.parametrize(
    "fault", ["malformed", "break-tags", "source-language", "english", "pad", "drop:1"]
)
def test_a_bad_answer_is_asked_again_for_the_failing_ids_only(server, fault) -> None:
    server.faults.append(fault)
    result = translate(*SOURCES)
    failing = ["1"] if fault == "drop:1" else ["0", "1", "2"]
    assert server.segment_ids() == [["0", "1", "2"], failing]
    second = json.loads(server.requests[1]["messages"][-1]["content"])["segments"]
    assert all(segment["previous_attempt_problem"] for segment in second)
    assert not result.flags
    for i, source in enumerate(SOURCES):
        assert validate_tags(source, result.targets[str(i)]) == []


def test_what_keeps_failing_is_asked_alone_then_kept_and_flagged(server) -> None:
    server.always_drop.add("1")
    result = translate(*SOURCES)
    assert server.segment_ids() == [["0", "1", "2"], ["1"], ["1"]]
    assert result.targets["1"] == SOURCES[1]  # kept, never dropped
    assert "missing from the answer" in result.flags["1"]
    verdict = verify(SOURCES[1], result.targets["1"], "engine", result.flags["1"])
    assert verdict.status == QaStatus.ERROR  # shown for review, never silent
    assert verdict.issues[0]["check"] == "engine"


def test_a_rate_limit_is_transient_and_carries_retry_after(server) -> None:
    server.faults.append("429:7")
    with pytest.raises(TransientError) as raised:
        translate(SOURCES[0])
    assert raised.value.retry_after == 7.0


@pytest.mark.parametrize(
    ("fault", "error", "words"),
    [
        ("500", TransientError, r"failed \(500\)"),
        ("401", PermanentError, "IRIS_OPENAI_API_KEY"),
        ("404", PermanentError, "IRIS_OPENAI_MODEL"),
    ],
)
def test_service_failures_map_to_transient_or_permanent(server, fault, error, words) -> None:
    server.faults.append(fault)
    with pytest.raises(error, match=words):
        translate(SOURCES[0])


def test_a_server_that_does_not_answer_in_time_is_transient(server, settings) -> None:
    server.delay = 3
    settings.IRIS_OPENAI_TIMEOUT = 0.5
    with pytest.raises(TransientError, match="did not answer"):
        translate(SOURCES[0])


def test_a_server_that_is_down_is_transient(settings) -> None:
    settings.IRIS_OPENAI_BASE_URL = f"http://127.0.0.1:{closed_port()}/v1"
    settings.IRIS_OPENAI_MODEL = "test-model"
    with pytest.raises(TransientError):
        translate(SOURCES[0])


def test_no_model_configured_is_a_permanent_error_naming_the_setting(settings) -> None:
    settings.IRIS_OPENAI_MODEL = ""
    with pytest.raises(PermanentError, match="IRIS_OPENAI_MODEL"):
        translate(SOURCES[0])


def test_the_sample_report_through_the_command_line(tmp_path, server) -> None:
    output = tmp_path / "report.de.docx"
    done = iris(
        tmp_path, "translate", str(SAMPLE), "--to", "de", "--engine", "openai", "--from", "en",
        "-o", str(output), IRIS_OPENAI_BASE_URL=server.url, IRIS_OPENAI_API_KEY="test-key",
        IRIS_OPENAI_MODEL="test-model",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "fidelity clean" in done.stdout
    before = [u.source for u in open_document(SAMPLE.read_bytes()).units() if u.translatable]
    after = {u.source for u in open_document(output.read_bytes(), source_lang="de").units()}
    assert not set(before) & after  # every translatable unit came back translated
    assert "test-key" not in done.stdout + done.stderr


def _sent(body) -> tuple[str, dict[str, Any]]:
    """A request's system prompt and its user message, parsed."""
    return body["messages"][0]["content"], json.loads(body["messages"][-1]["content"])


def test_glossary_terms_go_with_the_requests_whose_segments_have_them(server) -> None:
    terms = (
        Term("quarterly report", "Quartalsbericht"),  # across a tag: found in the plain text
        Term("CUSTOMERS", "Kundschaft"),  # found whatever its case
        Term("invoice", "Rechnung"),  # in no segment: left out
        Term("Kunde", "", forbidden=True),
    )
    segments = [EngineSegment(str(i), text) for i, text in enumerate(SOURCES)]
    server.faults.append("drop:1")
    OpenAIEngine().translate(EngineRequest("en", "de", segments, terms))
    system, first = _sent(server.requests[0])
    assert first["use_terms"] == {"quarterly report": "Quartalsbericht", "CUSTOMERS": "Kundschaft"}
    assert first["never_use"] == ["Kunde"]
    assert '"use_terms" source as its target, exactly' in system
    assert 'Never write a "never_use" term' in system
    system, again = _sent(server.requests[1])  # segment 1 alone: none of its terms
    assert "use_terms" not in again
    assert again["never_use"] == ["Kunde"]
    assert "use_terms" not in system


def test_memory_matches_and_qa_feedback_go_with_their_segment(server) -> None:
    matches = (
        MemoryMatch("The report is ready.", "Der Bericht ist fertig.", 71.6),
        MemoryMatch("The <g1>annual</g1> report is ready.", "Der Jahresbericht ist da.", 88),
        MemoryMatch("A report.", "Ein Bericht.", 52),
    )
    segments = [
        EngineSegment("0", SOURCES[0], matches=matches),
        EngineSegment("1", SOURCES[1], feedback="the number 1,250 is missing"),
        EngineSegment("2", SOURCES[2]),
    ]
    OpenAIEngine().translate(EngineRequest("en", "de", segments))
    system, body = _sent(server.requests[0])
    assert body["segments"][0]["memory"] == [  # the best two, best first
        {"source": matches[1].source, "target": matches[1].target, "score": 88},
        {"source": matches[0].source, "target": matches[0].target, "score": 72},
    ]
    assert body["segments"][1]["qa_problem"] == "the number 1,250 is missing"
    assert body["segments"][2] == {"id": "2", "text": SOURCES[2]}
    assert "for reference; adapt" in system
    assert "found wrong in an earlier translation: fix it" in system


def test_a_request_without_terms_memory_or_feedback_says_nothing_of_them(server) -> None:
    translate(*SOURCES)
    system, body = _sent(server.requests[0])
    assert {"use_terms", "never_use"}.isdisjoint(body)
    assert all(set(segment) == {"id", "text"} for segment in body["segments"])
    assert "use_terms" not in system
    assert "memory" not in system
    assert "qa_problem" not in system


def test_warming_up_builds_the_client_the_requests_use(server, settings) -> None:
    from iris.engines import openai_chat

    openai_chat._client_for.cache_clear()
    settings.IRIS_OPENAI_MODEL = ""
    OpenAIEngine.warm_up()  # no model: nothing to build, and the first batch says so
    assert openai_chat._client_for.cache_info().currsize == 0
    settings.IRIS_OPENAI_MODEL = "test-model"
    OpenAIEngine.warm_up()
    assert openai_chat._client_for.cache_info().currsize == 1
    translate(SOURCES[0])
    assert openai_chat._client_for.cache_info().hits >= 1  # the requests took that client


def _translate_sample(
    tmp_path: Path, server: FakeChatServer
) -> tuple[subprocess.CompletedProcess[str], Path]:
    output = tmp_path / "report.de.docx"
    done = iris(
        tmp_path, "translate", str(SAMPLE), "--to", "de", "--engine", "openai", "--from", "en",
        "-o", str(output), "-q", IRIS_OPENAI_BASE_URL=server.url,
        IRIS_OPENAI_API_KEY="test-key", IRIS_OPENAI_MODEL="test-model",
    )  # fmt: skip
    return done, output


def test_a_job_whose_every_answer_is_unusable_fails_instead_of_delivering_the_source(
    tmp_path, server
) -> None:
    """A model that answers every request in the source language (a wrong model, a
    prompt it ignores): each segment is asked again, then alone, then flagged; with
    nothing usable at all the job fails, never a "completed" copy of the source."""
    server.faults = ["english"] * 500
    done, output = _translate_sample(tmp_path, server)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "report.docx en -> de: failed" in done.stdout
    assert "failed in qa_verify: the engine gave no usable translation for any of the" in (
        done.stdout
    )
    assert "check the openai engine's settings (model, server)" in done.stdout
    assert not output.exists()
    # The QA report the summary points at lists what the engine answered.
    report = iris(tmp_path, "report", "1", "qa-json", "-o", "-")
    assert report.returncode == 0, report.stderr
    assert json.loads(report.stdout)["counts_by_check"]["engine"]["error"] > 0


def test_a_job_with_some_unusable_answers_is_delivered_with_them_flagged(tmp_path, server) -> None:
    server.always_drop = set()  # nothing dropped; one sentence's answers always spoiled
    server.spoil, server.spoil_stubbornly = "customers", True
    done, output = _translate_sample(tmp_path, server)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "report.docx en -> de: completed" in done.stdout
    assert re.search(r"QA: [1-9]\d* segment\(s\) with errors", done.stdout), done.stdout
    assert output.is_file()


def test_an_in_process_run_keeps_two_batches_at_the_service(tmp_path, server) -> None:
    """Batches of one request each, answered after a delay: one batch at a time would
    never have two requests out; the in-process run sends the next batch's while the
    one before waits for its answer (iris/jobs/flow.py, EAGER_BATCHES), never more
    than the engine's slots, and every batch is still asked and counted once."""
    source = tmp_path / "long.docx"
    source.write_bytes(build_document(paragraphs=40))
    output = tmp_path / "long.de.docx"
    server.delay = 0.3
    done = iris(
        tmp_path, "translate", str(source), "--to", "de", "--engine", "openai", "--from", "en",
        "-o", str(output), "-q", IRIS_OPENAI_BASE_URL=server.url, IRIS_OPENAI_API_KEY="k",
        IRIS_OPENAI_MODEL="test-model", IRIS_BATCH_SEGMENTS="20", IRIS_ENGINE_CONCURRENCY="4",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    batches = -(-len({i for ids in server.segment_ids() for i in ids}) // 20)
    assert batches >= 4
    assert len(server.requests) == batches  # one request a batch: none asked twice
    assert server.peak_in_flight == 2
    after = {u.source for u in open_document(output.read_bytes(), source_lang="de").units()}
    before = [u.source for u in open_document(source.read_bytes()).units() if u.translatable]
    assert not set(before) & after
