"""The OpenSearch side of the glossary, as data: index names, the index mapping per
language pair, the documents and the candidate queries. No client and no Django
here, so all of it is tested without a server.

Layout: one index per pair and glossary version, ``iris-glossary.<source>.<target>.v<N>``,
behind the alias ``iris-glossary.<source>.<target>`` (tests use another prefix). A sync
fills a new index and moves the alias in one atomic request, so searches never see a
half-filled glossary.

Retrieval finds candidates; `iris.glossary.matching.Matcher` decides. A segment's
query is a ``bool`` of ``match`` on the source term analysed by the source language's
built-in analyzer, and ``terms`` on the keys the Matcher looks entries up by (the
Snowball stem of a term's first word, or its first character in scripts written
without spaces). The analyzers' stemmers are not Snowball's (French uses
``light_french``), so without the key clauses OpenSearch would miss terms the database
backend finds; with them both backends give the same matches.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from iris.glossary.matching import Entry, KeyKind, index_key

PREFIX = "iris-glossary"
#: candidates a segment's query returns, at most (OpenSearch's default result window)
CANDIDATES = 10_000

# Built-in language analyzers by primary subtag; anything else gets "standard".
_ANALYZERS = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "bn": "bengali", "bg": "bulgarian",
    "ca": "catalan", "zh": "cjk", "ja": "cjk", "ko": "cjk", "cs": "czech", "da": "danish",
    "nl": "dutch", "en": "english", "et": "estonian", "fi": "finnish", "fr": "french",
    "gl": "galician", "de": "german", "el": "greek", "hi": "hindi", "hu": "hungarian",
    "id": "indonesian", "ga": "irish", "it": "italian", "lv": "latvian",
    "lt": "lithuanian", "no": "norwegian", "nb": "norwegian", "fa": "persian",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "ckb": "sorani",
    "es": "spanish", "sv": "swedish", "tr": "turkish", "th": "thai",
}  # fmt: skip


def analyzer(lang: str) -> str:
    """The built-in analyzer for ``lang`` (a lower-case BCP-47 tag)."""
    if lang.startswith("pt-br"):
        return "brazilian"
    return _ANALYZERS.get(lang.split("-")[0], "standard")


def alias_name(source_lang: str, target_lang: str, prefix: str = PREFIX) -> str:
    return f"{prefix}.{source_lang}.{target_lang}"


def index_name(source_lang: str, target_lang: str, version: int, prefix: str = PREFIX) -> str:
    return f"{alias_name(source_lang, target_lang, prefix)}.v{version}"


def parse_index_name(name: str, prefix: str = PREFIX) -> tuple[str, str, int] | None:
    """(source, target, version) of an index :func:`index_name` made, else None."""
    parts = name.split(".")
    if len(parts) != 4 or parts[0] != prefix or not parts[3].startswith("v"):
        return None
    version = parts[3][1:]
    return (parts[1], parts[2], int(version)) if version.isdigit() else None


def index_body(source_lang: str, target_lang: str, version: int) -> dict[str, Any]:
    """Settings and mapping of a pair's index: the source term analysed in its
    language, the renderings in theirs, the Matcher's keys as keywords."""
    target_text = {"type": "text", "analyzer": analyzer(target_lang)}
    return {
        "settings": {"index": {"number_of_shards": 1}},
        "mappings": {
            "dynamic": "strict",
            "_meta": {"source_lang": source_lang, "target_lang": target_lang, "version": version},
            "properties": {
                "id": {"type": "long"},
                "source": {
                    "type": "text",
                    "analyzer": analyzer(source_lang),
                    "fields": {"raw": {"type": "keyword"}},
                },
                "word_key": {"type": "keyword"},
                "char_key": {"type": "keyword"},
                "targets": target_text,
                "forbidden": target_text,
                "part_of_speech": {"type": "keyword"},
                "case_sensitive": {"type": "boolean"},
                "do_not_translate": {"type": "boolean"},
                "note": {"type": "text", "index": False},
            },
        },
    }


def entry_document(entry: Entry, source_lang: str) -> dict[str, Any]:
    key = index_key(entry, source_lang)
    keys: dict[KeyKind, list[str]] = {"word": [], "char": []}
    if key is not None:
        keys[key[0]].append(key[1])
    return {
        "id": entry.id,
        "source": entry.source,
        "word_key": keys["word"],
        "char_key": keys["char"],
        "targets": list(entry.targets),
        "forbidden": list(entry.forbidden),
        "part_of_speech": entry.part_of_speech,
        "case_sensitive": entry.case_sensitive,
        "do_not_translate": entry.do_not_translate,
        "note": entry.note,
    }


def entry_from_source(document: Mapping[str, Any]) -> Entry:
    """The entry an indexed document holds (its ``_source``)."""
    return Entry(
        id=int(document["id"]),
        source=str(document["source"]),
        targets=tuple(document.get("targets", ())),
        forbidden=tuple(document.get("forbidden", ())),
        case_sensitive=bool(document.get("case_sensitive", False)),
        do_not_translate=bool(document.get("do_not_translate", False)),
        part_of_speech=str(document.get("part_of_speech", "")),
        note=str(document.get("note", "")),
    )


def candidate_query(plain: str, keys: Mapping[KeyKind, set[str]]) -> dict[str, Any]:
    """The search for one segment's candidates: its plain text and the Matcher's
    lookup keys for it (`Matcher.lookup_keys`)."""
    should: list[dict[str, Any]] = [{"match": {"source": {"query": plain}}}]
    for kind in ("word", "char"):
        if keys.get(kind):
            should.append({"terms": {f"{kind}_key": sorted(keys[kind])}})
    return {
        "size": CANDIDATES,
        "query": {"bool": {"should": should, "minimum_should_match": 1}},
    }
