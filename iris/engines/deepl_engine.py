"""The ``deepl`` engine: DeepL's API through its official ``deepl`` SDK.

The batch goes in requests of up to ``TEXTS_PER_REQUEST`` texts (DeepL's own limit is
50), with XML tag handling: our inline tags (``<g1>…</g1>``, ``<x2/>``) and escapes
(``&amp;`` …) are XML, which DeepL keeps around the words they mark. Each request also
sends, as DeepL's ``context`` (read, neither translated nor billed), the document's
title, the headings above and the text before its first segment. Option ``formality``
(``more``, ``less``, ``prefer_more``, ``prefer_less``) is passed on for the targets
that have it.

Must-use glossary terms (``EngineRequest.terms``) go to DeepL as one of its (v2,
single-pair) glossaries, named by a hash of the pair and its entries, so the same terms
use the same glossary: the account's glossaries and the pairs DeepL takes glossaries
for are listed once per process, a missing glossary is created, and the ids are kept in
memory. A pair DeepL has no glossaries for, or an ``auto`` source, is translated without
one (the QA glossary check reports misses); forbidden terms are QA's alone. DeepL keeps
every glossary until it is deleted, and an account holds a limited number of them.

Credentials: ``IRIS_DEEPL_AUTH_KEY``. With ``IRIS_DEEPL_SERVER_URL`` empty the SDK uses
DeepL's service, the free or the pro API as the key says (free keys end in ``:fx``);
set it only to use another server (a proxy, DeepL's mock, the tests' fake). Retries
belong to the pipeline: the SDK's own are turned off, and its failures, glossary calls
included, map to :class:`TransientError` (429, 5xx, network) or :class:`PermanentError`
(403: the key, 456: the quota, 400: the request). The SDK keeps no answer's headers
and reads a body that is not JSON as no translations: its HTTP session's ``send`` is
wrapped to keep the thread's last answer, so that a 429 or 5xx carries its
``Retry-After`` and an answer that is not DeepL's JSON is told apart (transient when it
is no JSON at all, a proxy's page; permanent when it is JSON of another shape, which a
retry gets again).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

import langcodes
from django.conf import settings

if TYPE_CHECKING:  # the SDK (and requests) take a while to import: only when it runs
    import deepl

from iris.engines.base import (
    Engine,
    EngineError,
    EngineRequest,
    EngineResult,
    EngineSegment,
    Option,
    PermanentError,
    Term,
    TransientError,
    UnsupportedPairError,
    Usage,
    retry_after,
    with_outer_space,
)

TEXTS_PER_REQUEST = 50
#: DeepL's documented source and target languages (API v2, 2025)
SOURCES = frozenset(
    {
        "ar",
        "bg",
        "cs",
        "da",
        "de",
        "el",
        "en",
        "es",
        "et",
        "fi",
        "fr",
        "hu",
        "id",
        "it",
        "ja",
        "ko",
        "lt",
        "lv",
        "nb",
        "nl",
        "pl",
        "pt",
        "ro",
        "ru",
        "sk",
        "sl",
        "sv",
        "tr",
        "uk",
        "zh",
    }
)
TARGETS = frozenset(
    {
        "AR",
        "BG",
        "CS",
        "DA",
        "DE",
        "EL",
        "EN-GB",
        "EN-US",
        "ES",
        "ET",
        "FI",
        "FR",
        "HU",
        "ID",
        "IT",
        "JA",
        "KO",
        "LT",
        "LV",
        "NB",
        "NL",
        "PL",
        "PT-BR",
        "PT-PT",
        "RO",
        "RU",
        "SK",
        "SL",
        "SV",
        "TR",
        "UK",
        "ZH-HANS",
        "ZH-HANT",
    }
)
_FORMALITY = ("default", "more", "less", "prefer_more", "prefer_less")
#: DeepL's limit on a glossary entry's source or target, in UTF-8 bytes
_TERM_BYTES = 1024
#: what a glossary entry cannot hold (the SDK refuses them: they would break the TSV)
_NOT_IN_TERM_RE = re.compile(r"[\x00-\x1f\x80-\x9f\u2028\u2029]")


def _parsed(tag: str) -> tuple[str, langcodes.Language]:
    """``tag``'s language subtag as DeepL names it (Norwegian is Bokmål), and ``tag``."""
    parsed = langcodes.Language.get(tag)
    language = str(parsed.language)
    return ("nb" if language == "no" else language), parsed


def source_code(tag: str) -> str | None:
    """DeepL's code for a source language (``en-GB`` -> ``EN``), or None."""
    language, _ = _parsed(tag)
    return language.upper() if language in SOURCES else None


def target_code(tag: str) -> str | None:
    """DeepL's code for a target language (``en`` -> ``EN-US``, ``pt`` -> ``PT-PT``,
    ``zh-TW`` -> ``ZH-HANT``), or None."""
    language, parsed = _parsed(tag)
    if language == "en":
        code = "EN-GB" if parsed.territory in ("GB", "IE", "AU", "NZ", "ZA", "IN") else "EN-US"
    elif language == "pt":
        code = "PT-BR" if parsed.territory == "BR" else "PT-PT"
    elif language == "zh":
        script = parsed.maximize().script
        code = "ZH-HANT" if script == "Hant" else "ZH-HANS"
    else:
        code = language.upper()
    return code if code in TARGETS else None


