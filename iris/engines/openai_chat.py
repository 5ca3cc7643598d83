"""The ``openai`` engine: any OpenAI-compatible chat model (OpenAI, Azure OpenAI, vLLM,
Ollama, llama.cpp server, LM Studio), through the official ``openai`` SDK pointed at
``IRIS_OPENAI_BASE_URL``.

Several segments go in one request under a JSON contract: the user message lists
``{"id", "text"}`` objects (with the neighbours of the first and last, the headings
above and the document's title, which the model reads as context, never translates),
and the answer must be ``{"translations": [{"id", "text"}, …]}``. Every answer is
checked before it is accepted: each id exactly once and no other, the inline tags those
of the source, not the source itself, not in the source language, neither padded nor a
refusal. A segment whose answer fails is asked again with the others that failed and
what was wrong, then alone; what still fails is kept with the finding (an error the QA
report shows), never silently dropped or left in the source language.

Failures of the service map to :class:`TransientError` (429 with its ``Retry-After``,
5xx, time-outs, lost connections: the task layer retries with backoff) or
:class:`PermanentError` (a refused key, an unknown model, a bad request).
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar, TypeGuard

import langcodes
from django.conf import settings

from iris.docx import TagError

if TYPE_CHECKING:  # the SDK takes a third of a second to import: only when it runs
    import openai
    from openai._legacy_response import LegacyAPIResponse
    from openai.types.chat import ChatCompletion, ChatCompletionMessageParam
from iris.docx import plain_text
from iris.engines.base import (
    Engine,
    EngineRequest,
    EngineResult,
    EngineSegment,
    Option,
    PermanentError,
    TransientError,
    Usage,
    retry_after,
    with_outer_space,
)
from iris.qa.checks import run_checks

logger = logging.getLogger(__name__)
#: segments and source characters per request on the first attempt
SEGMENTS_PER_REQUEST, CHARACTERS_PER_REQUEST = 40, 12_000
_TOKEN_RE = re.compile(r"\w+|[^\w\s]")
#: how much longer a translation runs than its source, in tokens (the estimate's)
_EXPANSION = 1.3


def approximate_tokens(text: str) -> int:
    """Tokens by a fixed rule: words and single marks (a model's tokenizer differs)."""
    return len(_TOKEN_RE.findall(text))


@dataclass
class _Attempt:
    """What a request gave: accepted targets, and why each other id failed."""

    accepted: dict[str, str]
    failed: dict[str, tuple[str, str]]  # id -> (best answer or "", reason)
    input_tokens: int = 0
    output_tokens: int = 0


class OpenAIEngine(Engine):
    name = "openai"
    description = "any OpenAI-compatible chat model (IRIS_OPENAI_BASE_URL, IRIS_OPENAI_MODEL)"
    segments_per_request = SEGMENTS_PER_REQUEST
    characters_per_request = CHARACTERS_PER_REQUEST
    uses_context = True
    takes_feedback = True
    marks_exchange = True
    option_specs: ClassVar[Mapping[str, Option]] = {
        "formality": Option(str, "", choices=("", "formal", "informal"), help="register"),
        "audience": Option(str, "", help="who reads the translation, e.g. engineers"),
    }

    @classmethod
    def configuration_problem(cls) -> str | None:
        # A key is not required: local servers (Ollama, vLLM, llama.cpp) take none.
        if not settings.IRIS_OPENAI_MODEL:
            return "IRIS_OPENAI_MODEL is not set"
        return None

    @classmethod
    def price_keys(cls) -> tuple[str, ...]:
        return (f"openai:{settings.IRIS_OPENAI_MODEL}", "openai")

    def configuration(self) -> dict[str, Any]:
        return {"model": settings.IRIS_OPENAI_MODEL, "server": settings.IRIS_OPENAI_BASE_URL}

    @classmethod
    def estimate(cls, sources: Sequence[str], batches: int) -> Usage:
        """Tokens by a fixed rule (words and single marks; tiktoken cannot be used
        here), counted on the prompt this engine really builds: the instructions and
        JSON of every request, each segment in its JSON, the context sent with each
        request (the title, and the text before and after: two segments' worth), and
        the answer's JSON around each translation; what is asked again is not
        foreseen."""
        if not sources:
            return Usage()
        source_tokens = sum(approximate_tokens(source) for source in sources)
        requests = cls.requests(len(sources), batches)
        per_request, per_segment = _prompt_overheads()
        context = 3 * source_tokens / len(sources)  # neighbours and title, per request
        sent = (
            source_tokens + round(requests * (per_request + context)) + len(sources) * per_segment
        )
        received = round(source_tokens * _EXPANSION) + len(sources) * per_segment
        return Usage(sum(len(s) for s in sources), sent, received)

    @classmethod
    def warm_up(cls) -> None:
        """Import the SDK and build the client: a third of a second that the first
        batch's concurrent requests otherwise wait for, each behind the import lock."""
        with contextlib.suppress(PermanentError):  # no model set: the batch says so
            _client()

    def translate_batch(self, request: EngineRequest) -> EngineResult:
        targets: dict[str, str] = {}
        sent = {s.key: s for s in request.segments}
        client = _client()
        sent_tokens = received_tokens = 0
        failed: dict[str, tuple[str, str]] = {}
        # First all together (the base class has cut the request to size), then what
        # failed together with the reasons, then each one alone.
        whole = max(1, len(sent))
        for size, todo in ((whole, list(sent)), (whole, None), (1, None)):
            keys = todo if todo is not None else list(failed)
            if not keys:
                break
            notes = {key: reason for key, (_, reason) in failed.items()}
            failed = {}
            for start in range(0, len(keys), size):
                chunk = [sent[key] for key in keys[start : start + size]]
                attempt = self._ask(client, request, chunk, notes)
                targets.update(attempt.accepted)
                failed.update(attempt.failed)
                sent_tokens += attempt.input_tokens
                received_tokens += attempt.output_tokens
        flags = {}
        for key, (answer, reason) in failed.items():
            # Kept, and flagged: the QA report shows it as an error to review.
            targets[key] = answer or sent[key].source
            flags[key] = f"the model's translation failed every check ({reason})"
        characters = sum(len(s.source) for s in sent.values())
        usage = Usage(characters, sent_tokens, received_tokens)
        return EngineResult(targets, usage, flags)

    def _ask(
        self,
        client: openai.OpenAI,
        request: EngineRequest,
        chunk: Sequence[EngineSegment],
        notes: Mapping[str, str],
    ) -> _Attempt:
        import openai

        messages = _messages(request, chunk, notes, self.options)
        try:
            with self.exchange():
                raw = client.chat.completions.with_raw_response.create(
                    model=settings.IRIS_OPENAI_MODEL,
                    messages=messages,
                    response_format={"type": "json_object"},
                    temperature=0,
                )
        except openai.APIError as error:
            raise _mapped(error) from error
        response = _completion(raw)
        content = _content(response)
        answers, problem = _answers(content)
        attempt = _Attempt({}, {}, *_tokens_used(response, messages, content))
        for segment in chunk:
            found = answers.get(segment.key)
            reason = problem or _rejected(segment.source, found, request)
            if reason is None and found is not None:
                attempt.accepted[segment.key] = with_outer_space(segment.source, found)
            else:
                attempt.failed[segment.key] = (found or "", reason or "no answer")
        return attempt


@cache
def _prompt_overheads() -> tuple[int, int]:
    """Tokens of one request's prompt around its segments, and of the JSON around one
    segment: measured on the prompt :func:`_messages` builds (ids of six digits)."""

    def tokens(count: int) -> int:
        segments = [EngineSegment(str(100000 + n), "") for n in range(count)]
        messages = _messages(EngineRequest("en", "de", segments), segments, {}, {})
        return _prompt_tokens(messages)

    one, two = tokens(1), tokens(2)
    return one - (two - one), two - one


def _client() -> openai.OpenAI:
    problem = OpenAIEngine.not_set_up()
    if problem is not None:
        raise PermanentError(problem)
    return _client_for(
        settings.IRIS_OPENAI_API_KEY, settings.IRIS_OPENAI_BASE_URL, settings.IRIS_OPENAI_TIMEOUT
    )


@cache
def _client_for(key: str, base_url: str, timeout: float) -> openai.OpenAI:
    """One client (its connection pool) per server for the process: the batches of a
    job reuse its connections. The SDK's client is thread-safe."""
    import openai

    return openai.OpenAI(
        api_key=key or "not-needed",
        base_url=base_url or None,
        timeout=timeout,
        max_retries=0,  # the task layer retries, with backoff and Retry-After
    )


def _language_name(tag: str) -> str:
    return str(langcodes.Language.get(tag).display_name("en"))


def _messages(
    request: EngineRequest,
    chunk: Sequence[EngineSegment],
    notes: Mapping[str, str],
    options: Mapping[str, Any],
) -> list[ChatCompletionMessageParam]:
    source, target = _language_name(request.source_lang), _language_name(request.target_lang)
    style = ""
    if options.get("formality"):
        style += f" Use a {options['formality']} register."
    if options.get("audience"):
        style += f" The readers are {options['audience']}."
    first, last = chunk[0].context, chunk[-1].context
    body: dict[str, Any] = {
        "document_title": first.title,
        "headings_above": list(first.headings),
        "text_before": first.previous,
        **_term_fields(request, chunk),
        "segments": [_segment_fields(s, notes.get(s.key, "")) for s in chunk],
        "text_after": last.next,
    }
    system = (
        f"You translate documents from {source} ({request.source_lang}) into {target} "
        f"({request.target_lang}).{style} Segments carry inline tags such as <g1>…</g1> "
        "and <x2/>: keep every tag exactly once, as written, around the words it marks. "
        "Keep &amp;, &lt; and &gt; as they are. Context is for understanding only."
        f"{_slot_guidance(body)} "
        'Answer with JSON only: {"translations": [{"id": "…", "text": "…"}]}, one '
        "entry per segment id, nothing else."
    )
    return [
        {"role": "system", "content": system},
        {"role": "user", "content": json.dumps(body, ensure_ascii=False)},
    ]


#: memory matches a segment carries into the prompt, best first: each costs about as
#: many tokens as the segment itself, and a request should stay near 3x its source's
_MATCHES_PER_SEGMENT = 2


def _term_fields(request: EngineRequest, chunk: Sequence[EngineSegment]) -> dict[str, Any]:
    """The glossary fields: must-use terms whose source is in one of the segments
    (whatever its case), forbidden ones all (words of the translation, not the source)."""
    texts = [_plain(segment.source).casefold() for segment in chunk]
    use: dict[str, str] = {}
    for term in request.terms:
        if not term.forbidden and any(term.source.casefold() in text for text in texts):
            use.setdefault(term.source, term.target)
    never = list(dict.fromkeys(term.source for term in request.terms if term.forbidden))
    return ({"use_terms": use} if use else {}) | ({"never_use": never} if never else {})


def _segment_fields(segment: EngineSegment, problem: str) -> dict[str, Any]:
    """One segment, with what the engine's checks or QA found wrong before, and its
    best memory matches."""
    fields: dict[str, Any] = {"id": segment.key, "text": segment.source}
    if problem:
        fields["previous_attempt_problem"] = problem
    if segment.feedback:
        fields["qa_problem"] = segment.feedback
    best = sorted(segment.matches, key=lambda match: -match.score)[:_MATCHES_PER_SEGMENT]
    if best:
        fields["memory"] = [
            {"source": m.source, "target": m.target, "score": round(m.score)} for m in best
        ]
    return fields


def _slot_guidance(body: Mapping[str, Any]) -> str:
    """What the request's optional fields mean, said only when they are there."""
    segments = body["segments"]
    said = [
        ("use_terms" in body, 'Translate each "use_terms" source as its target, exactly.'),
        ("never_use" in body, 'Never write a "never_use" term.'),
        (
            any("memory" in s for s in segments),
            '"memory" holds translations of similar text (score in %): for reference; adapt.',
        ),
        (
            any("qa_problem" in s for s in segments),
            '"qa_problem" is what a check found wrong in an earlier translation: fix it.',
        ),
    ]
    return "".join(f" {sentence}" for present, sentence in said if present)


def _plain(tagged: str) -> str:
    try:
        return plain_text(tagged)
    except TagError:
        return tagged  # a term is then looked for in the tagged text


def _answers(content: str | None) -> tuple[dict[str, str], str | None]:
    """The answer's translations by id, or why the answer as a whole is unusable."""
    try:
        data = json.loads(content or "")
        items = data["translations"]
        pairs = [(str(item["id"]), str(item["text"])) for item in items]
    except (ValueError, TypeError, KeyError):
        return {}, "the answer was not the JSON asked for"
    found: dict[str, str] = {}
    twice: set[str] = set()
    for key, text in pairs:
        if key in found:
            twice.add(key)
        found[key] = text
    return {k: v for k, v in found.items() if k not in twice}, None


#: the QA checks whose findings make the engine ask again at once (what the others find
#: is left to QA, and to its repair loop)
ASK_AGAIN_CHECKS = frozenset({"tags", "empty", "untranslated", "refusal", "length", "language"})


def _rejected(source: str, target: str | None, request: EngineRequest) -> str | None:
    """Why ``target`` is not an acceptable translation of ``source`` (None: it is):
    QA's own checks of the tags, an empty or untranslated answer, an explanation or a
    refusal, a length far from the source's (padded or cut short) and the language,
    so that the engine and QA judge an answer alike."""
    if target is None:
        return "this id was missing from the answer (or given twice)"
    issues = run_checks(
        source,
        target,
        source_lang=request.source_lang,
        target_lang=request.target_lang,
        enabled=ASK_AGAIN_CHECKS,
    )
    return "; ".join(issue.message for issue in issues) or None


def _completion(raw: LegacyAPIResponse[ChatCompletion]) -> ChatCompletion:
    """The chat completion a 200 answer holds. Something else (a proxy's HTML page,
    JSON cut short) is transient: the SDK would hand it over as text or fail to decode."""
    from openai.types.chat import ChatCompletion

    try:
        completion: object = raw.parse()
    except ValueError:  # JSON it could not decode
        completion = None
    if not isinstance(completion, ChatCompletion):
        kind = raw.headers.get("content-type") or "no content type"
        raise TransientError(
            f"the OpenAI-compatible server at {_server()} answered with something that is "
            f"not a chat completion ({kind}): check IRIS_OPENAI_BASE_URL and any proxy"
        )
    return completion


def _tokens_used(
    response: ChatCompletion, messages: Sequence[ChatCompletionMessageParam], content: str | None
) -> tuple[int, int]:
    """Tokens the request used, as the server reports them (``usage``). A server that
    reports none, or something that is not a count (some OpenAI-compatible servers), is
    counted by :func:`approximate_tokens`, never as free: the job's cost and its budget
    depend on it."""
    usage = getattr(response, "usage", None)
    sent = getattr(usage, "prompt_tokens", None)
    received = getattr(usage, "completion_tokens", None)
    if _is_count(sent) and _is_count(received):
        return sent, received
    logger.warning(
        "the OpenAI-compatible server at %s reported no usable token counts (%r); "
        "counting them by Iris's own rule",
        _server(),
        usage,
    )
    return _prompt_tokens(messages), approximate_tokens(content or "")


def _prompt_tokens(messages: Sequence[ChatCompletionMessageParam]) -> int:
    """Tokens of every message of a request, by :func:`approximate_tokens`."""
    return sum(approximate_tokens(str(message.get("content", ""))) for message in messages)


def _is_count(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _content(response: ChatCompletion) -> str | None:
    """The first choice's text; None when the completion has no choice or message
    (the engine's checks then find the answer unusable and ask again)."""
    choices = response.choices
    message = choices[0].message if isinstance(choices, list) and choices else None
    content = getattr(message, "content", None)
    return content if isinstance(content, str) else None


def _server() -> str:
    return settings.IRIS_OPENAI_BASE_URL or "api.openai.com"


def _mapped(error: openai.APIError) -> Exception:
    """The service's failure as a transient or permanent engine error."""
    import openai

    where = _server()
    if isinstance(error, openai.APITimeoutError | openai.APIConnectionError):
        return TransientError(f"the OpenAI-compatible server at {where} did not answer ({error})")
    if isinstance(error, openai.RateLimitError):
        return TransientError(
            f"the OpenAI-compatible server at {where} asks to slow down (429)",
            retry_after=retry_after(error.response.headers),
        )
    if isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
        return PermanentError(
            f"the OpenAI-compatible server at {where} refused the API key (IRIS_OPENAI_API_KEY)"
        )
    if isinstance(error, openai.NotFoundError):
        return PermanentError(
            f"the OpenAI-compatible server at {where} has no model "
            f"{settings.IRIS_OPENAI_MODEL!r} (IRIS_OPENAI_MODEL)"
        )
    if isinstance(error, openai.APIStatusError) and error.status_code >= 500:
        return TransientError(
            f"the OpenAI-compatible server at {where} failed ({error.status_code})",
            retry_after=retry_after(error.response.headers),
        )
    return PermanentError(f"the OpenAI-compatible server at {where} refused the request: {error}")
