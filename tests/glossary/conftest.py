"""Glossary fixtures: the backend contract runs on every backend; the OpenSearch half
needs a server (``IRIS_TEST_OPENSEARCH_URL``) and, without one, is reported as not run
in the summary: skipped, never counted as passed."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from iris.glossary.backends import DatabaseBackend, GlossaryBackend, OpenSearchBackend

OPENSEARCH_URL = os.environ.get("IRIS_TEST_OPENSEARCH_URL", "")
_NOT_RUN: list[str] = []


@pytest.fixture(params=["database", "opensearch"])
def glossary_backend(request: pytest.FixtureRequest) -> Iterator[GlossaryBackend]:
    """Each backend in turn (the contract suite's parameter)."""
    if request.param == "database":
        yield DatabaseBackend()
        return
    if not OPENSEARCH_URL:
        _NOT_RUN.append(request.node.nodeid)
        pytest.skip("OpenSearch backend NOT RUN: set IRIS_TEST_OPENSEARCH_URL to a server")
    store = OpenSearchBackend(OPENSEARCH_URL, prefix=f"iris-glossary-test-{uuid.uuid4().hex[:8]}")
    try:
        yield store
    finally:
        store.client.indices.delete(index=f"{store.prefix}.*", allow_no_indices=True)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _NOT_RUN:
        return
    terminalreporter.section("glossary: OpenSearch backend")
    terminalreporter.write_line(
        f"NOT RUN: {len(_NOT_RUN)} OpenSearch contract tests were skipped, not passed "
        "(set IRIS_TEST_OPENSEARCH_URL to an OpenSearch server to run them)"
    )
