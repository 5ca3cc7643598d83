"""Where the pipeline gets a segment's glossary terms: the database (default) or
OpenSearch (``IRIS_GLOSSARY_BACKEND``). Both hand their entries to the same
`iris.glossary.matching.Matcher`, so they find the same terms.

A glossary serves the pair it is for and, when there is none, the pairs its tags
generalise (`iris.glossary.pairs.candidate_pairs`: a ``fr`` glossary serves ``fr-CA``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from iris.docx import plain_text
from iris.glossary import search_index
from iris.glossary.matching import Entry, Matcher, TermMatch
from iris.glossary.models import Glossary, GlossaryTerm
from iris.glossary.pairs import candidate_pairs

if TYPE_CHECKING:
    from opensearchpy import OpenSearch

#: segments searched in one OpenSearch ``_msearch`` request
_SEARCHES_PER_REQUEST = 200


class GlossaryBackendError(Exception):
    """The glossary's search service failed (the message says how)."""


class GlossaryBackend(Protocol):
    """What the pipeline asks of a glossary store."""

    def terms_for(
        self, source_lang: str, target_lang: str, segments: Sequence[str]
    ) -> list[list[TermMatch]]:
        """For each tagged segment, the glossary terms found in it (in text order)."""
        ...

    def version(self, source_lang: str, target_lang: str) -> int:
        """The version of the glossary serving the pair (0 when there is none)."""
        ...

    def sync(self, glossary: Glossary) -> None:
        """Make ``glossary``'s current terms searchable (after an edit)."""
        ...


def find_glossary(source_lang: str, target_lang: str) -> Glossary | None:
    """The glossary serving the pair, best first (one query)."""
    pairs = candidate_pairs(source_lang, target_lang)
    found = {
        (g.source_lang, g.target_lang): g
        for g in Glossary.objects.filter(
            source_lang__in={s for s, _ in pairs}, target_lang__in={t for _, t in pairs}
        )
    }
    return next((found[pair] for pair in pairs if pair in found), None)


def load_entries(glossary: Glossary) -> list[Entry]:
    return [
        Entry(
            id=term.pk,
            source=term.source,
            targets=tuple(term.targets),
            forbidden=tuple(term.forbidden),
            case_sensitive=term.case_sensitive,
            do_not_translate=term.do_not_translate,
            part_of_speech=term.part_of_speech,
            note=term.note,
        )
        for term in GlossaryTerm.objects.filter(glossary=glossary).order_by("id")
    ]


