"""What a translation request would use and cost, before anything runs (``iris
translate --estimate``): the document is read as extraction reads it, each distinct
translatable sentence counted once, and the engine's own estimate priced by the price
table (iris/engines/prices.py). Nothing is stored and no engine is called.

Translations the memory would supply are not subtracted (the estimate is an upper
bound; ``--analyse`` shows them), nor what an engine asks again after a bad answer.
Each job stores the same estimate, made from its own extraction, in ``Job.estimate``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from iris.docx import Unit, open_document
from iris.engines.prices import Estimate, estimate
from iris.engines.registry import engine_class
from iris.formats import to_docx
from iris.jobs.actions import TranslationRequest, Validated, validate_request
from iris.jobs.languages import AUTO
from iris.jobs.steps.context import ANALYSIS_FLOOR
from iris.jobs.steps.conversion import converter
from iris.jobs.steps.extraction import batch_bounds
from iris.memory.analysis import analyse
from iris.memory.store import Query, memory, neighbours_hash


@dataclass(frozen=True)
class TargetEstimate:
    target_lang: str
    estimate: Estimate


@dataclass(frozen=True)
class ReadRequest:
    """A request validated as a submission is, its source language and its units: what
    the estimate and the analysis both start from (the document is read once)."""

    valid: Validated
    language: str
    units: list[Unit]


def read_request(request: TranslationRequest) -> ReadRequest:
    valid = validate_request(request)
    _format, docx = to_docx(request.data, converter())
    language = "en" if valid.source_lang == AUTO else valid.source_lang
    document = open_document(docx, source_lang=language, policy=valid.policy)
    return ReadRequest(valid, language, document.units())


def estimate_request(read: ReadRequest) -> list[TargetEstimate]:
    """One estimate per target language of the request."""
    valid, units = read.valid, read.units
    sources = list(dict.fromkeys(unit.source for unit in units if unit.translatable))
    engine = engine_class(valid.engine)
    batches = len(batch_bounds([len(source) for source in sources], engine.round_size()))
    made = estimate(engine, sources, batches)
    return [TargetEstimate(target, made) for target in valid.targets]


@dataclass(frozen=True)
class TargetAnalysis:
    target_lang: str
    analysis: dict[str, Any]


def analyse_request(read: ReadRequest) -> list[TargetAnalysis]:
    """The CAT analysis (iris/memory/analysis.py) each target of the request would get
    against the translation memory as it is now: what a job's retrieve_context step
    finds, segment by segment, with the same neighbours (context matches)."""
    valid, language, units = read.valid, read.language, read.units
    sources = {order: unit.source for order, unit in enumerate(units)}
    first: dict[str, int] = {}
    queries: list[Query] = []
    for order, unit in enumerate(units):
        if unit.translatable and unit.source not in first:
            first[unit.source] = len(queries)
            queries.append(Query(unit.source, neighbours_hash(sources, order)))
    found = []
    for target in valid.targets:
        matches = memory().lookup(queries, language, target, k=1, threshold=ANALYSIS_FLOOR)
        seen: set[str] = set()
        rows = []
        for unit in units:
            if not unit.translatable:
                continue
            best = matches[first[unit.source]]
            rows.append((best[0].score if best else None, unit.words, unit.source in seen))
            seen.add(unit.source)
        found.append(TargetAnalysis(target, analyse(rows).as_dict()))
    return found
