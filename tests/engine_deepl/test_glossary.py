"""Must-use glossary terms reach DeepL as one of its glossaries, created once per set of
terms and then reused, against the fake server's v2 glossary endpoints."""

from __future__ import annotations

import pytest

from iris.docx.text.tags import validate_tags
from iris.engines import deepl_engine
from iris.engines.base import (
    EngineRequest,
    EngineSegment,
    PermanentError,
    Term,
    TransientError,
)
from iris.engines.deepl_engine import DeepLEngine, glossary_entries, glossary_name

TERMS = (
    Term("quarterly", "vierteljährlich"),
    Term("report", "Quartalsbericht"),
    Term("Berichtchen", "", forbidden=True),
)
CREATE = "POST /v2/glossaries"


def translate(*sources: str, source: str = "en", target: str = "de", terms=TERMS):
    segments = [EngineSegment(str(i), text) for i, text in enumerate(sources)]
    return DeepLEngine().translate(EngineRequest(source, target, segments, terms))


def test_the_same_terms_make_one_glossary_that_every_batch_uses(server) -> None:
    first = translate("The <g1>quarterly</g1> report is ready. ")
    second = translate("Each report is read.", terms=tuple(reversed(TERMS)))
    assert server.calls.count(CREATE) == 1
    ((glossary_id, glossary),) = server.glossaries.items()
    assert glossary.entries == {"quarterly": "vierteljährlich", "report": "Quartalsbericht"}
    assert (glossary.source_lang, glossary.target_lang) == ("en", "de")
    assert [body["glossary_id"] for body in server.requests] == [glossary_id, glossary_id]
    assert "<g1>vierteljährlich</g1> Quartalsbericht" in first.targets["0"]
    assert validate_tags("The <g1>quarterly</g1> report is ready. ", first.targets["0"]) == []
    assert "Quartalsbericht" in second.targets["0"]
    # the account was asked once what it has, not once a batch
    assert server.calls.count("GET /v2/glossaries") == 1
    assert server.calls.count("GET /v2/glossary-language-pairs") == 1


def test_other_terms_make_another_glossary(server) -> None:
    translate("The report is ready.")
    translate("The report is ready.", terms=(Term("report", "Rapport"),))
    assert server.calls.count(CREATE) == 2
    assert {body["glossary_id"] for body in server.requests} == set(server.glossaries)


def test_the_requests_of_a_big_batch_share_one_glossary(server) -> None:
    translate(*[f"Report {n} is ready." for n in range(120)])  # three requests, maybe at once
    assert server.calls.count(CREATE) == 1
    assert len({body["glossary_id"] for body in server.requests}) == 1


def test_a_new_process_finds_the_glossary_by_name(server, monkeypatch) -> None:
    translate("The report is ready.")
    monkeypatch.setattr(deepl_engine, "_ACCOUNTS", {})  # what a new worker process knows
    translate("The report is ready.")
    assert server.calls.count(CREATE) == 1
    assert server.calls.count("GET /v2/glossaries") == 2


def test_one_glossary_serves_both_english_variants(server) -> None:
    terms = (Term("Bericht", "statement"),)
    us = translate("Der Bericht.", source="de", target="en-US", terms=terms)
    gb = translate("Der Bericht.", source="de", target="en-GB", terms=terms)
    assert server.calls.count(CREATE) == 1
    assert "statement" in us.targets["0"]
    assert "statement" in gb.targets["0"]


@pytest.mark.parametrize(
    ("source", "pairs"),
    [("en", {("en", "fr")}), ("auto", None)],
    ids=["a pair DeepL has no glossaries for", "an undetected source"],
)
def test_without_a_usable_glossary_the_batch_is_still_translated(server, source, pairs) -> None:
    if pairs is not None:
        server.glossary_pairs = pairs
    result = translate("The report is ready.", source=source)
    assert CREATE not in server.calls
    (body,) = server.requests
    assert "glossary_id" not in body
    assert result.targets["0"]
    assert "Quartalsbericht" not in result.targets["0"]


def test_forbidden_terms_alone_make_no_glossary(server) -> None:
    translate("The report is ready.", terms=(Term("Bericht", "", forbidden=True),))
    assert server.calls == ["POST /v2/translate"]


@pytest.mark.parametrize(
    ("status", "error", "words"),
    [
        (500, TransientError, r"failed \(500\)"),
        (429, TransientError, "busy"),
        (403, PermanentError, "IRIS_DEEPL_AUTH_KEY"),
        (400, PermanentError, "refused the request"),
    ],
)
def test_a_failed_creation_maps_like_translation_failures(server, status, error, words) -> None:
    server.glossary_faults.append(status)
    with pytest.raises(error, match=words):
        translate("The report is ready.")
    assert server.requests == []  # nothing translated without the glossary
    translate("The report is ready.")  # the task layer's retry creates it
    assert server.calls.count(CREATE) == 2
    assert len(server.glossaries) == 1
    assert "glossary_id" in server.requests[0]


def test_entries_are_one_line_plain_text_one_target_a_source() -> None:
    terms = [
        Term(" report ", "Bericht"),
        Term("report", "Rapport"),
        Term("tab\there", "x"),
        Term("two\nlines", "x"),
        Term("empty", " "),
        Term("long", "x" * 1025),
        Term("Bericht", "", forbidden=True),
    ]
    assert glossary_entries(terms) == {"report": "Bericht"}
    assert glossary_entries(list(reversed(terms))) == {"report": "Bericht"}
    entries = glossary_entries(TERMS)
    assert glossary_name("en", "de", entries) == glossary_name("en", "de", dict(entries))
    assert glossary_name("en", "de", entries) != glossary_name("en", "fr", entries)
    assert glossary_name("en", "de", entries) != glossary_name("en", "de", {"report": "x"})
