"""The registries: every module of the checks folder is found without an import
elsewhere, and ids are unique identifiers."""

from __future__ import annotations

import pkgutil

import pytest

import iris.qa.checks as checks
from iris.qa.checks import JOB_REGISTRY, REGISTRY, register, register_job


def test_every_module_of_the_folder_is_imported_by_the_package() -> None:
    modules = {
        f"{checks.__name__}.{module.name}" for module in pkgutil.iter_modules(checks.__path__)
    }
    registered_in = {check.__module__ for check in [*REGISTRY.values(), *JOB_REGISTRY.values()]}
    assert registered_in <= modules
    assert registered_in >= {
        "iris.qa.checks.content",
        "iris.qa.checks.language",
        "iris.qa.checks.markup",
        "iris.qa.checks.numbers",
        "iris.qa.checks.terms",
        "iris.qa.checks.typography",
        "iris.qa.checks.consistency",
    }


@pytest.mark.parametrize("name", ["tags", "inconsistency", "not an id"])
def test_an_id_is_registered_once_and_is_an_identifier(name: str) -> None:
    with pytest.raises(ValueError, match="check"):
        register(name)(REGISTRY["empty"])
    with pytest.raises(ValueError, match="check"):
        register_job(name)(JOB_REGISTRY["inconsistency"])
