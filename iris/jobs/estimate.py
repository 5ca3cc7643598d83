"""What a translation request would use and cost, before anything runs (``iris
translate --estimate``): the document is read as extraction reads it, each distinct
translatable sentence counted once, and the engine's own estimate priced by the price
table (iris/engines/prices.py). Nothing is stored and no engine is called.

Translations reused from earlier jobs are not foreseen (the estimate is an upper
bound), nor what an engine asks again after a bad answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from iris.docx import open_document
from iris.engines.base import Usage
from iris.engines.prices import priced
from iris.engines.registry import engine_class
from iris.formats import to_docx
from iris.jobs.actions import TranslationRequest, validate_request
from iris.jobs.languages import AUTO
from iris.jobs.steps.conversion import converter
from iris.jobs.steps.extraction import batch_bounds


@dataclass(frozen=True)
class Estimate:
    target_lang: str
    engine: str
    segments: int
    requests: int
    usage: Usage


def estimate_request(request: TranslationRequest) -> list[Estimate]:
    """One estimate per target language of ``request`` (validated as a submission is)."""
    valid = validate_request(request)
    _format, docx = to_docx(request.data, converter())
    language = "en" if valid.source_lang == AUTO else valid.source_lang
    units = open_document(docx, source_lang=language).units()
    sources = list(dict.fromkeys(unit.source for unit in units if unit.translatable))
    batches = len(batch_bounds([len(source) for source in sources]))
    engine = engine_class(valid.engine)
    usage = priced(engine.estimate(sources, batches), engine.price_keys())
    requests = engine.requests(len(sources), batches)
    return [
        Estimate(target, valid.engine, len(sources), requests, usage) for target in valid.targets
    ]
