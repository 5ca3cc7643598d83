"""Step ``docx_convert``: a legacy source (.doc, .rtf, .odt) gets a .docx working copy,
which every later step reads; the delivery goes back to the source's format when the
user asked to keep it. The converter (LibreOffice, or Aspose.Words when enabled) runs
in a child process with a time limit (iris/formats).

Idempotent: the working copy replaces any earlier one (one artifact per kind).
"""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings

from iris.artifacts.models import ArtifactKind
from iris.artifacts.storage import read_artifact, store_artifact
from iris.formats import Converter, SourceFormat, choose_converter, from_docx, to_docx
from iris.jobs.models import Job


def converter() -> Converter | None:
    """The configured converter, or None when none is installed."""
    return choose_converter(
        settings.IRIS_ASPOSE_ENABLED,
        soffice=settings.IRIS_SOFFICE_PATH,
        timeout=settings.IRIS_CONVERSION_TIMEOUT,
    )


def convert_source(job: Job) -> None:
    """Store the source converted to .docx as the job's working copy."""
    _format, docx = to_docx(read_artifact(job.artifacts.get(kind=ArtifactKind.SOURCE)), converter())
    name = f"{PurePath(job.source_name).stem}.docx"
    store_artifact(job, ArtifactKind.WORKING, name, docx)


def delivery_format(job: Job) -> SourceFormat:
    """The format the job delivers in: the source's when kept, .docx otherwise."""
    return SourceFormat(job.source_format) if job.keep_format else SourceFormat.DOCX


def in_delivery_format(job: Job, docx: bytes) -> bytes:
    """The translated .docx in the job's delivery format."""
    return from_docx(docx, delivery_format(job), converter())
