"""Identity round trip on every corpus file: applying each unit's own source and
rebuilding every paragraph reproduces the normalised input exactly (C14N), and every
other zip entry byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from iris.docx.verification.check import identity_differences
from tests.docx.conftest import corpus_params, record, require_corpus


@pytest.mark.parametrize("path", corpus_params())
def test_identity_round_trip_is_exact(path: Path | None) -> None:
    document = require_corpus(path)
    differences = identity_differences(document.read_bytes())
    record(document, "identity", "ok" if not differences else f"differs: {differences}")
    assert differences == []
