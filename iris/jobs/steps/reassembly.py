"""Step ``docx_reassemble``: targets go back into the document, which is delivered
only when the fidelity comparison with the source is clean (and, when the user asked
to keep the source's format, converted back to it). A difference the comparison finds
in a paragraph costs only the segments it comes from (see `checked_output`): they are
delivered in the source, flagged on the segment and counted on the job, and the rest
of the document keeps its translation; the job fails only for a difference no segment
explains. The delivered job's
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
from iris.docx import (
    Document,
    FidelityReport,
    Leftover,
    Limits,
    PolicyChanges,
    compare,
    find_leftovers,
)
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


#: Word templates stay templates: their main part keeps the template content type,
#: which Word does not open under a .docx name (a .dotm loses its macros: .dotx)
_TEMPLATE_SUFFIXES = frozenset({".dotx", ".dotm"})


def delivery_name(source_name: str, target_lang: str, extension: str = "") -> str:
    """``report.docx`` -> ``report.fr.docx`` (or another extension); a template
    (``letter.dotx``) is delivered as one (``letter.fr.dotx``)."""
    path = PurePath(source_name)
    if extension == ".docx" and path.suffix.lower() in _TEMPLATE_SUFFIXES:
        extension = ".dotx"
    return f"{path.stem}.{target_lang}{extension or path.suffix or '.docx'}"


#: our own output keeps the source's structure, but its text may outgrow the parser's
#: 10 MB text-node bound (a very long paragraph, expanded by translation)
OWN_OUTPUT = Limits(huge_text=True)


#: sentences of one paragraph put back one by one to find those a fidelity difference
#: comes from; the rest of a longer paragraph is delivered in the source untried
TRIALS = 8
_SENTENCE_RE = re.compile(r"\.s\d+$")
# paragraph -> the first difference named in it
Named = dict[str, str]


#: stretches of unchanged source text fidelity.json lists (the count is whole)
LISTED_UNCHANGED = 200


def fidelity_payload(
    report: FidelityReport,
    restored: dict[str, str],
    unchanged: list[Leftover],
    policy: PolicyChanges,
) -> dict[str, Any]:
    """What fidelity.json holds. ``policy`` is what the extraction policy changed, which
    the comparison does not see (it reads the source as the policy left it)."""
    return {
        "clean": report.clean,
        "summary": report.summary(),
        **asdict(report),
        "restored": restored,
        "unchanged_count": len(unchanged),
        "unchanged": [str(leftover) for leftover in unchanged[:LISTED_UNCHANGED]],
        "policy": policy.as_json(),
        "bindings_left": policy.bindings_left,
    }


def reassemble_job(job: Job) -> None:
    """Write, check and store the translated document (the delivery)."""
    source = working_copy(job)
    document = open_for_reassembly(job, source)
    # Only what changed: a unit absent from targets keeps its source anyway.
    changed = job.segments.exclude(target=F("source")).values_list("unit_id", "target")
    targets = dict(changed)
    output, report, restored = checked_output(document, source, targets, job.target_lang)
    # Coverage by a ruler that shares nothing with extraction: printed source text found
    # unchanged in the output (names and codes, or text the extractor wrongly skipped).
    unchanged = find_leftovers(source, output, document.policy)
    changes = document.policy_changes()  # of the last apply: the delivered output
    payload = fidelity_payload(report, restored, unchanged, changes)
    store_json(job, ArtifactKind.FIDELITY_REPORT, "fidelity.json", payload)
    summary: dict[str, object] = {"clean": report.clean, "differences": len(report.differences)}
    if restored:
        summary["restored"] = len(restored)
    if unchanged:
        summary["unchanged"] = len(unchanged)
    if payload["policy"]:
        summary["policy"] = payload["policy"]
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
    """The translated document, its comparison with the source, and the units delivered
    in the source (id -> the difference that cost them).

    The comparison names the paragraph of each difference found in one. A paragraph
    with one translated unit gets that unit's source back; in a longer one the units
    are put back one by one (one more per paragraph each round, every paragraph at
    once), and each unit whose return brings the difference back gets its source. What
    remains at the end (a part or a count no paragraph explains) is the document's own.
    """
    output, report = _written(document, source, targets, target_lang)
    suspects = _suspects(_named_paragraphs(report), targets)
    if not suspects:
        return output, report, {}
    restored = {units[0]: found for found, units in suspects.values() if len(units) == 1}
    longer = {paragraph: units for paragraph, (_, units) in suspects.items() if len(units) > 1}
    for step in range(TRIALS):
        trying = {
            paragraph: units[step] for paragraph, units in longer.items() if step < len(units)
        }
        if not trying:
            break
        untried = {unit for units in longer.values() for unit in units[step + 1 :]}
        trial = {u: t for u, t in targets.items() if u not in restored and u not in untried}
        broken = _named_paragraphs(_written(document, source, trial, target_lang)[1])
        restored |= {unit: broken[p] for p, unit in trying.items() if p in broken}
    for paragraph, units in longer.items():
        restored |= dict.fromkeys(units[TRIALS:], suspects[paragraph][0])
    kept = {u: t for u, t in targets.items() if u not in restored}
    output, report = _written(document, source, kept, target_lang)
    return output, report, restored


def _written(
    document: Document, source: bytes, targets: dict[str, str], target_lang: str
) -> tuple[bytes, FidelityReport]:
    output = document.apply(targets, target_lang)
    return output, compare(source, output, policy=document.policy, target_limits=OWN_OUTPUT)


def _named_paragraphs(report: FidelityReport) -> Named:
    """The paragraphs the report's differences name (``word/document.xml#p3: …``)."""
    named: Named = {}
    for difference in report.differences:
        named.setdefault(difference.partition(": ")[0], difference)
    return named


def _suspects(named: Named, targets: dict[str, str]) -> dict[str, tuple[str, list[str]]]:
    """Paragraph -> its difference and its translated units (``…#p3.s0``, ``.s1``…),
    for each named paragraph with a unit in ``targets``."""
    found: dict[str, tuple[str, list[str]]] = {}
    for unit_id in targets:
        paragraph = _SENTENCE_RE.sub("", unit_id)
        if paragraph in named:
            found.setdefault(paragraph, (named[paragraph], []))[1].append(unit_id)
    return found


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
