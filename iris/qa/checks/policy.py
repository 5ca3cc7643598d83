"""Which checks a job runs, and how severe their findings are: a job's QA option, read
and validated at submission.

The option is None (every check), a list of check ids (only those run), or a mapping::

    {"enable": ["numbers", "tags"], "disable": ["length"], "severity": {"language": "error"}}

``enable`` lists the checks to run (default: every check), ``disable`` takes some away,
``severity`` sets the severity of a check's issues (a pipeline that retranslates on
errors can make a warning worth a retry). Unknown ids and keys raise errors that name
the known ones: a typo fails the submission instead of silently running everything.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from iris.qa.checks.base import JOB_REGISTRY, REGISTRY, Issue, Severity

_KEYS = ("enable", "disable", "severity")


class QaPolicyError(ValueError):
    """A job's QA option cannot be used."""


class UnknownCheckError(QaPolicyError):
    """A QA option names a check that does not exist."""


def known_checks() -> frozenset[str]:
    """Every check id: segment checks and job checks."""
    return frozenset(REGISTRY) | frozenset(JOB_REGISTRY)


@dataclass(frozen=True)
class QaPolicy:
    """The checks a job runs and the severities it changes."""

    enabled: frozenset[str]
    severities: Mapping[str, Severity] = field(default_factory=dict)

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any] | Iterable[str] | None) -> QaPolicy:
        if spec is None:
            return cls(known_checks())
        if isinstance(spec, Mapping):
            return cls._from_mapping(spec)
        return cls(_ids(spec, "the list of checks"))

    @classmethod
    def _from_mapping(cls, spec: Mapping[str, Any]) -> QaPolicy:
        unknown = sorted(set(spec) - set(_KEYS))
        if unknown:
            raise QaPolicyError(
                f"unknown QA option key {unknown[0]!r}; the keys are {', '.join(_KEYS)}"
            )
        enabled = _ids(spec["enable"], "enable") if "enable" in spec else known_checks()
        disabled = _ids(spec.get("disable", ()), "disable")
        return cls(enabled - disabled, _severities(spec.get("severity", {})))

    def apply(self, issues: Iterable[Issue]) -> list[Issue]:
        """``issues`` with this policy's severities."""
        if not self.severities:
            return list(issues)
        return [
            replace(issue, severity=self.severities[issue.check])
            if issue.check in self.severities
            else issue
            for issue in issues
        ]


def resolve_checks(spec: Mapping[str, Any] | Iterable[str] | None) -> frozenset[str]:
    """The ids of the checks a job with this QA option runs (see the module's
    docstring); raises `UnknownCheckError` or `QaPolicyError`."""
    return QaPolicy.from_spec(spec).enabled


def _ids(names: object, where: str) -> frozenset[str]:
    if isinstance(names, str | bytes) or not isinstance(names, Iterable):
        raise QaPolicyError(f"{where}: expected a list of check ids, not {names!r}")
    names = list(names)
    known = known_checks()
    for name in names:
        if name not in known:
            raise UnknownCheckError(_unknown(name, known))
    return frozenset(names)


def _unknown(name: object, known: frozenset[str]) -> str:
    close = difflib.get_close_matches(str(name), known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown QA check {name!r}{hint}; the checks are {', '.join(sorted(known))}"


def _severities(spec: object) -> dict[str, Severity]:
    if not isinstance(spec, Mapping):
        raise QaPolicyError(f"severity: expected a mapping of check id to severity, not {spec!r}")
    known = known_checks()
    severities = {}
    for name, severity in spec.items():
        if name not in known:
            raise UnknownCheckError(_unknown(name, known))
        if severity not in set(Severity):
            choices = ", ".join(Severity)
            raise QaPolicyError(f"severity of {name!r}: {severity!r} is not one of {choices}")
        severities[name] = Severity(severity)
    return severities
