"""Helpers for review tests: a job waiting in review, and a reviewer's edits made on
the exported file itself (XLIFF with lxml, the bilingual DOCX through its reader's
own structure: the table cells)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from iris.artifacts.storage import read_artifact
from iris.jobs.actions import TranslationRequest, create_jobs
from iris.jobs.models import Job, JobState
from iris.review.models import ReviewFormat
from tests.documents import build_document

XLF = "urn:oasis:names:tc:xliff:document:2.0"


def submit_for_review(
    data: bytes | None = None,
    policy: Mapping[str, Any] | None = None,
    target: str = "fr",
    team_id: int | None = None,
) -> Job:
    """A job that stops in review (eagerly it is there when this returns)."""
    request = TranslationRequest(
        name="report.docx",
        data=data or build_document(),
        target_langs=[target],
        source_lang="en",
        engine="pseudo",
        review_required=True,
        review_policy=policy,
        team_id=team_id,
    )
    (job,) = create_jobs(request)
    return job


def job_in_review(
    data: bytes | None = None,
    policy: Mapping[str, Any] | None = None,
    target: str = "fr",
    team_id: int | None = None,
) -> Job:
    job = submit_for_review(data, policy, target, team_id)
    job.refresh_from_db()
    assert job.state == JobState.IN_REVIEW, job.error
    return job


def exported(job: Job, fmt: ReviewFormat) -> bytes:
    """The package the review step exported as the job entered review."""
    export = job.review_exports.filter(format=fmt).order_by("-created").first()
    assert export is not None
    assert export.artifact is not None
    return read_artifact(export.artifact)


def edit_xliff(data: bytes, edits: Mapping[int, str], state: str | None = "reviewed") -> bytes:
    """A reviewer's edit in a CAT tool: ``edits`` appends text to the end of those
    units' targets (tags untouched); every segment's state becomes ``state``."""
    from lxml import etree

    root = etree.fromstring(data)
    for unit in root.iter(f"{{{XLF}}}unit"):
        key = int(unit.get("id", "s0")[1:])
        segment = unit.find(f"{{{XLF}}}segment")
        assert segment is not None
        if state is not None:
            segment.set("state", state)
        if key in edits:
            target = segment.find(f"{{{XLF}}}target")
            assert target is not None
            if len(target):
                target[-1].tail = (target[-1].tail or "") + edits[key]
            else:
                target.text = (target.text or "") + edits[key]
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def edit_bilingual(data: bytes, edits: Mapping[int, str], state: str | None = "reviewed") -> bytes:
    """A reviewer's edit in Word: text typed at the end of those rows' Target cells (a
    new run), the Status cell set to ``state`` on every row."""
    import io
    import zipfile

    from lxml import etree

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    rows = root.findall(f".//{{{w}}}tbl/{{{w}}}tr")
    for row in rows[1:]:
        cells = row.findall(f"{{{w}}}tc")
        id_text = "".join(str(t) for t in cells[0].findall(f"{{{w}}}p")[0].itertext())
        key = int(id_text.strip()[1:])
        if state is not None:
            cells[3].findall(f".//{{{w}}}t")[0].text = state
        if key in edits:
            paragraph = cells[2].findall(f"{{{w}}}p")[-1]
            run = etree.SubElement(paragraph, f"{{{w}}}r")
            text = etree.SubElement(run, f"{{{w}}}t")
            text.text = edits[key]
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return out.getvalue()
