"""The OpenSearch requests, built without a server: index mapping per language, the
documents, and candidate queries that never miss what the Matcher finds."""

from __future__ import annotations

import pytest

from iris.docx.text.tag_syntax import plain_text
from iris.glossary.matching import Entry, Matcher, index_key
from iris.glossary.search_index import (
    alias_name,
    analyzer,
    candidate_query,
    entry_document,
    entry_from_source,
    index_body,
    index_name,
    parse_index_name,
)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "english"),
        ("fr-ca", "french"),
        ("de-ch", "german"),
        ("pt-br", "brazilian"),
        ("pt-pt", "portuguese"),
        ("zh-hant", "cjk"),
        ("ja", "cjk"),
        ("th", "thai"),
        ("sw", "standard"),
    ],
)
def test_analyzer_by_primary_language(lang: str, expected: str) -> None:
    assert analyzer(lang) == expected


def test_index_mapping_analyses_each_side_in_its_language() -> None:
    body = index_body("de", "fr-ca", 7)
    mapping = body["mappings"]
    assert mapping["_meta"] == {"source_lang": "de", "target_lang": "fr-ca", "version": 7}
    assert mapping["dynamic"] == "strict"
    assert mapping["properties"]["source"]["analyzer"] == "german"
    assert mapping["properties"]["targets"]["analyzer"] == "french"
    assert mapping["properties"]["word_key"] == {"type": "keyword"}


def test_index_names_round_trip() -> None:
    assert alias_name("en", "fr-ca") == "iris-glossary.en.fr-ca"
    assert parse_index_name(index_name("en", "fr-ca", 12)) == ("en", "fr-ca", 12)
    assert parse_index_name("iris-glossary.en.fr") is None
    assert parse_index_name("other.en.fr.v2") is None


def test_document_carries_the_matchers_key_and_round_trips() -> None:
    entry = Entry(3, "contracts management", ("gestion",), ("x",), True, False, "noun", "n")
    document = entry_document(entry, "en")
    assert (document["word_key"], document["char_key"]) == (["contract"], [])
    assert entry_from_source(document) == entry
    cjk = entry_document(Entry(4, "東京", ("Tokyo",)), "ja")
    assert (cjk["word_key"], cjk["char_key"]) == ([], ["東"])


def test_candidate_query_matches_analysed_text_and_keys() -> None:
    segment = "The <g1>contracts</g1> of 東京<x1/>{name}"
    keys = Matcher((), "en").lookup_keys(segment)
    query = candidate_query(plain_text(segment), keys)
    should = query["query"]["bool"]["should"]
    assert should[0] == {"match": {"source": {"query": "The contracts of 東京{name}"}}}
    assert should[1] == {"terms": {"word_key": ["contract", "of", "the", "東京"]}}
    assert "東" in should[2]["terms"]["char_key"]
    assert query["query"]["bool"]["minimum_should_match"] == 1


def test_no_key_clause_without_keys() -> None:
    query = candidate_query("", {"word": set(), "char": set()})
    assert len(query["query"]["bool"]["should"]) == 1


SEGMENTS = [
    "Die Verträge des <g1>Kunden</g1> und der Kundenservice",
    "Le contrat de service<x2/> les chevaux, l'entreprise",
    "私は東京タワーに行った and the service-level agreements",
]
ENTRIES = [
    Entry(1, "Vertrag", ("contract",)),
    Entry(2, "Kunde", ("customer",)),
    Entry(3, "contrat de service", ("service contract",)),
    Entry(4, "cheval", ("horse",)),
    Entry(5, "entreprise", ("company",)),
    Entry(6, "東京タワー", ("Tokyo Tower",)),
    Entry(7, "service-level agreement", ("SLA",)),
]


@pytest.mark.parametrize("lang", ["de", "fr", "ja", "en"])
def test_every_match_is_retrieved_by_its_key(lang: str) -> None:
    # What makes the backends agree: whatever the Matcher finds in a segment, the
    # segment's query asks for that entry's key.
    matcher = Matcher(ENTRIES, lang)
    checked = 0
    for segment in SEGMENTS:
        keys = matcher.lookup_keys(segment)
        for match in matcher.find(segment):
            key = index_key(match.entry, lang)
            assert key is not None
            assert key[1] in keys[key[0]], (segment, match)
            checked += 1
    assert checked >= 2  # the segments do hold terms in every language