class DeepLEngine(Engine):
    name = "deepl"
    description = "DeepL API (IRIS_DEEPL_AUTH_KEY)"
    segments_per_request = TEXTS_PER_REQUEST
    marks_exchange = True
    option_specs: ClassVar[Mapping[str, Option]] = {
        "formality": Option(str, "default", choices=_FORMALITY)
    }

    @classmethod
    def check_pair(cls, source: str, target: str) -> None:
        if target_code(target) is None:
            into = ", ".join(sorted(TARGETS))
            raise UnsupportedPairError(f"DeepL does not translate into {target}; it does: {into}")
        if source != "auto" and source_code(source) is None:
            known = ", ".join(sorted(SOURCES))
            raise UnsupportedPairError(f"DeepL does not translate from {source}; it does: {known}")

    @classmethod
    def configuration_problem(cls) -> str | None:
        if not settings.IRIS_DEEPL_AUTH_KEY:
            return "IRIS_DEEPL_AUTH_KEY is not set"
        return None

    def configuration(self) -> dict[str, Any]:
        return {"server": settings.IRIS_DEEPL_SERVER_URL}

    @classmethod
    def warm_up(cls) -> None:
        """Import the SDK before the first batch's requests wait for it."""
        import deepl  # noqa: F401

    def translate_batch(self, request: EngineRequest) -> EngineResult:
        self.check_pair(request.source_lang, request.target_lang)
        # One request: the base class cuts batches into requests of TEXTS_PER_REQUEST.
        sent = request.segments
        translator = _translator()
        with self.exchange():
            glossary = _glossary_id(translator, request)
            results = _translate(translator, request, sent, self.options["formality"], glossary)
        texts = _texts(results, len(sent))
        targets = {
            segment.key: with_outer_space(segment.source, text)
            for segment, text in zip(sent, texts, strict=True)
        }
        billed = sum(result.billed_characters or 0 for result in results)
        return EngineResult(targets, Usage(characters=billed))


def _translator() -> deepl.Translator:
    import deepl

    problem = DeepLEngine.not_set_up()
    if problem is not None:
        raise PermanentError(problem)
    deepl.http_client.max_network_retries = 0  # the pipeline retries, with backoff
    translator = deepl.Translator(
        settings.IRIS_DEEPL_AUTH_KEY,
        server_url=settings.IRIS_DEEPL_SERVER_URL or None,
        send_platform_info=False,
    )
    # The SDK's requests session is not public (and the SDK prepares its requests
    # without the session's hooks): without it, no Retry-After is seen and an answer
    # that is not JSON reads as a wrong count of texts (a permanent error).
    session = getattr(getattr(translator, "_client", None), "_session", None)
    if session is not None:
        session.send = _keeping_answers(session.send)
    return translator


#: the last HTTP answer the SDK got in this thread (a batch's requests run in threads,
#: each with its own translator)
_LAST_ANSWER = threading.local()


def _keeping_answers(send: Any) -> Any:
    """``send`` of a requests session, keeping each answer for this thread."""

    def sending(request: Any, **kwargs: Any) -> Any:
        response = send(request, **kwargs)
        _LAST_ANSWER.response = response
        return response

    return sending


def _asked_wait() -> float | None:
    """What the SDK's last answer in this thread asked to wait (``Retry-After``)."""
    answer = _last_answer()
    return retry_after(answer.headers if answer is not None else None)


def _last_answer() -> Any:
    """The requests response of the SDK's last call in this thread, or None."""
    return getattr(_LAST_ANSWER, "response", None)


def _texts(results: Sequence[deepl.TextResult], sent: int) -> list[str]:
    """The translated texts, one per text sent, or why the answer does not give them."""
    texts = [result.text for result in results]
    if len(texts) != sent:
        raise _unreadable(f"{len(texts)} texts for {sent}")
    if not all(isinstance(text, str) for text in texts):
        raise _unreadable("a translation without its text")
    return texts


def _unreadable(problem: str) -> EngineError:
    """An answer that is not DeepL's: transient when it is not JSON at all (a proxy's
    page, a body cut short), permanent when it is JSON of another shape (a server that
    is not DeepL's answers the same again, and a retry may be billed)."""
    answer = _last_answer()
    where = _origin(answer)
    if answer is not None and not _is_json_object(answer.text):
        kind = answer.headers.get("content-type") or "no content type"
        return TransientError(
            f"the DeepL server at {where} answered with something that is not JSON "
            f"({kind}): check IRIS_DEEPL_SERVER_URL and any proxy in between"
        )
    return PermanentError(
        f"the DeepL server at {where} returned {problem}, which DeepL's API does not: "
        "check IRIS_DEEPL_SERVER_URL"
    )


def _origin(answer: Any) -> str:
    if answer is not None:
        url = urlsplit(answer.url)
        return f"{url.scheme}://{url.netloc}"
    return settings.IRIS_DEEPL_SERVER_URL or "api.deepl.com"


