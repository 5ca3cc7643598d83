"""Step ``docx_reassemble``: targets go back into the document, which is delivered
only when the fidelity comparison with the source is clean (and, when the user asked
to keep the source's format, converted back to it). The delivered job's translations
then become candidate units of the translation memory (taken back with the delivery
when the job was cancelled meanwhile)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import PurePath
from typing import Any

from django.db import transaction

from iris.artifacts.models import ArtifactKind
from iris.artifacts.storage import (
    JOB_CANCELLED,
    delete_artifact,
    store_artifact,
    store_json,
)
from iris.docx import Limits
from iris.docx.compare import FidelityReport, compare
from iris.formats import EXTENSION
from iris.governance.actions import SYSTEM_ACTOR
from iris.jobs.documents import open_for_reassembly, working_copy
from iris.jobs.models import Job
from iris.jobs.steps.conversion import delivery_format, in_delivery_format
from iris.memory.service import add_candidates, discard_candidates


class FidelityError(Exception):
    """The translated document differs structurally from the source."""


def delivery_name(source_name: str, target_lang: str, extension: str = "") -> str:
    """``report.docx`` -> ``report.fr.docx`` (or another extension)."""
    path = PurePath(source_name)
    return f"{path.stem}.{target_lang}{extension or path.suffix or '.docx'}"


#: our own output keeps the source's structure, but its text may outgrow the parser's
#: 10 MB text-node bound (a very long paragraph, expanded by translation)
OWN_OUTPUT = Limits(huge_text=True)


def fidelity_payload(report: FidelityReport) -> dict[str, Any]:
    return {"clean": report.clean, "summary": report.summary(), **asdict(report)}


def reassemble_job(job: Job) -> None:
    """Write, check and store the translated document (the delivery)."""
    source = working_copy(job)
    targets = dict(job.segments.values_list("unit_id", "target"))
    output = open_for_reassembly(job, source).apply(targets, job.target_lang)
    report = compare(source, output, target_limits=OWN_OUTPUT)
    store_json(job, ArtifactKind.FIDELITY_REPORT, "fidelity.json", fidelity_payload(report))
    summary = {"clean": report.clean, "differences": len(report.differences)}
    Job.objects.filter(pk=job.pk).update(fidelity=summary)
    if not report.clean:
        shown = "; ".join(report.differences[:3])
        raise FidelityError(f"the translated document lost structure: {shown}")
    name = delivery_name(job.source_name, job.target_lang, EXTENSION[delivery_format(job)])
    store_artifact(job, ArtifactKind.DELIVERY, name, in_delivery_format(job, output))
    add_candidates(job)  # the job's translations, for the memory (iris/memory/service.py)


def discard_delivery(job_id: int) -> None:
    """Remove a delivery written for a job that was cancelled meanwhile (its row stays
    as a tombstone; the object goes on commit)."""
    with transaction.atomic():
        for delivered in Job.objects.get(pk=job_id).artifacts.filter(kind=ArtifactKind.DELIVERY):
            delete_artifact(delivered, SYSTEM_ACTOR, JOB_CANCELLED)
        discard_candidates(job_id)
