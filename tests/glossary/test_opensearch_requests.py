"""What the OpenSearch backend sends, against a recording stand-in for the client (no
server: this is not the contract suite, whose OpenSearch half needs one)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from opensearchpy.serializer import JSONSerializer

from iris.glossary.backends import GlossaryBackendError, OpenSearchBackend
from iris.glossary.matching import Entry
from iris.glossary.models import Glossary
from iris.glossary.search_index import entry_document
from iris.glossary.service import TermData, add_term

CONTRACT = Entry(1, "contract", ("contrat",))
CATALOGUE = Entry(2, "catalogue", ("catalogue",))


class FakeIndices:
    def __init__(self, client: FakeClient) -> None:
        self.client = client

    def get_alias(self, index: str) -> dict[str, Any]:
        return {name: {"aliases": {alias: {}}} for alias, name in self.client.aliases.items()}

    def create(self, index: str, body: dict[str, Any]) -> None:
        self.client.calls.append(("create", index, body))

    def update_aliases(self, body: dict[str, Any]) -> None:
        self.client.calls.append(("update_aliases", body))

    def get(self, index: str) -> dict[str, Any]:
        return {name: {} for name in self.client.aliases.values()}

    def delete(self, index: str) -> None:
        self.client.calls.append(("delete", index))


class FakeClient:
    """Answers every search with ``candidates``; records what it is asked."""

    def __init__(self, candidates: list[Entry], aliases: dict[str, str]) -> None:
        self.candidates = candidates
        self.aliases = aliases
        self.calls: list[tuple[Any, ...]] = []
        self.indices = FakeIndices(self)
        self.transport = SimpleNamespace(serializer=JSONSerializer())  # helpers.bulk uses it

    def msearch(self, body: list[dict[str, Any]]) -> dict[str, Any]:
        self.calls.append(("msearch", body))
        hits = [{"_source": entry_document(e, "en")} for e in self.candidates]
        return {"responses": [{"hits": {"hits": hits}} for _ in body[::2]]}

    def bulk(self, body: str | list[str], **params: Any) -> dict[str, Any]:
        lines = body.splitlines() if isinstance(body, str) else body
        documents = len(lines) // 2  # an action line and a document line each
        self.calls.append(("bulk", documents))
        return {"errors": False, "items": [{"index": {"status": 201}} for _ in range(documents)]}


def backend(client: FakeClient) -> OpenSearchBackend:
    return OpenSearchBackend("http://search.invalid:9200", client=client)  # type: ignore[arg-type]


def test_candidates_are_checked_by_the_matcher() -> None:
    client = FakeClient([CONTRACT, CATALOGUE], {"iris-glossary.en.fr": "iris-glossary.en.fr.v3"})
    found = backend(client).terms_for("en-US", "fr-CA", ["Two contracts", "", "a cat"])
    # "catalogue" came back as a candidate for "a cat" but is no match there.
    assert [[m.text for m in matches] for matches in found] == [["contracts"], [], []]
    (search,) = [call for call in client.calls if call[0] == "msearch"]
    headers, queries = search[1][::2], search[1][1::2]
    assert headers == [{"index": "iris-glossary.en.fr"}] * 2  # the blank segment: no search
    assert queries[0]["query"]["bool"]["should"][1] == {"terms": {"word_key": ["contract", "two"]}}


def test_version_comes_from_the_index_behind_the_alias() -> None:
    client = FakeClient([], {"iris-glossary.en.fr": "iris-glossary.en.fr.v3"})
    assert backend(client).version("en", "fr-CA") == 3
    assert backend(client).version("en", "de") == 0
    assert backend(client).terms_for("en", "de", ["contract"]) == [[]]


@pytest.mark.django_db
@pytest.mark.everywhere
def test_sync_fills_a_new_index_then_moves_the_alias() -> None:
    add_term("en", "fr", TermData("contract", ("contrat",)))
    add_term("en", "fr", TermData("clause", ("clause",)))
    glossary = Glossary.objects.get()
    client = FakeClient([], {"iris-glossary.en.fr": "iris-glossary.en.fr.v1"})
    backend(client).sync(glossary)
    kinds = [call[0] for call in client.calls]
    assert kinds == ["create", "bulk", "update_aliases", "delete"]
    assert client.calls[0][1] == "iris-glossary.en.fr.v2"
    assert client.calls[0][2]["mappings"]["properties"]["source"]["analyzer"] == "english"
    assert client.calls[1][1] == 2
    assert client.calls[2][1]["actions"] == [
        {"remove": {"index": "iris-glossary.en.fr.v1", "alias": "iris-glossary.en.fr"}},
        {"add": {"index": "iris-glossary.en.fr.v2", "alias": "iris-glossary.en.fr"}},
    ]
    assert client.calls[3] == ("delete", "iris-glossary.en.fr.v1")


def test_a_failed_search_is_one_clear_error() -> None:
    client = FakeClient([], {"iris-glossary.en.fr": "iris-glossary.en.fr.v1"})
    client.msearch = lambda body: {"responses": [{"error": {"type": "index_closed"}}]}  # type: ignore[method-assign]
    with pytest.raises(GlossaryBackendError, match="index_closed"):
        backend(client).terms_for("en", "fr", ["contract"])
