"""Step ``docx_reassemble``: targets go back into the document, which is delivered
only when the fidelity comparison with the source is clean (and, when the user asked
to keep the source's format, converted back to it). A paragraph the comparison finds
changed costs only its own segments: they are delivered in the source, flagged on the
segment and counted on the job, and the rest of the document keeps its translation;
the job fails only for a difference no segment explains. The delivered job's
translations then become candidate units of the translation memory (taken back with
the delivery when the job was cancelled meanwhile)."""

from __future__ import annotations

import re
from dataclasses import asdict
from pathlib import PurePath
from typing import Any

from django.db import transaction
from django.db.models import F

from iris.artifacts.models import ArtifactKind
from iris.artifacts.storage import (
    JOB_CANCELLED,
    delete_artifact,
    store_artifact,
    store_json,
)
from iris.docx import Document, FidelityReport, Limits, compare
from iris.formats import EXTENSION
from iris.governance.actions import SYSTEM_ACTOR
from iris.jobs.bulk import update_values
from iris.jobs.documents import open_for_reassembly, working_copy
from iris.jobs.models import Job, QaStatus, Segment
from iris.jobs.steps.conversion import delivery_format, in_delivery_format
from iris.memory.service import add_candidates, discard_candidates
from iris.qa.checks import Issue, Severity


class FidelityError(Exception):
    """The translated document differs structurally from the source."""


def delivery_name(source_name: str, target_lang: str, extension: str = "") -> str:
    """``report.docx`` -> ``report.fr.docx`` (or another extension)."""
    path = PurePath(source_name)
    return f"{path.stem}.{target_lang}{extension or path.suffix or '.docx'}"


#: our own output keeps the source's structure, but its text may outgrow the parser's
#: 10 MB text-node bound (a very long paragraph, expanded by translation)
OWN_OUTPUT = Limits(huge_text=True)


#: comparisons tried before a difference is judged the document's own: a segment
#: restored never breaks another, so one round of restoring is all a job should need
ROUNDS = 3
_SENTENCE_RE = re.compile(r"\.s\d+$")


def fidelity_payload(report: FidelityReport, restored: dict[str, str]) -> dict[str, Any]:
    return {
        "clean": report.clean,
        "summary": report.summary(),
        **asdict(report),
        "restored": restored,
    }


def reassemble_job(job: Job) -> None:
    """Write, check and store the translated document (the delivery)."""
    source = working_copy(job)
    document = open_for_reassembly(job, source)
    # Only what changed: a unit absent from targets keeps its source anyway.
    changed = job.segments.exclude(target=F("source")).values_list("unit_id", "target")
    targets = dict(changed)
    output, report, restored = checked_output(document, source, targets, job.target_lang)
    store_json(
        job, ArtifactKind.FIDELITY_REPORT, "fidelity.json", fidelity_payload(report, restored)
    )
    summary: dict[str, object] = {"clean": report.clean, "differences": len(report.differences)}
    if restored:
        summary["restored"] = len(restored)
    Job.objects.filter(pk=job.pk).update(fidelity=summary)
    flag_restored(job, restored)
    if not report.clean:
        shown = "; ".join(report.differences[:3])
        raise FidelityError(f"the translated document lost structure: {shown}")
    name = delivery_name(job.source_name, job.target_lang, EXTENSION[delivery_format(job)])
    store_artifact(job, ArtifactKind.DELIVERY, name, in_delivery_format(job, output))
    add_candidates(job)  # the job's translations, for the memory (iris/memory/service.py)


def checked_output(
    document: Document, source: bytes, targets: dict[str, str], target_lang: str
) -> tuple[bytes, FidelityReport, dict[str, str]]:
    """The translated document, its comparison with the source, and the units put back
    in the source (id -> the difference that cost them; ``targets`` loses them).

    The comparison names the paragraph of each difference it finds in one; that
    paragraph's translated units get their source back and the document is written
    again. What remains after that (a part or a count no paragraph explains) is
    reported as the document's own difference.
    """
    restored: dict[str, str] = {}
    for _ in range(ROUNDS):
        output = document.apply(targets, target_lang)
        report = compare(source, output, target_limits=OWN_OUTPUT)
        broken = _broken_units(report, targets)
        if not broken:
            break
        for unit_id, difference in broken.items():
            restored[unit_id] = difference
            del targets[unit_id]  # absent: the unit keeps its source
    return output, report, restored


def _broken_units(report: FidelityReport, targets: dict[str, str]) -> dict[str, str]:
    """Unit id -> difference, for the units in ``targets`` of each paragraph a
    difference names (``word/document.xml#p3: …`` names units ``…#p3.s0``, ``.s1``…)."""
    named: dict[str, str] = {}
    for difference in report.differences:
        named.setdefault(difference.partition(": ")[0], difference)
    return {
        unit_id: named[paragraph]
        for unit_id in targets
        if (paragraph := _SENTENCE_RE.sub("", unit_id)) in named
    }


def flag_restored(job: Job, restored: dict[str, str]) -> None:
    """A QA error on each segment delivered in the source (replacing an earlier run's
    finding), which also keeps its translation out of the memory."""
    if not restored:
        return
    rows = job.segments.filter(unit_id__in=list(restored)).values_list("pk", "unit_id", "qa_issues")
    updated = []
    for pk, unit_id, issues in rows:
        message = (
            f"delivered in the source: the translation changed the document ({restored[unit_id]})"
        )
        finding = Issue("fidelity", Severity.ERROR, message).as_dict()
        kept = [issue for issue in issues or () if issue["check"] != "fidelity"]
        updated.append((pk, QaStatus.ERROR, [*kept, finding]))
    update_values(Segment, ("qa_status", "qa_issues"), updated)


def discard_delivery(job_id: int) -> None:
    """Remove a delivery written for a job that was cancelled meanwhile (its row stays
    as a tombstone; the object goes on commit)."""
    with transaction.atomic():
        for delivered in Job.objects.get(pk=job_id).artifacts.filter(kind=ArtifactKind.DELIVERY):
            delete_artifact(delivered, SYSTEM_ACTOR, JOB_CANCELLED)
        discard_candidates(job_id)
