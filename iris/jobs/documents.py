"""The job's documents as the steps read them: the .docx a job works on, opened.

Opening a document (unzip, parse, normalise, read) is the largest single cost of a
job after the engine. When tasks run eagerly, one process runs every step of a job in
turn, so the document opened for extraction is kept for the job's reassembly instead
of being opened a second time: `iris.docx.Document.apply` writes into the trees its
opening read. Kept is at most one document per process (the last one extracted), and
only if the bytes, the job and the source language match when reassembly asks for it;
otherwise, and always with workers (where the next step may run in another process),
reassembly opens the working copy again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from iris.artifacts.models import ArtifactKind
from iris.artifacts.storage import read_artifact
from iris.docx import Document, open_document
from iris.jobs.extraction_policy import job_policy
from iris.jobs.models import Job


def working_copy(job: Job) -> bytes:
    """The .docx the job extracts from and writes into: the source itself, or the
    working copy converted from a legacy source (.doc, .rtf, .odt)."""
    kind = ArtifactKind.SOURCE if job.source_format == "docx" else ArtifactKind.WORKING
    return read_artifact(job.artifacts.get(kind=kind))


@dataclass
class _Kept:
    job_id: int
    data: bytes
    document: Document


_kept: _Kept | None = None


def open_for_extraction(job: Job, data: bytes, source_lang: str) -> Document:
    """``data`` opened for ``job``'s extraction (and kept for its reassembly when this
    process will run it)."""
    global _kept
    _kept = None  # never two documents at once, whatever happens next
    document = open_document(data, source_lang=source_lang, policy=job_policy(job.extraction))
    if not settings.IRIS_ASYNC:
        _kept = _Kept(job.pk, data, document)
    return document


def open_for_reassembly(job: Job, data: bytes) -> Document:
    """``data`` opened for writing ``job``'s translation: the document its extraction
    kept, when it is the same job, bytes and source language; otherwise opened anew."""
    global _kept
    kept, _kept = _kept, None
    if (
        kept is not None
        and kept.job_id == job.pk
        and kept.document.source_lang == job.source_lang
        and kept.data == data
    ):
        return kept.document
    return open_document(data, source_lang=job.source_lang, policy=job_policy(job.extraction))


def below_heading(chain: dict[int, str], level: int | None, text: str) -> dict[int, str]:
    """The chain of headings (level -> text) in force after a segment of heading
    ``level`` (None: not a heading) and ``text``."""
    if level is None:
        return chain
    return {lvl: title for lvl, title in chain.items() if lvl < level} | {level: text}
