"""What a translation request would use and cost, before anything runs (``iris
translate --estimate``): the document is read as extraction reads it, each distinct
translatable sentence counted once, and the engine's own estimate priced by the price
table (iris/engines/prices.py). Nothing is stored and no engine is called.

Translations reused from earlier jobs are not foreseen (the estimate is an upper
bound), nor what an engine asks again after a bad answer. Each job stores the same
estimate, made from its own extraction, in ``Job.estimate``.
"""

from __future__ import annotations

from dataclasses import dataclass

from iris.docx import open_document
from iris.engines.prices import Estimate, estimate
from iris.engines.registry import engine_class
from iris.formats import to_docx
from iris.jobs.actions import TranslationRequest, validate_request
from iris.jobs.languages import AUTO
from iris.jobs.steps.conversion import converter
from iris.jobs.steps.extraction import batch_bounds


@dataclass(frozen=True)
class TargetEstimate:
    target_lang: str
    estimate: Estimate


def estimate_request(request: TranslationRequest) -> list[TargetEstimate]:
    """One estimate per target language of ``request`` (validated as a submission is)."""
    valid = validate_request(request)
    _format, docx = to_docx(request.data, converter())
    language = "en" if valid.source_lang == AUTO else valid.source_lang
    units = open_document(docx, source_lang=language).units()
    sources = list(dict.fromkeys(unit.source for unit in units if unit.translatable))
    engine = engine_class(valid.engine)
    batches = len(batch_bounds([len(source) for source in sources], engine.round_size()))
    made = estimate(engine, sources, batches)
    return [TargetEstimate(target, made) for target in valid.targets]
