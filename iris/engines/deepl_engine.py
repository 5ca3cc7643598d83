"""The ``deepl`` engine: DeepL's API through its official ``deepl`` SDK.

The batch goes in requests of up to ``TEXTS_PER_REQUEST`` texts (DeepL's own limit is
50), with XML tag handling: our inline tags (``<g1>…</g1>``, ``<x2/>``) and escapes
(``&amp;`` …) are XML, which DeepL keeps around the words they mark. Each request also
sends, as DeepL's ``context`` (read, neither translated nor billed), the document's
title, the headings above and the text before its first segment. Option ``formality``
(``more``, ``less``, ``prefer_more``, ``prefer_less``) is passed on for the targets
that have it.

Credentials: ``IRIS_DEEPL_AUTH_KEY``; ``IRIS_DEEPL_SERVER_URL`` points the SDK at another
server (the SDK picks the free or the pro API from the key otherwise). Retries belong to
the pipeline: the SDK's own are turned off, and its failures map to
:class:`TransientError` (429, 5xx, network) or :class:`PermanentError` (403: the key,
456: the quota, 400: the request).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

import langcodes
from django.conf import settings

if TYPE_CHECKING:  # the SDK (and requests) take a while to import: only when it runs
    import deepl

from iris.engines.base import (
    Engine,
    EngineRequest,
    EngineResult,
    EngineSegment,
    Option,
    PermanentError,
    TransientError,
    UnsupportedPairError,
    Usage,
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

    def translate_batch(self, request: EngineRequest) -> EngineResult:
        self.check_pair(request.source_lang, request.target_lang)
        formality = self.options["formality"]
        targets: dict[str, str] = {}
        sent = request.segments
        translator = _translator()
        billed = 0
        for start in range(0, len(sent), TEXTS_PER_REQUEST):
            chunk = sent[start : start + TEXTS_PER_REQUEST]
            results = _translate(translator, request, chunk, formality)
            if len(results) != len(chunk):
                raise PermanentError(f"DeepL returned {len(results)} texts for {len(chunk)}")
            for segment, result in zip(chunk, results, strict=True):
                targets[segment.key] = with_outer_space(segment.source, result.text)
                billed += result.billed_characters or 0
        return EngineResult(targets, Usage(characters=billed))


def _translator() -> deepl.Translator:
    import deepl

    if not settings.IRIS_DEEPL_AUTH_KEY:
        raise PermanentError("the deepl engine needs an API key: set IRIS_DEEPL_AUTH_KEY")
    deepl.http_client.max_network_retries = 0  # the pipeline retries, with backoff
    return deepl.Translator(
        settings.IRIS_DEEPL_AUTH_KEY,
        server_url=settings.IRIS_DEEPL_SERVER_URL or None,
        send_platform_info=False,
    )


def _translate(
    translator: deepl.Translator,
    request: EngineRequest,
    chunk: Sequence[EngineSegment],
    formality: str,
) -> list[deepl.TextResult]:
    import deepl

    first = chunk[0].context
    context = "\n".join(filter(None, [first.title, *first.headings, first.previous]))
    source = source_code(request.source_lang) if request.source_lang != "auto" else None
    try:
        results = translator.translate_text(
            [segment.source for segment in chunk],
            source_lang=source,
            target_lang=target_code(request.target_lang) or request.target_lang,
            tag_handling="xml",
            split_sentences="nonewlines",
            formality=formality,
            context=context or None,
        )
    except deepl.DeepLException as error:
        raise _mapped(error) from error
    return results if isinstance(results, list) else [results]


def _mapped(error: deepl.DeepLException) -> Exception:
    import deepl

    if isinstance(error, deepl.AuthorizationException):
        return PermanentError("DeepL refused the API key (IRIS_DEEPL_AUTH_KEY)")
    if isinstance(error, deepl.QuotaExceededException):
        return PermanentError("the DeepL account's character quota is used up")
    if isinstance(error, deepl.TooManyRequestsException | deepl.ConnectionException):
        return TransientError(f"DeepL is busy or unreachable ({error})")
    status = error.http_status_code or 0
    if status >= 500:
        return TransientError(f"DeepL failed ({status})")
    return PermanentError(f"DeepL refused the request: {error}")
