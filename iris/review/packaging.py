"""A job's segments as a review package (`iris.review.package.ReviewPackage`): targets,
review states, comments, and what Iris knows that helps a reviewer as notes (QA
findings, the best memory match, glossary terms)."""

from __future__ import annotations

from typing import Any

from iris.docx import TagError, plain_text
from iris.jobs.models import Job, Origin, Segment
from iris.review.package import Note, ReviewPackage, ReviewState, ReviewUnit

_FIELDS = (
    "order",
    "unit_id",
    "source",
    "target",
    "review_state",
    "review_comment",
    "qa_issues",
    "qa_waiver",
    "tm_matches",
    "terms",
)


def review_package(job: Job, package_id: str) -> ReviewPackage:
    """Every translatable segment of ``job``, in document order."""
    rows = (
        Segment.objects.filter(job_id=job.pk)
        .exclude(origin=Origin.NOT_TRANSLATABLE)
        .order_by("order")
        .values_list(*_FIELDS)
    )
    units = [_unit(*row) for row in rows.iterator(chunk_size=2000)]
    return ReviewPackage(
        job=str(job.uuid),
        package=package_id,
        source_lang=job.source_lang,
        target_lang=job.target_lang,
        original=job.source_name,
        units=units,
    )


def _unit(
    order: int,
    unit_id: str,
    source: str,
    target: str,
    review_state: str,
    comment: str,
    qa_issues: list[dict[str, Any]],
    waiver: str,
    tm_matches: list[dict[str, Any]],
    terms: list[dict[str, Any]],
) -> ReviewUnit:
    state = ReviewState(review_state) if review_state else None
    if state is None:
        state = ReviewState.TRANSLATED if target else ReviewState.INITIAL
    notes = _qa_notes(qa_issues, waiver) + _match_notes(tm_matches) + _term_notes(terms)
    return ReviewUnit(order, unit_id, source, target, state, tuple(notes), comment)


def _qa_notes(issues: list[dict[str, Any]], waiver: str) -> list[Note]:
    notes = []
    for issue in issues:
        severity = issue.get("severity", "warning")
        text = f"QA {severity} ({issue.get('check', '')}): {issue.get('message', '')}"
        if severity == "error" and waiver:
            text += f" (waived: {waiver})"
        notes.append(Note("qa", text, 1 if severity == "error" else 5))
    return notes


def _match_notes(matches: list[dict[str, Any]]) -> list[Note]:
    """The best match's target as plain text: a note is text for a reviewer, not
    tagged text (whose ``&lt;`` would be escaped again by the file's XML)."""
    if not matches:
        return []
    best = matches[0]
    return [Note("tm", f"memory match {best.get('score')} %: {_plain(best.get('target', ''))}")]


def _plain(tagged: str) -> str:
    try:
        return plain_text(tagged)
    except TagError:  # a memory unit whose tags are damaged: shown as it is
        return tagged


def _term_notes(terms: list[dict[str, Any]]) -> list[Note]:
    """One note per term. The glossary gives a forbidden variant as its own term, its
    text in ``source`` and no target (`iris.glossary.service.to_engine_terms`): the
    entry's source term is not known here, so the note names the variant to avoid."""
    notes = []
    for term in terms:
        source, target = term.get("source", ""), term.get("target", "")
        if not term.get("forbidden"):
            text = f"term: {source} → {target}"
        elif target:
            text = f"term: {source} must not be translated as {target}"
        else:
            text = f'term: avoid "{source}" (forbidden)'
        notes.append(Note("term", text))
    return notes
