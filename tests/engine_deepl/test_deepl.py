"""The deepl engine's real SDK calls against a local server speaking DeepL's API v2."""

from __future__ import annotations

import pytest

from iris.docx import open_document
from iris.docx.text.tags import validate_tags
from iris.engines.base import (
    EngineRequest,
    EngineSegment,
    PermanentError,
    SegmentContext,
    TransientError,
    UnsupportedPairError,
)
from iris.engines.deepl_engine import DeepLEngine, source_code, target_code
from tests.engine_deepl.server import KEY
from tests.jobs.test_cli import SAMPLE, iris
from tests.support import closed_port

SOURCES = [
    "The <g1>quarterly</g1> report is ready. ",
    "Total 1,250 units<x2/> in 2024.",
    "Call &amp; see <g3>our <g4>new</g4></g3> offices.",
]


def translate(*sources: str, target: str = "de", **options: str):
    segments = [
        EngineSegment(str(i), text, SegmentContext(title="Report", previous="Intro."))
        for i, text in enumerate(sources)
    ]
    return DeepLEngine(options).translate(EngineRequest("en", target, segments))


def test_language_codes_follow_deepls() -> None:
    assert target_code("en") == "EN-US"
    assert target_code("en-GB") == "EN-GB"
    assert target_code("pt") == "PT-PT"
    assert target_code("pt-BR") == "PT-BR"
    assert target_code("zh-TW") == "ZH-HANT"
    assert target_code("zh") == "ZH-HANS"
    assert target_code("de-AT") == "DE"
    assert target_code("cy") is None
    assert source_code("en-GB") == "EN"
    assert source_code("no") == "NB"
    DeepLEngine.check_pair("auto", "ja")
    with pytest.raises(UnsupportedPairError, match="does not translate into cy; it does: AR"):
        DeepLEngine.check_pair("en", "cy")


def test_a_batch_is_translated_with_xml_tags_and_context(server) -> None:
    result = translate(*SOURCES, formality="more")
    (body,) = server.requests
    assert body["text"] == SOURCES
    assert (body["source_lang"], body["target_lang"]) == ("EN", "DE")
    assert body["tag_handling"] == "xml"
    assert body["formality"] == "more"
    assert body["context"] == "Report\nIntro."
    for i, source in enumerate(SOURCES):
        assert validate_tags(source, result.targets[str(i)]) == []
    assert result.targets["0"].endswith(". ")  # DeepL trims; the joining space is kept
    assert result.usage.characters == sum(len(s) for s in SOURCES)


def test_more_texts_than_one_request_takes_are_split(server) -> None:
    result = translate(*[f"Item {n} is ready." for n in range(120)])
    assert sorted(len(r["text"]) for r in server.requests) == [20, 50, 50]  # sent at once
    assert len(result.targets) == 120


def test_blank_segments_are_kept_and_not_sent(server) -> None:
    result = translate("", " ", SOURCES[0])
    assert (result.targets["0"], result.targets["1"]) == ("", " ")
    assert server.requests[0]["text"] == [SOURCES[0]]


@pytest.mark.parametrize(
    ("fault", "error", "words"),
    [
        ("403", PermanentError, "IRIS_DEEPL_AUTH_KEY"),
        ("456", PermanentError, "quota"),
        ("429", TransientError, "busy"),
        ("500", TransientError, "500"),
        ("short", PermanentError, "returned 2 texts for 3"),
    ],
)
def test_service_failures_map_to_transient_or_permanent(server, fault, error, words) -> None:
    server.faults.append(fault)
    with pytest.raises(error, match=words):
        translate(*SOURCES)
    assert len(server.requests) == 1  # no retry of its own: the pipeline owns them


def test_an_unreachable_server_is_transient(settings) -> None:
    settings.IRIS_DEEPL_SERVER_URL = f"http://127.0.0.1:{closed_port()}"
    settings.IRIS_DEEPL_AUTH_KEY = KEY
    with pytest.raises(TransientError):
        translate(SOURCES[0])


def test_a_bad_option_or_no_key_is_a_permanent_error(server, settings) -> None:
    with pytest.raises(PermanentError, match="formality"):
        translate(SOURCES[0], formality="very")
    settings.IRIS_DEEPL_AUTH_KEY = ""
    with pytest.raises(PermanentError, match="IRIS_DEEPL_AUTH_KEY"):
        translate(SOURCES[0])


def test_the_sample_report_through_the_command_line(tmp_path, server) -> None:
    output = tmp_path / "report.de.docx"
    done = iris(
        tmp_path, "translate", str(SAMPLE), "--to", "de", "--engine", "deepl", "--from", "en",
        "-o", str(output), IRIS_DEEPL_SERVER_URL=server.url, IRIS_DEEPL_AUTH_KEY=KEY,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "fidelity clean" in done.stdout
    before = [u.source for u in open_document(SAMPLE.read_bytes()).units() if u.translatable]
    after = {u.source for u in open_document(output.read_bytes(), source_lang="de").units()}
    assert not set(before) & after
    assert KEY not in done.stdout + done.stderr


def test_an_unsupported_target_is_refused_at_submission(tmp_path) -> None:
    done = iris(tmp_path, "translate", str(SAMPLE), "--to", "cy", "--engine", "deepl")
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "DeepL does not translate into cy" in done.stderr
