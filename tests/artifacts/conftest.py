"""Storage for artifact tests: a private local folder, or the S3 server's bucket."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage


@pytest.fixture
def local_storage(settings: Any, tmp_path: Path) -> Path:
    """Artifacts in a folder of this test's own (the shared one holds other tests')."""
    location = tmp_path / "artifacts"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }
    settings.IRIS_STORAGE_BACKEND = "local"
    assert getattr(default_storage, "location", None) == str(location)
    return location


@pytest.fixture(params=["local", "s3"])
def backend(request: pytest.FixtureRequest) -> str:
    """Run the test on each storage backend (named by IRIS_STORAGE_BACKEND)."""
    request.getfixturevalue("local_storage" if request.param == "local" else "s3_storage")
    return str(request.param)
