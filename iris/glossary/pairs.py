"""Which glossary serves a language pair: tags as glossaries store them, and the
fallback from a regional tag to its language (a ``fr`` glossary serves ``fr-CA``)."""

from __future__ import annotations

from iris.jobs.languages import normalize_language


def glossary_language(tag: str) -> str:
    """``tag`` in its standard BCP-47 form, lower-cased (``en_US`` -> ``en-us``):
    glossaries are looked up by it, and tags compare case-insensitively."""
    return normalize_language(tag).lower()


def fallback_chain(tag: str) -> list[str]:
    """``tag`` then each shorter form of it, most specific first
    (``zh-Hant-TW`` -> ``zh-hant-tw``, ``zh-hant``, ``zh``)."""
    parts = glossary_language(tag).split("-")
    return ["-".join(parts[:size]) for size in range(len(parts), 0, -1)]


def candidate_pairs(source_lang: str, target_lang: str) -> list[tuple[str, str]]:
    """The pairs whose glossary may serve a job, best first: the exact pair, then the
    target's fallbacks, then the source's (the target side decides the renderings)."""
    sources, targets = fallback_chain(source_lang), fallback_chain(target_lang)
    return [(source, target) for source in sources for target in targets]
