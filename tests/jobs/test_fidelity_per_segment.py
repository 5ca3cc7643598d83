"""A fidelity difference in one paragraph costs only that paragraph's segments: they are
delivered in the source and flagged, the rest of the document keeps its translation,
and the job completes (embedded configuration, eager tasks)."""

from __future__ import annotations

import json

import pytest

from iris.artifacts.models import ArtifactKind
from iris.artifacts.storage import read_artifact
from iris.cli.display import summary
from iris.docx import compare
from iris.engines.base import EngineRequest, EngineResult
from iris.engines.pseudo import PseudoEngine
from iris.jobs.models import JobState, QaStatus
from iris.jobs.progress import job_report
from tests.docx.builders import W, body_of, make_docx, p, r, texts
from tests.jobs.helpers import delivery, submit

pytestmark = pytest.mark.django_db(transaction=True)

#: the segments holding this word get a web address added to their translation: text
#: that tag repair cannot see, and that the document reads back as a new placeholder
MARK = "report"
DAMAGED = "The annual report is ready. "
SOURCES = ["Hello world, this is the start.", f"It has ten pages. {DAMAGED}Read it.", "Thank you."]


class MarkedEngine(PseudoEngine):
    """Pseudo-translates, then changes what it gives back for the segments that hold
    `MARK` (:meth:`marked`)."""

    def marked(self, source: str, target: str) -> str:
        raise NotImplementedError

    def translate_batch(self, request: EngineRequest) -> EngineResult:
        result = super().translate_batch(request)
        targets = dict(result.targets)
        for segment in request.segments:
            if MARK in segment.source:
                targets[segment.key] = self.marked(segment.source, targets[segment.key])
        return EngineResult(targets, result.usage, result.flags)


class AddressAddingEngine(MarkedEngine):
    """Adds a web address to the translation of the marked segments."""

    name = "address-adding"

    def marked(self, source: str, target: str) -> str:
        return target + " www.example.org"


@pytest.fixture(autouse=True)
def engine(settings) -> None:
    settings.IRIS_ENGINES = [*settings.IRIS_ENGINES, f"{__name__}.AddressAddingEngine"]


def test_the_damaged_segment_is_delivered_in_the_source_and_reported() -> None:
    data = make_docx("".join(p(r(text)) for text in SOURCES))
    (job,) = submit(data, "fr", engine="address-adding")
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED, job.error
    delivered = [texts(paragraph) for paragraph in body_of(delivery(job)).iter(f"{{{W}}}p")]
    # Only the damaged sentence of its paragraph is in the source.
    first, rest = delivered[1].split(DAMAGED)
    assert first.strip()
    assert rest.strip()
    assert not {"It", "has", "ten", "Read"} & set(first.split() + rest.split())
    assert "Hello" not in delivered[0]
    assert "Thank" not in delivered[2]
    assert compare(data, delivery(job)).clean
    # The restored sentence is printed source text left unchanged: the coverage ruler
    # (iris.docx.find_leftovers, which shares nothing with extraction) counts it.
    unchanged = job.fidelity.pop("unchanged")
    assert job.fidelity == {"clean": True, "differences": 0, "restored": 1}

    damaged = job.segments.get(source=DAMAGED)
    assert damaged.target.endswith("www.example.org")  # kept for review
    assert damaged.qa_status == QaStatus.ERROR
    (finding,) = [issue for issue in damaged.qa_issues if issue["check"] == "fidelity"]
    assert finding["severity"] == "error"
    assert "word/document.xml#p1: inline codes" in finding["message"], finding
    flagged = [
        s.unit_id for s in job.segments.all() if "fidelity" in {i["check"] for i in s.qa_issues}
    ]
    assert flagged == [damaged.unit_id]

    report = json.loads(read_artifact(job.artifacts.get(kind=ArtifactKind.FIDELITY_REPORT)))
    assert list(report["restored"]) == [damaged.unit_id]
    assert report["clean"] is True
    assert report["unchanged_count"] == unchanged
    listed = " ".join(report["unchanged"])
    assert {"annual", "report", "ready"} <= set(listed.replace(":", " ").split())
    # The summary `iris translate` prints says so, rather than a plain "fidelity clean".
    printed = summary([job_report(job.pk)], {}, 1.0)
    assert "fidelity clean after 1 segment(s) were put back in the source language" in printed
    assert f"{unchanged} stretch(es) of source text unchanged" in printed


def test_a_clean_job_restores_nothing() -> None:
    data = make_docx("".join(p(r(text)) for text in SOURCES if MARK not in text))
    (job,) = submit(data, "fr", engine="address-adding")
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED, job.error
    assert job.fidelity == {"clean": True, "differences": 0}
    assert not job.segments.filter(qa_status=QaStatus.ERROR).exists()


def test_text_an_engine_leaves_in_the_source_is_counted_as_unchanged(settings) -> None:
    settings.IRIS_ENGINES = [*settings.IRIS_ENGINES, f"{__name__}.SourceKeepingEngine"]
    data = make_docx("".join(p(r(text)) for text in SOURCES))
    (job,) = submit(data, "fr", engine="source-keeping")
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED, job.error
    assert job.fidelity["clean"]
    report = json.loads(read_artifact(job.artifacts.get(kind=ArtifactKind.FIDELITY_REPORT)))
    listed = report["unchanged"]
    assert job.fidelity["unchanged"] == report["unchanged_count"] == len(listed) > 0
    # Only the paragraph the engine left alone, and every word of it
    assert all(entry.startswith("word/document.xml ¶2: ") for entry in listed), listed
    words = {entry.rsplit(": ", 1)[1] for entry in listed}
    assert {"annual", "report", "ready"} <= words
    assert not words & {"Hello", "world", "Thank"}


class SourceKeepingEngine(MarkedEngine):
    """Gives back the source of the marked segments: text an engine skipped."""

    name = "source-keeping"

    def marked(self, source: str, target: str) -> str:
        return source
