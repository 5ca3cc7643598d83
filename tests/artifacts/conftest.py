"""Artifact tests run on each backend: a private local folder, or the S3 server's
bucket (both fixtures in tests/s3.py)."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["local", "s3"])
def backend(request: pytest.FixtureRequest) -> str:
    """Run the test on each storage backend (named by IRIS_STORAGE_BACKEND)."""
    request.getfixturevalue("local_storage" if request.param == "local" else "s3_storage")
    return str(request.param)
