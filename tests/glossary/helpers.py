"""Building glossaries for tests through the service, as users do."""

from __future__ import annotations

from iris.glossary.backends import GlossaryBackend
from iris.glossary.models import Glossary
from iris.glossary.service import TermData, add_term


def publish(store: GlossaryBackend, source: str, target: str, *terms: TermData) -> Glossary:
    """Add ``terms`` to the pair's glossary and push it to ``store``."""
    for term in terms:
        add_term(source, target, term)
    glossary = Glossary.objects.get(source_lang=source.lower(), target_lang=target.lower())
    store.sync(glossary)
    return glossary