def _is_json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


def _translate(
    translator: deepl.Translator,
    request: EngineRequest,
    chunk: Sequence[EngineSegment],
    formality: str,
    glossary: str | None,
) -> list[deepl.TextResult]:
    first = chunk[0].context
    context = "\n".join(filter(None, [first.title, *first.headings, first.previous]))
    source = source_code(request.source_lang) if request.source_lang != "auto" else None
    with _service_errors():
        results = translator.translate_text(
            [segment.source for segment in chunk],
            source_lang=source,
            target_lang=target_code(request.target_lang) or request.target_lang,
            tag_handling="xml",
            split_sentences="nonewlines",
            formality=formality,
            context=context or None,
            glossary=glossary,
        )
    return results if isinstance(results, list) else [results]


def glossary_entries(terms: Sequence[Term]) -> dict[str, str]:
    """The must-use ``terms`` as DeepL glossary entries, source to target: one-line
    plain text within DeepL's size limit, one target per source (the first in sorted
    order, so that the same terms always give the same entries)."""
    entries: dict[str, str] = {}
    pairs = {(term.source.strip(), term.target.strip()) for term in terms if not term.forbidden}
    for source, target in sorted(pairs):
        if _fits_glossary(source) and _fits_glossary(target):
            entries.setdefault(source, target)
    return entries


def _fits_glossary(text: str) -> bool:
    return bool(text) and len(text.encode()) <= _TERM_BYTES and not _NOT_IN_TERM_RE.search(text)


def glossary_name(source: str, target: str, entries: Mapping[str, str]) -> str:
    """The name of the glossary holding ``entries`` for the pair: the same for the same
    content, so a process finds the glossary another one created."""
    content = json.dumps([source, target, sorted(entries.items())], ensure_ascii=False)
    return f"iris {source}-{target} {hashlib.sha256(content.encode()).hexdigest()[:32]}"


@dataclass
class _Account:
    """What a DeepL account offers for glossaries, as listed once per process: the
    language pairs it takes them for (lowercase base codes), its glossaries' ids by name."""

    pairs: frozenset[tuple[str, str]]
    glossaries: dict[str, str]


#: by (server, key). A lock, because the requests of a batch may run in threads: they
#: wait for the one that creates the glossary instead of each creating its own.
_ACCOUNTS: dict[tuple[str, str], _Account] = {}
_ACCOUNTS_LOCK = threading.Lock()


def _glossary_id(translator: deepl.Translator, request: EngineRequest) -> str | None:
    """The id of the glossary holding the request's must-use terms, created the first
    time; None without such terms, a known source, or glossaries for the pair."""
    entries = glossary_entries(request.terms)
    if not entries or request.source_lang == "auto":
        return None
    # Glossaries are per base language: an ``en`` one serves EN-US and EN-GB alike.
    source, target = _parsed(request.source_lang)[0], _parsed(request.target_lang)[0]
    name = glossary_name(source, target, entries)
    with _ACCOUNTS_LOCK:
        account = _account(translator)
        if (source, target) not in account.pairs:
            return None
        if name not in account.glossaries:
            with _service_errors():
                created = translator.create_glossary(name, source.upper(), target.upper(), entries)
            account.glossaries[name] = created.glossary_id
        return account.glossaries[name]


def _account(translator: deepl.Translator) -> _Account:
    key = (settings.IRIS_DEEPL_SERVER_URL, settings.IRIS_DEEPL_AUTH_KEY)
    if key not in _ACCOUNTS:
        with _service_errors():
            pairs = translator.get_glossary_languages()
            listed = translator.list_glossaries()
        _ACCOUNTS[key] = _Account(
            frozenset((pair.source_lang.lower(), pair.target_lang.lower()) for pair in pairs),
            {glossary.name: glossary.glossary_id for glossary in listed},
        )
    return _ACCOUNTS[key]


@contextmanager
def _service_errors() -> Iterator[None]:
    """The SDK's failures inside as transient or permanent engine errors, and so is an
    answer the SDK fails to read."""
    import deepl

    _LAST_ANSWER.response = None
    try:
        yield
    except deepl.DeepLException as error:
        raise _mapped(error) from error
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        answer = _last_answer()
        if answer is None or not answer.ok:  # not the reading of an answer
            raise
        raise _unreadable("JSON of another shape") from error


def _mapped(error: deepl.DeepLException) -> Exception:
    import deepl

    if isinstance(error, deepl.AuthorizationException):
        return PermanentError("DeepL refused the API key (IRIS_DEEPL_AUTH_KEY)")
    if isinstance(error, deepl.QuotaExceededException):
        return PermanentError("the DeepL account's character quota is used up")
    if isinstance(error, deepl.TooManyRequestsException | deepl.ConnectionException):
        return TransientError(f"DeepL is busy or unreachable ({error})", retry_after=_asked_wait())
    status = error.http_status_code or 0
    if status >= 500:
        return TransientError(f"DeepL failed ({status})", retry_after=_asked_wait())
    return PermanentError(f"DeepL refused the request: {error}")
