"""A job's extraction policy: which kinds of text its document gives to translation.

The user names switches of :class:`iris.docx.Policy` (API: ``policy.extraction``, a
JSON object; CLI: ``--policy KEY=VALUE``); the request is refused at once for an
unknown switch or a bad value. The job records every switch as applied, its defaults
included, so that what a job extracted stays known when the defaults change, and its
extraction, estimate and reassembly all open the document with that same policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from iris.docx import Policy, policy_from_options


def _option_text(value: Any) -> str:
    """A JSON value as the docx library's option text: true/false, a comma list."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | set | frozenset):
        return ",".join(str(item) for item in value)
    return str(value)


def requested_policy(options: Mapping[str, Any] | None) -> Policy:
    """The policy ``options`` ask for, the other switches at their defaults; ValueError
    names an unknown switch or a bad value."""
    return policy_from_options({key: _option_text(v) for key, v in (options or {}).items()})


def job_policy(recorded: Mapping[str, Any]) -> Policy:
    """The policy a job recorded (a job from before policies were recorded: the
    defaults; a switch a later version no longer has is left out)."""
    known = {switch.name for switch in fields(Policy)}
    return requested_policy({key: value for key, value in recorded.items() if key in known})
