"""Step ``docx_reassemble``: targets go back into the document, which is delivered
only when the fidelity comparison with the source is clean."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import PurePath
from typing import Any

from django.db import transaction

from iris.artifacts.models import Artifact, ArtifactKind
from iris.artifacts.storage import delete_stored, read_artifact, store_artifact, store_json
from iris.docx import open_document
from iris.docx.compare import FidelityReport, compare
from iris.jobs.models import Job, JobState
from iris.jobs.states import transition


class FidelityError(Exception):
    """The translated document differs structurally from the source."""


def delivery_name(source_name: str, target_lang: str) -> str:
    path = PurePath(source_name)
    return f"{path.stem}.{target_lang}{path.suffix or '.docx'}"


def fidelity_payload(report: FidelityReport) -> dict[str, Any]:
    return {"clean": report.clean, "summary": report.summary(), **asdict(report)}


def reassemble_job(job_id: int) -> bool:
    """Write, check and deliver the translated document; ``False`` if not its turn."""
    job = Job.objects.get(pk=job_id)
    if job.state != JobState.REASSEMBLING:
        return False
    source = read_artifact(job.artifacts.get(kind=ArtifactKind.SOURCE))
    targets = dict(job.segments.values_list("unit_id", "target"))
    output = open_document(source, source_lang=job.source_lang).apply(targets, job.target_lang)
    report = compare(source, output)
    store_json(job, ArtifactKind.FIDELITY_REPORT, "fidelity.json", fidelity_payload(report))
    if not report.clean:
        shown = "; ".join(report.differences[:3])
        raise FidelityError(f"the translated document lost structure: {shown}")
    delivery = store_artifact(
        job, ArtifactKind.DELIVERY, delivery_name(job.source_name, job.target_lang), output
    )
    return _complete(job_id, delivery)


def _complete(job_id: int, delivery: Artifact) -> bool:
    with transaction.atomic():
        done = transition(
            job_id, JobState.COMPLETED, expect=frozenset({JobState.REASSEMBLING}), step=""
        )
        if done is None:  # cancelled while writing: nothing may be delivered
            storage_name = delivery.storage_name
            delivery.delete()
            transaction.on_commit(lambda: delete_stored(storage_name))
    return done is not None
