"""Every test here runs the real Apertium: a machine without it fails them, saying what
to install (a skipped engine test would be a feature nobody checked)."""

from __future__ import annotations

import shutil

import pytest

from iris.engines.apertium import mode_for


@pytest.fixture(autouse=True)
def _apertium_installed() -> None:
    if shutil.which("apertium") is None or mode_for("en", "es") is None:
        pytest.fail(
            "Apertium with its English-Spanish pair is not installed and this test needs "
            "it: apt-get install -y apertium apertium-eng-spa (scripts/system-deps.sh)"
        )
