"""The job's documents as the steps read them: the .docx a job works on."""

from __future__ import annotations

from iris.artifacts.models import ArtifactKind
from iris.artifacts.storage import read_artifact
from iris.jobs.models import Job


def working_copy(job: Job) -> bytes:
    """The .docx the job extracts from and writes into: the source itself, or the
    working copy converted from a legacy source (.doc, .rtf, .odt)."""
    kind = ArtifactKind.SOURCE if job.source_format == "docx" else ArtifactKind.WORKING
    return read_artifact(job.artifacts.get(kind=kind))
