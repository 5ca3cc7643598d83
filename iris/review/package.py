"""The review package: what an export writes and what an import reads back, whatever the
file format (XLIFF 2.1 in `iris.review.xliff`, bilingual DOCX in `iris.review.bilingual`).

No Django here: the formats are pure functions between these dataclasses and bytes, so
they are tested on their own and the importer (`iris.review.importer`) judges what was
read against the job's rows.

Texts are Iris tagged text (`iris.docx.text.tags`: ``<g1>…</g1>`` pairs, ``<x2/>``
standalones, ``&amp;``/``&lt;``/``&gt;`` escapes). A unit's ``key`` is the segment's
order in its job (``s12`` in a file); its ``name`` is the document unit id, shown to
reviewers and never trusted on import.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum


class ReviewState(StrEnum):
    """A segment's review state, as XLIFF 2 names it (``<segment state=…>``)."""

    INITIAL = "initial"  # no target yet
    TRANSLATED = "translated"  # machine or memory output, not reviewed
    REVIEWED = "reviewed"  # a reviewer confirmed or edited it
    FINAL = "final"  # signed off


#: states that count as reviewed for coverage
REVIEWED_STATES = frozenset({ReviewState.REVIEWED, ReviewState.FINAL})


class PackageError(ValueError):
    """The file is not a review package Iris can read (not XLIFF 2 / not a bilingual
    DOCX written by Iris, malformed XML, invalid against the schema, no Iris header).
    The message is one sentence a reviewer can act on."""


@dataclass(frozen=True)
class Note:
    """Something Iris tells the reviewer about a unit: a QA finding (``category`` "qa",
    ``priority`` 1 for an error, 5 for a warning), a memory match ("tm", the score in the
    text) or a glossary term ("term"). Exported read-only; never read back."""

    category: str
    text: str
    priority: int = 5


@dataclass(frozen=True)
class ReviewUnit:
    """One segment as exported."""

    key: int
    name: str
    source: str
    target: str
    state: ReviewState
    notes: tuple[Note, ...] = ()
    comment: str = ""

    @property
    def base(self) -> str:
        """Fingerprint of the target as exported: an import compares it with the row's
        target to see whether the segment was edited in Iris meanwhile."""
        return target_fingerprint(self.target)


@dataclass(frozen=True)
class ReviewPackage:
    """Everything an export writes. ``job`` is the job's uuid, ``package`` the export's
    own uuid (an import names the export it answers)."""

    job: str
    package: str
    source_lang: str
    target_lang: str
    original: str
    units: list[ReviewUnit] = field(default_factory=list)


@dataclass(frozen=True)
class ReadNotice:
    """Something a reader changed while reading a unit, worth a warning in the import
    report (``code``: paragraphs_joined, hidden_text_dropped)."""

    code: str
    message: str


@dataclass(frozen=True)
class ReadUnit:
    """One unit as read back from a reviewer's file.

    ``key`` is None when the file's unit id is not ``s<number>``; ``target`` is the
    tagged target as the reviewer left it (None when the file has no target for the
    unit); ``problem`` says what could not be read (an unknown inline element, a marker
    without a number…): the importer reports it and, all or nothing, applies nothing.
    ``base`` is the fingerprint written at export (None when absent), ``state`` the
    state as written (None when absent or not one of `ReviewState`, then ``problem``
    says so), ``base_state`` the state the export wrote (None when the file does not
    record it: a package from an older Iris, or a tool that dropped it), so that the
    importer tells a state the reviewer changed from one left as exported.
    ``notices`` are what the reader changed while reading (warnings, not problems).
    """

    key: int | None
    raw_id: str
    target: str | None
    state: ReviewState | None
    base: str | None
    comment: str = ""
    problem: str | None = None
    base_state: ReviewState | None = None
    notices: tuple[ReadNotice, ...] = ()


@dataclass(frozen=True)
class ReadPackage:
    """A reviewer's file as read: the header's job and package ids (None when missing)
    and every unit in file order (duplicates kept: the importer reports them)."""

    job: str | None
    package: str | None
    source_lang: str | None
    target_lang: str | None
    units: list[ReadUnit] = field(default_factory=list)


def target_fingerprint(target: str) -> str:
    """A short, stable fingerprint of a tagged target (16 hex digits of SHA-256)."""
    return hashlib.sha256(target.encode("utf-8")).hexdigest()[:16]


def review_state(value: str | None) -> ReviewState | None:
    """The state ``value`` names, None when it names none."""
    try:
        return ReviewState(value) if value is not None else None
    except ValueError:
        return None


def unit_name(key: int) -> str:
    """The id a unit has in a file: ``s<key>`` (an XML NMTOKEN, unlike document unit ids)."""
    return f"s{key}"


def unit_key(raw_id: str) -> int | None:
    """The key of a file's unit id, None when it is not ``s<number>``."""
    digits = raw_id[1:]
    if raw_id[:1] != "s" or not digits.isdigit() or (digits != "0" and digits[0] == "0"):
        return None
    return int(digits)