class DatabaseBackend:
    """Terms from the database; each glossary's Matcher is built once per version and
    kept for the process (an edit bumps the version, so the next call rebuilds). A
    call costs one query, two when the glossary changed."""

    _matchers: ClassVar[dict[int, tuple[tuple[int, datetime], Matcher]]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def terms_for(
        self, source_lang: str, target_lang: str, segments: Sequence[str]
    ) -> list[list[TermMatch]]:
        glossary = find_glossary(source_lang, target_lang)
        if glossary is None:
            return [[] for _ in segments]
        matcher = self._matcher(glossary)
        return [matcher.find(segment) for segment in segments]

    def version(self, source_lang: str, target_lang: str) -> int:
        glossary = find_glossary(source_lang, target_lang)
        return glossary.version if glossary is not None else 0

    def sync(self, glossary: Glossary) -> None:
        return None  # the database is where the terms are

    def _matcher(self, glossary: Glossary) -> Matcher:
        # With the time of the last edit: a row id is reused when a transaction that
        # created a glossary rolls back (SQLite), and version 1 then means other terms.
        stamp = (glossary.version, glossary.updated)
        cached = self._matchers.get(glossary.pk)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        matcher = Matcher(load_entries(glossary), glossary.source_lang)
        with self._lock:
            self._matchers[glossary.pk] = (stamp, matcher)
        return matcher


class OpenSearchBackend:
    """Terms from OpenSearch (layout and queries: `iris.glossary.search_index`)."""

    def __init__(
        self, url: str, client: OpenSearch | None = None, prefix: str = search_index.PREFIX
    ) -> None:
        # The client library is imported by the backend that uses it: every other
        # process (the default database backend, the command line) starts without it.
        from opensearchpy import OpenSearch

        self.prefix = prefix
        self.client = client or OpenSearch(
            hosts=[url], timeout=10, max_retries=2, retry_on_timeout=True
        )

    def terms_for(
        self, source_lang: str, target_lang: str, segments: Sequence[str]
    ) -> list[list[TermMatch]]:
        served = self._serving(source_lang, target_lang)
        if served is None:
            return [[] for _ in segments]
        alias, lang = served
        entries = self._candidates(alias, Matcher((), lang), segments)
        matcher = Matcher(sorted(entries, key=lambda e: e.id), lang)
        return [matcher.find(segment) for segment in segments]

    def version(self, source_lang: str, target_lang: str) -> int:
        served = self._serving(source_lang, target_lang)
        if served is None:
            return 0
        parsed = search_index.parse_index_name(self._aliases()[served[0]], self.prefix)
        return parsed[2] if parsed is not None else 0

    def sync(self, glossary: Glossary) -> None:
        source, target = glossary.source_lang, glossary.target_lang
        alias = search_index.alias_name(source, target, self.prefix)
        index = search_index.index_name(source, target, glossary.version, self.prefix)
        current = self._aliases().get(alias)
        if current == index:
            return  # already pushed
        body = search_index.index_body(source, target, glossary.version)
        actions = (
            {"_index": index, "_id": str(e.id), "_source": search_index.entry_document(e, source)}
            for e in load_entries(glossary)
        )
        from opensearchpy import helpers

        with _errors("sync"):
            self.client.indices.create(index=index, body=body)
            helpers.bulk(self.client, actions, refresh=True)
            self._point(alias, index, current)

    def _point(self, alias: str, index: str, current: str | None) -> None:
        """Move ``alias`` to ``index`` and drop the pair's older indices; a sync that
        lost a race to a newer version drops its own index instead."""
        parsed_new = search_index.parse_index_name(index, self.prefix)
        parsed_old = search_index.parse_index_name(current or "", self.prefix)
        if parsed_new and parsed_old and parsed_old[2] > parsed_new[2]:
            self.client.indices.delete(index=index)
            return
        moves: list[dict[str, Any]] = [{"add": {"index": index, "alias": alias}}]
        if current is not None:
            moves.insert(0, {"remove": {"index": current, "alias": alias}})
        self.client.indices.update_aliases(body={"actions": moves})
        old = [name for name in self._indices(alias) if name != index]
        if old:
            self.client.indices.delete(index=",".join(old))

    def _serving(self, source_lang: str, target_lang: str) -> tuple[str, str] | None:
        """The alias serving the pair and its glossary's source language, or None."""
        aliases = self._aliases()
        for source, target in candidate_pairs(source_lang, target_lang):
            alias = search_index.alias_name(source, target, self.prefix)
            if alias in aliases:
                return alias, source
        return None

    def _aliases(self) -> dict[str, str]:
        """Every glossary alias and the index it points at."""
        with _errors("read the aliases"):
            found = self.client.indices.get_alias(index=f"{self.prefix}.*")
        return {alias: index for index, body in found.items() for alias in body.get("aliases", {})}

    def _indices(self, alias: str) -> list[str]:
        with _errors("list the indices"):
            found = self.client.indices.get(index=f"{alias}.v*")
        return list(found)

    def _candidates(self, alias: str, keys: Matcher, segments: Sequence[str]) -> set[Entry]:
        searches: list[dict[str, Any]] = []
        for segment in segments:
            plain = plain_text(segment)
            if plain.strip():
                query = search_index.candidate_query(plain, keys.lookup_keys(segment))
                searches += [{"index": alias}, query]
        entries: set[Entry] = set()
        step = 2 * _SEARCHES_PER_REQUEST  # a header and a query per search
        for first in range(0, len(searches), step):
            with _errors("search"):
                responses = self.client.msearch(body=searches[first : first + step])["responses"]
            for response in responses:
                if "error" in response:
                    raise GlossaryBackendError(f"OpenSearch search failed: {response['error']}")
                hits = response["hits"]["hits"]
                entries.update(search_index.entry_from_source(hit["_source"]) for hit in hits)
        return entries


@contextmanager
def _errors(doing: str) -> Iterator[None]:
    """A client failure as one `GlossaryBackendError` naming what was being done."""
    from opensearchpy.exceptions import OpenSearchException

    try:
        yield
    except OpenSearchException as exc:
        raise GlossaryBackendError(f"OpenSearch could not {doing}: {exc}") from exc


@lru_cache(maxsize=4)
def _opensearch(url: str) -> OpenSearchBackend:
    return OpenSearchBackend(url)


def backend() -> GlossaryBackend:
    """The configured backend (``IRIS_GLOSSARY_BACKEND``)."""
    if settings.IRIS_GLOSSARY_BACKEND == "opensearch":
        if not settings.IRIS_OPENSEARCH_URL:
            raise ImproperlyConfigured(
                "IRIS_GLOSSARY_BACKEND=opensearch needs IRIS_OPENSEARCH_URL (the server's URL)"
            )
        return _opensearch(settings.IRIS_OPENSEARCH_URL)
    return DatabaseBackend()
