"""``IRIS_GLOSSARY_BACKEND`` picks the backend; OpenSearch without a URL is an error."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from iris.glossary.backends import DatabaseBackend, OpenSearchBackend, backend


def test_database_by_default() -> None:
    assert isinstance(backend(), DatabaseBackend)


@override_settings(IRIS_GLOSSARY_BACKEND="opensearch", IRIS_OPENSEARCH_URL="")
def test_opensearch_needs_its_url() -> None:
    with pytest.raises(ImproperlyConfigured, match="needs IRIS_OPENSEARCH_URL"):
        backend()


@override_settings(
    IRIS_GLOSSARY_BACKEND="opensearch", IRIS_OPENSEARCH_URL="http://search.invalid:9200"
)
def test_opensearch_when_configured() -> None:
    assert isinstance(backend(), OpenSearchBackend)  # no request is made to build it
