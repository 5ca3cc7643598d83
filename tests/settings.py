"""Settings for the test run: the real settings module, with test-only defaults.

Only defaults are set here, so the services configuration (PostgreSQL, broker) still
comes from the IRIS_* variables the test command exports.
"""

from __future__ import annotations

import os
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("IRIS_SECRET_KEY", "tests-only-secret-key-never-used-in-production")
os.environ.setdefault("IRIS_VAR_DIR", str(_ROOT / "var" / "test"))

from iris.settings import *  # noqa: E402,F403

# Engines that only tests use (a flaky one for retry tests).
IRIS_ENGINES = [*IRIS_ENGINES, "tests.engines.FailOnceEngine", "tests.engines.TransientOnceEngine"]  # noqa: F405
