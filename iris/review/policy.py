"""A job's review policy: how much must be reviewed before the document is delivered.

Pure data (no Django), validated where a job is requested, stored on the job as JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any


class ReviewPolicyError(ValueError):
    """A review policy option that is unknown or out of range (one sentence)."""


@dataclass(frozen=True)
class ReviewPolicy:
    """The review gate of a job that requires review.

    * ``segments`` / ``words``: the share (0–100 %) of translatable segments and of their
      words that must be reviewed (state reviewed or final) before delivery.
    * ``auto_deliver``: deliver as soon as the gate is met (after an import or an edit);
      otherwise the job waits for a manager's "deliver now" even when it is met.

    Whatever the shares, every QA error must be resolved (the segment fixed) or waived
    with a reason first. A manager's "deliver now" releases the gate regardless, and
    the audit log records it with its reason.
    """

    segments: int = 100
    words: int = 100
    auto_deliver: bool = True

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> ReviewPolicy:
        """The policy of ``data`` (a job's stored policy or a request's options); keys
        not given keep their defaults. Raises `ReviewPolicyError`."""
        values: dict[str, Any] = {}
        for key, value in (data or {}).items():
            if key in ("segments", "words"):
                values[key] = _share(key, value)
            elif key == "auto_deliver":
                if not isinstance(value, bool):
                    raise ReviewPolicyError(f"Review option {key!r} takes true or false.")
                values[key] = value
            else:
                raise ReviewPolicyError(
                    f"Unknown review option {key!r}; the options are segments, words and "
                    "auto_deliver."
                )
        return cls(**values)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _share(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise ReviewPolicyError(f"Review option {key!r} takes a percentage from 0 to 100.")
    if value != int(value):
        raise ReviewPolicyError(f"Review option {key!r} takes a whole percentage.")
    return int(value)
