"""System checks for contradictory settings; ids are stable (``iris.E0xx``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from iris.artifacts.models import ArtifactKind
from iris.ops.rates import PERIODS, allows_requests

#: The tag of Iris's own checks, so that a command can run just these before its work
#: (iris/cli/commands.py): ``compatibility`` also holds Django REST framework's
#: pagination check, which imports the whole API stack (0.1-0.2 s of every command)
#: for a warning about the API. ``manage.py check`` runs them all, as ever.
IRIS_CHECKS = "iris"


@register(Tags.compatibility, IRIS_CHECKS)
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Reject combinations of settings that cannot work together."""
    errors: list[CheckMessage] = []
    if settings.IRIS_ASYNC and not settings.IRIS_BROKER_URL:
        errors.append(
            Error(
                "IRIS_ASYNC is true but IRIS_BROKER_URL is empty.",
                hint="Set IRIS_BROKER_URL to redis://… or amqp://…, or set IRIS_ASYNC=false.",
                id="iris.E001",
            )
        )
    if settings.IRIS_STORAGE_BACKEND == "s3" and not settings.IRIS_S3_BUCKET:
        errors.append(
            Error(
                "IRIS_STORAGE_BACKEND is s3 but IRIS_S3_BUCKET is empty.",
                hint="Set IRIS_S3_BUCKET to the bucket artifacts are kept in "
                "(and IRIS_S3_ENDPOINT_URL for a service other than AWS).",
                id="iris.E002",
            )
        )
    if settings.IRIS_TASK_SOFT_TIME_LIMIT >= settings.IRIS_TASK_TIME_LIMIT:
        errors.append(
            Error(
                "IRIS_TASK_SOFT_TIME_LIMIT must be lower than IRIS_TASK_TIME_LIMIT.",
                hint="The soft limit lets a task clean up before the hard limit kills it.",
                id="iris.E003",
            )
        )
    if not settings.DEBUG and "*" in settings.ALLOWED_HOSTS:
        errors.append(
            Error(
                "IRIS_ALLOWED_HOSTS contains '*' while IRIS_DEBUG is off.",
                hint="List the host names Iris is served under.",
                id="iris.E004",
            )
        )
    if settings.IRIS_DB_PGBOUNCER and settings.DATABASES["default"]["ENGINE"] != (
        "django.db.backends.postgresql"
    ):
        errors.append(
            Error(
                "IRIS_DB_PGBOUNCER is true but IRIS_DATABASE_URL is not a PostgreSQL database.",
                hint="PgBouncer pools PostgreSQL connections only: point IRIS_DATABASE_URL "
                "at PgBouncer (postgres://…), or set IRIS_DB_PGBOUNCER=false.",
                id="iris.E007",
            )
        )
    errors.extend(_check_retention_kinds())
    errors.extend(_check_engines())
    errors.extend(_check_api_throttle())
    return errors


def _check_engines() -> list[CheckMessage]:
    """Every path of ``IRIS_ENGINES`` names an engine (checked at start, so that a typo
    is one line before any work, not an import error in the middle of a job)."""
    from iris.engines.registry import engine_names

    try:
        names = engine_names()
    except Exception as exc:  # ImportError, AttributeError, TypeError: all say the same
        return [
            Error(
                f"IRIS_ENGINES: {exc}",
                hint="Each entry is the dotted path of an Engine subclass, e.g. "
                "iris.engines.pseudo.PseudoEngine.",
                id="iris.E008",
            )
        ]
    return _check_default_engine(names)


def _check_default_engine(names: list[str]) -> list[CheckMessage]:
    """The engine of a job that names none is one users could name (otherwise every
    such job fails at its first engine call, after the document work)."""
    default = settings.IRIS_DEFAULT_ENGINE
    if default in names:
        return _check_default_set_up(default)
    return [
        Error(
            f"IRIS_DEFAULT_ENGINE is {default!r}, which is not an engine of IRIS_ENGINES "
            f"(configured: {', '.join(names)}).",
            hint="Set IRIS_DEFAULT_ENGINE to one of the configured engines, or add the "
            "engine's class to IRIS_ENGINES.",
            id="iris.E010",
        )
    ]


def _check_default_set_up(default: str) -> list[CheckMessage]:
    """A default engine that lacks its own settings (a model, a key) refuses every job
    that names no engine: said once here, not at each submission only."""
    from iris.engines.registry import engine_class

    problem = engine_class(default).not_set_up()
    if problem is None:
        return []
    return [
        Warning(
            f"IRIS_DEFAULT_ENGINE: {problem}; every job that names no engine is refused.",
            hint="Set what the engine needs, or choose another IRIS_DEFAULT_ENGINE.",
            id="iris.W011",
        )
    ]


def _check_api_throttle() -> list[CheckMessage]:
    """The setting's own rule (iris/ops/rates.py), for a value that did not come through
    the environment (a settings module of its own)."""
    rate = str(settings.IRIS_API_THROTTLE)
    if allows_requests(rate):
        return []
    return [
        Error(
            f"IRIS_API_THROTTLE is {rate!r}: it must allow 1 request or more a "
            f"{' / '.join(PERIODS)}.",
            hint="A rate like 600/minute: requests per token (per address without one). "
            "0 would refuse every API request with 429.",
            id="iris.E009",
        )
    ]


def _check_retention_kinds() -> list[CheckMessage]:
    unknown = sorted(set(settings.IRIS_RETENTION_DAYS_BY_KIND) - set(ArtifactKind.values))
    if not unknown:
        return []
    return [
        Error(
            f"IRIS_RETENTION_DAYS_BY_KIND names unknown artifact kinds: {', '.join(unknown)}.",
            hint=f"Artifact kinds are: {', '.join(ArtifactKind.values)}.",
            id="iris.E006",
        )
    ]
