"""Judging a reviewer's file against the job: all or nothing, with a report.

`judge` reads nothing from the database: it compares what was read from the file
(`iris.review.package.ReadPackage`) with the job's segments as they are now and
returns the changes to make and every problem that forbids making them. The import
action (`iris.review.actions.run_import`) applies the changes only when there is no
problem, inside one transaction.

Rules, in the order a reviewer meets them:

* The file must answer this job: its job id, and its source and target languages,
  must be the job's. A package id no export of the job made is only a warning (exports may have
  expired); a package of another job is an error.
* Every unit id must name a segment of the job (``s<order>``), once.
* A target whose tags are broken (missing, extra, crossed) is refused, with the
  repaired target offered in the report; with the ``repair`` option the repaired
  target is taken instead.
* A segment whose target was changed in Iris since the export (its fingerprint no
  longer matches the one in the file) and that the reviewer changed too is a conflict:
  both texts are listed and neither is taken, unless the ``conflicts`` option says
  which side wins ("package" or "iris"). When only Iris changed it, Iris's text stays,
  and so do its review state, reviewer and comment: the unit changes nothing (the
  file's state and comment were given to the text Iris has since replaced).
* A unit without a target changes no text. A changed target counts as reviewed even
  when the file still says "translated": editing it in a review package is reviewing.
* A unit whose text the file leaves as it is in Iris takes the file's state only when
  the reviewer changed it: the file's state differs from the state the export wrote
  (``iris:baseState`` in XLIFF, the hidden ``state=`` in the bilingual DOCX). Left as
  exported, the state Iris has now stays, so that a later import of another copy of
  the same export does not take back (or raise) what was decided in Iris since. A file
  that does not record the exported state (an older package) gives its state as is.
* What a reader changed while reading (hidden text dropped, paragraphs joined) is a
  warning naming the unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from iris.docx import TagError, repair_tags, validate_tags
from iris.review.package import ReadPackage, ReadUnit, ReviewState, target_fingerprint

ConflictChoice = Literal["", "package", "iris"]


@dataclass(frozen=True)
class SegmentNow:
    """What the judge needs of a segment row."""

    order: int
    source: str
    target: str
    review_state: str
    review_comment: str


@dataclass(frozen=True)
class Problem:
    """One reason the import is refused (``code``: wrong_job, wrong_language,
    unknown_id, duplicate_id, unreadable, broken_tags, conflict) or, for warnings,
    worth knowing (unknown_package, no_fingerprint, kept_iris_edit, and the readers'
    `iris.review.package.ReadNotice` codes: paragraphs_joined, hidden_text_dropped)."""

    code: str
    message: str
    unit: str = ""
    #: broken_tags: the repaired target offered; conflict: {"iris": …, "package": …}
    offer: Any = None


@dataclass(frozen=True)
class Change:
    """What an import does to one segment: its new target (None: unchanged), review
    state and comment."""

    order: int
    target: str | None
    state: ReviewState
    comment: str
    repaired: bool = False


@dataclass
class ImportReport:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    units_read: int = 0

    @property
    def accepted(self) -> bool:
        return not self.errors

    def as_json(self) -> dict[str, Any]:
        changed = [c for c in self.changes if c.target is not None]
        return {
            "accepted": self.accepted,
            "units_read": self.units_read,
            "segments_changed": len(self.changes),
            "targets_edited": len(changed),
            "targets_repaired": sum(1 for c in changed if c.repaired),
            "errors": [asdict(p) for p in self.errors],
            "warnings": [asdict(p) for p in self.warnings],
        }


@dataclass(frozen=True)
class JobFacts:
    uuid: str
    target_lang: str
    packages: frozenset[str]
    #: empty: not checked (a job whose source language is still "auto")
    source_lang: str = ""


def judge(
    read: ReadPackage,
    job: JobFacts,
    segments: Mapping[int, SegmentNow],
    *,
    repair: bool = False,
    conflicts: ConflictChoice = "",
) -> ImportReport:
    """The changes ``read`` makes to ``segments`` and every problem (see the module)."""
    report = ImportReport(units_read=len(read.units))
    _check_header(read, job, report)
    seen: set[int] = set()
    for unit in read.units:
        segment = _segment_of(unit, segments, seen, report)
        if segment is None:
            continue
        report.warnings += [Problem(n.code, n.message, unit.raw_id) for n in unit.notices]
        change = _change(unit, segment, report, repair, conflicts)
        if change is not None:
            report.changes.append(change)
    return report


def _check_header(read: ReadPackage, job: JobFacts, report: ImportReport) -> None:
    if read.job is not None and read.job != job.uuid:
        report.errors.append(
            Problem("wrong_job", f"This package belongs to job {read.job}, not to job {job.uuid}.")
        )
    elif read.job is None:
        report.errors.append(Problem("wrong_job", "The file does not say which job it belongs to."))
    if _differ(read.source_lang, job.source_lang):
        report.errors.append(
            Problem(
                "wrong_language",
                f"The file's source language is {read.source_lang}; this job translates "
                f"from {job.source_lang}.",
            )
        )
    if read.target_lang and read.target_lang.lower() != job.target_lang.lower():
        report.errors.append(
            Problem(
                "wrong_language",
                f"The file's target language is {read.target_lang}; this job translates "
                f"into {job.target_lang}.",
            )
        )
    if read.package is not None and read.package not in job.packages:
        report.warnings.append(
            Problem(
                "unknown_package",
                f"No export of this job made package {read.package} (it may have expired).",
            )
        )


def _differ(in_file: str | None, in_job: str) -> bool:
    known = in_job and in_job.lower() != "auto"
    return bool(in_file and known and in_file.lower() != in_job.lower())


def _segment_of(
    unit: ReadUnit, segments: Mapping[int, SegmentNow], seen: set[int], report: ImportReport
) -> SegmentNow | None:
    if unit.key is None or unit.key not in segments:
        report.errors.append(
            Problem(
                "unknown_id", f"Unit {unit.raw_id!r} is not a segment of this job.", unit.raw_id
            )
        )
        return None
    if unit.key in seen:
        report.errors.append(
            Problem("duplicate_id", f"Unit {unit.raw_id!r} appears more than once.", unit.raw_id)
        )
        return None
    seen.add(unit.key)
    if unit.problem:
        report.errors.append(Problem("unreadable", unit.problem, unit.raw_id))
        return None
    return segments[unit.key]


def _change(
    unit: ReadUnit,
    segment: SegmentNow,
    report: ImportReport,
    repair: bool,
    conflicts: ConflictChoice,
) -> Change | None:
    target, repaired = _checked_target(unit, segment, report, repair)
    if unit.target is not None and target is None:
        return None  # broken tags, reported
    if target is not None:
        target = _resolved(unit, segment, target, report, conflicts)
        if target is _REFUSED or target is _KEPT_IRIS_EDIT:
            return None
    edited = target is not None and target != segment.target
    state = _state(unit, segment, edited)
    comment = unit.comment
    if (
        not edited
        and state == (segment.review_state or _unreviewed(segment))
        and (comment == segment.review_comment)
    ):
        return None
    return Change(segment.order, target if edited else None, state, comment, repaired and edited)


_REFUSED = "\x00refused"
_KEPT_IRIS_EDIT = "\x00kept"


def _checked_target(
    unit: ReadUnit, segment: SegmentNow, report: ImportReport, repair: bool
) -> tuple[str | None, bool]:
    if unit.target is None:
        return None, False
    try:
        issues = validate_tags(segment.source, unit.target)
    except TagError as error:  # the source itself: never a reviewer's doing
        report.errors.append(Problem("broken_tags", str(error), unit.raw_id))
        return None, False
    if not issues:
        return unit.target, False
    fixed = repair_tags(segment.source, unit.target)
    if repair:
        return fixed, True
    detail = "; ".join(issue.message for issue in issues)
    report.errors.append(
        Problem(
            "broken_tags",
            f"The target's tags do not match the source's ({detail}).",
            unit.raw_id,
            offer=fixed,
        )
    )
    return None, False


def _resolved(
    unit: ReadUnit,
    segment: SegmentNow,
    target: str,
    report: ImportReport,
    conflicts: ConflictChoice,
) -> str | None:
    """The target to take, None to keep Iris's text (conflicts=iris), `_KEPT_IRIS_EDIT`
    to keep Iris's text, state and comment, `_REFUSED` for an unresolved conflict."""
    if target == segment.target:
        return target
    if unit.base is None:
        report.warnings.append(
            Problem(
                "no_fingerprint",
                "The file has no export fingerprint for this unit: a change made in Iris "
                "since the export cannot be detected.",
                unit.raw_id,
            )
        )
        return target
    if unit.base == target_fingerprint(segment.target):
        return target  # Iris did not change it since the export
    if target_fingerprint(target) == unit.base:
        report.warnings.append(
            Problem(
                "kept_iris_edit",
                "Changed in Iris since the export and not in the file: Iris's text, "
                "review state and comment stay.",
                unit.raw_id,
            )
        )
        return _KEPT_IRIS_EDIT
    if conflicts == "package":
        return target
    if conflicts == "iris":
        return None
    report.errors.append(
        Problem(
            "conflict",
            "Changed both in Iris since the export and in the file; import again choosing "
            "which side wins (conflicts=package or conflicts=iris).",
            unit.raw_id,
            offer={"iris": segment.target, "package": target},
        )
    )
    return _REFUSED


def _unreviewed(segment: SegmentNow) -> ReviewState:
    return ReviewState.TRANSLATED if segment.target else ReviewState.INITIAL


def _state(unit: ReadUnit, segment: SegmentNow, edited: bool) -> ReviewState:
    now = ReviewState(segment.review_state or _unreviewed(segment))
    if edited:
        state = unit.state or now
        return ReviewState.REVIEWED if state in _UNREVIEWED else state
    if unit.state is None or unit.state == unit.base_state:
        return now  # left as exported: what Iris decided since stays
    return unit.state


_UNREVIEWED = (ReviewState.INITIAL, ReviewState.TRANSLATED)
