"""Engines are loaded by name from the dotted paths in ``settings.IRIS_ENGINES``."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from iris.engines.base import Engine


class UnknownEngineError(ValueError):
    """No engine of that name is configured."""


@cache
def _engines(paths: tuple[str, ...]) -> dict[str, type[Engine]]:
    found: dict[str, type[Engine]] = {}
    for path in paths:
        try:
            engine = import_string(path)
        except ImportError as exc:
            raise ImportError(f"cannot load {path!r} ({exc})") from exc
        if not (isinstance(engine, type) and issubclass(engine, Engine) and engine.name):
            raise TypeError(f"{path} is not a named Engine subclass")
        found[engine.name] = engine
    return found


def engine_names() -> list[str]:
    """Names of the configured engines, as users type them."""
    return sorted(_engines(tuple(settings.IRIS_ENGINES)))


def engine_class(name: str) -> type[Engine]:
    engines = _engines(tuple(settings.IRIS_ENGINES))
    if name not in engines:
        raise UnknownEngineError(f"unknown engine {name!r} ({_choices(engines)})")
    return engines[name]


def _choices(engines: Mapping[str, type[Engine]]) -> str:
    """The engines a user may choose, those this installation lacks a setting for
    apart, each with what it lacks."""
    ready, lacking = [], []
    for name, engine in sorted(engines.items()):
        problem = engine.configuration_problem()
        if problem is None:
            ready.append(name)
        else:
            lacking.append(f"{name} ({problem})")
    text = f"configured: {', '.join(ready) or 'none'}"
    return f"{text}; not set up: {', '.join(lacking)}" if lacking else text


def get_engine(name: str, options: Mapping[str, Any] | None = None) -> Engine:
    """An engine instance configured with ``options``."""
    return engine_class(name)(options)
