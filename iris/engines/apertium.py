"""The ``apertium`` engine: rule-based machine translation, fully offline.

Apertium comes from Debian (``apertium`` plus one package per language pair, such as
``apertium-eng-spa``); each installed direction is a *mode* named after its languages
(``eng-spa``, ``spa-eng_US``, ``en-gl``: two- or three-letter codes, an optional
variant). The pairs this engine offers are the installed modes, read from the modes
folder (``IRIS_APERTIUM_MODES``).

A whole batch goes through one ``apertium`` call: each segment becomes one ``<p>`` of an
HTML page, which Apertium's HTML format handling keeps apart and whose markup it carries
through. Paired tags (``<g1>…</g1>``) go as they are: Apertium takes them for blanks
inside a sentence, so the words they hold may move as a unit. A standalone placeholder
(``<x2/>``: a tab, a field, an image) goes as ``<br id="x2">``, a line break that
Apertium's HTML format ends a sentence at: a placeholder written as itself is a blank
too, and transfer rules moved words across it (``Confidential<tab>Page`` came back as
``Página<tab>confidencial``), breaking headers and footers laid out by tabs. Apertium
capitalises a sentence start, so segments with placeholders also go as they are, once
more in the same call, and the first word after a placeholder takes the case it has in
that translation when the source's is lower-case (``grew<x1/> and`` gives
``crecieron<x1/> y``, not ``Y``; ``<x1/> inglés`` stays ``English``). Each ``<p>``
read back is normalised to our tag syntax (the line breaks back to placeholders, a
standalone written back as ``<x2></x2>``, HTML entities in the text, the double space a
dropped word leaves) and given back its source's leading and trailing whitespace, which
joins it to its neighbours in the paragraph.
"""

from __future__ import annotations

import contextlib
import html
import re
import tempfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import langcodes
from django.conf import settings

from iris.docx import TAG_PATTERN, escape_text
from iris.engines.base import (
    Engine,
    EngineRequest,
    EngineResult,
    PermanentError,
    TransientError,
    UnsupportedPairError,
    Usage,
    with_outer_space,
)
from iris.formats.process import TimedOut, exit_description, run_bounded

_MODE_RE = re.compile(r"^([a-z]{2,3})-([a-z]{2,3})(?:_([A-Za-z0-9]+))?\.mode$")
_PARAGRAPH_RE = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_PIECE_RE = re.compile(rf"({TAG_PATTERN}|<x[1-9][0-9]*></x[1-9][0-9]*>)")
_EMPTY_STANDALONE_RE = re.compile(r"<(x[1-9][0-9]*)></\1>")
_SPACES_RE = re.compile(r"  +")
_OPENING_SPACE_RE = re.compile(r"(<g[1-9][0-9]*>)(\s+)")
_CLOSING_SPACE_RE = re.compile(r"(\s+)(</g[1-9][0-9]*>)")
_LEADING_EMPTY_PAIRS_RE = re.compile(r"^\s*((?:<(g[1-9][0-9]*)></\2>)+)\s+")
_STANDALONE_RE = re.compile(r"<(x[1-9][0-9]*)/>")
_BOUNDARY_RE = re.compile(r'<br id="(x[1-9][0-9]*)">')
# The first word of a piece: tags, entities, digits and punctuation before it skipped.
_FIRST_WORD_RE = re.compile(r"(?:<[^>]*>|&#?\w+;|[\W\d_])*?([^\W\d_]+)")
#: seconds for starting the pipeline, then per thousand characters of the batch
_BASE_SECONDS, _SECONDS_PER_1000 = 30.0, 2.0


def _language(tag: str) -> langcodes.Language:
    return langcodes.Language.get(tag)


def _codes(tag: str) -> set[str]:
    """The codes a mode may use for ``tag``'s language: two- and three-letter."""
    language = _language(tag)
    codes = {str(language.language)}
    with contextlib.suppress(LookupError):  # a language without a three-letter code
        codes.add(language.to_alpha3())
    return codes


@cache
def _modes(folder: str) -> tuple[tuple[str, str, str, str], ...]:
    """Installed modes as (mode, source code, target code, variant)."""
    path = Path(folder)
    if not path.is_dir():
        return ()
    found = []
    for mode in sorted(path.iterdir()):
        match = _MODE_RE.match(mode.name)
        if match:
            source, target, variant = match.groups()
            found.append((mode.name[: -len(".mode")], source, target, variant or ""))
    return tuple(found)


def installed_modes() -> tuple[tuple[str, str, str, str], ...]:
    return _modes(settings.IRIS_APERTIUM_MODES)


def mode_for(source: str, target: str) -> str | None:
    """The installed mode translating ``source`` into ``target`` (BCP-47 tags), or None.

    A mode whose variant is the target's region (``spa-eng_US`` for ``en-US``) comes
    first, then the plain mode, then any variant of the target language.
    """
    sources, targets = _codes(source), _codes(target)
    region = _language(target).territory or ""
    candidates = [m for m in installed_modes() if m[1] in sources and m[2] in targets]
    ranked = sorted(candidates, key=lambda m: (m[3] != region or not region, m[3] != "", m[0]))
    return ranked[0][0] if ranked else None


def _names(codes: Iterable[str]) -> list[str]:
    return sorted({str(langcodes.standardize_tag(code)) for code in codes})


class ApertiumEngine(Engine):
    name = "apertium"
    description = "Apertium rule-based machine translation, offline (Debian packages)"

    @classmethod
    def check_pair(cls, source: str, target: str) -> None:
        modes = installed_modes()
        if not modes:
            raise UnsupportedPairError(
                "the apertium engine has no language pair installed (install apertium "
                "and a pair package, e.g. apt-get install apertium apertium-eng-spa)"
            )
        if source == "auto":
            if not any(m[2] in _codes(target) for m in modes):
                into = ", ".join(_names(m[2] for m in modes))
                raise UnsupportedPairError(
                    f"the apertium engine cannot translate into {target}; installed targets: {into}"
                )
            return
        if mode_for(source, target) is None:
            into = ", ".join(_names(m[2] for m in modes if m[1] in _codes(source))) or "none"
            raise UnsupportedPairError(
                f"the apertium engine cannot translate {source} into {target}; from "
                f"{source} it translates into: {into}"
            )

    def translate_batch(self, request: EngineRequest) -> EngineResult:
        mode = mode_for(request.source_lang, request.target_lang)
        if mode is None:
            self.check_pair(request.source_lang, request.target_lang)  # says why
            raise UnsupportedPairError(f"no apertium mode for {request.source_lang}")
        sent = request.segments
        inline = [segment for segment in sent if _STANDALONE_RE.search(segment.source)]
        page = "".join(f"<p>{segment.source}</p>\n" for segment in sent)
        pieces = _PARAGRAPH_RE.findall(_run(mode, page))
        if len(pieces) != len(sent) + len(inline):
            raise PermanentError(
                f"apertium ({mode}) returned {len(pieces)} paragraphs for {len(sent) + len(inline)}"
            )
        references = {s.key: piece for s, piece in zip(inline, pieces[len(sent) :], strict=True)}
        targets = {
            s.key: _restore(s.source, piece, references.get(s.key, ""))
            for s, piece in zip(sent, pieces[: len(sent)], strict=True)
        }
        return EngineResult(targets, Usage(characters=sum(len(s.source) for s in sent)))


def _run(mode: str, page: str) -> str:
    """``page`` (one ``<p>`` per segment, in our tag syntax) translated by one
    ``apertium`` call (a pipeline of processes, killed as a group at the time limit), as
    `_for_apertium` writes it."""
    timeout = _BASE_SECONDS + _SECONDS_PER_1000 * len(page) / 1000
    with tempfile.TemporaryDirectory(prefix="iris-apertium-") as folder:
        work = Path(folder)
        (work / "in.html").write_text(_for_apertium(page), encoding="utf-8")
        # The modes this engine offers are those it runs: apertium -d takes the folder
        # that holds "modes".
        data = str(Path(settings.IRIS_APERTIUM_MODES).parent)
        command = [
            settings.IRIS_APERTIUM_PATH,
            *("-d", data),
            *("-u", "-f", "html", mode, "in.html", "out.html"),
        ]
        try:
            finished = run_bounded(command, timeout=timeout, workdir=work)
        except OSError as error:
            raise PermanentError(
                f"apertium cannot be started ({settings.IRIS_APERTIUM_PATH}: {error.strerror}); "
                "install it with apt-get install apertium"
            ) from error
        except TimedOut:
            raise TransientError(
                f"apertium ({mode}) did not finish within {timeout:.0f} s and was stopped"
            ) from None
        output = work / "out.html"
        if finished.returncode != 0 or not output.is_file():
            raise PermanentError(
                f"apertium ({mode}) failed: {finished.output or 'no message'} "
                f"({exit_description(finished.returncode)})"
            )
        return output.read_text(encoding="utf-8", errors="replace")


def _for_apertium(page: str) -> str:
    """``page`` with each standalone placeholder as a line break Apertium ends a
    sentence at, so that no word moves across it, followed by the paragraphs that have
    placeholders once more as they are (the case of their words mid-sentence,
    `_source_case`)."""
    inline = [p for p in _PARAGRAPH_RE.findall(page) if _STANDALONE_RE.search(p)]
    bounded = _STANDALONE_RE.sub(r'<br id="\1">', page)
    return bounded + "".join(f"<p>{paragraph}</p>\n" for paragraph in inline)


def _without_boundaries(source: str, piece: str, reference: str) -> str:
    """The placeholders back from their line breaks, and the first word after each in
    the case it has mid-sentence (see `_source_case`)."""
    pieces = _BOUNDARY_RE.split(piece)
    texts, names = pieces[0::2], pieces[1::2]
    sources = _STANDALONE_RE.split(source)[0::2]
    if len(sources) == len(texts):
        pairs = zip(sources[1:], texts[1:], strict=True)
        texts[1:] = [_source_case(s, text, reference) for s, text in pairs]
    return texts[0] + "".join(
        f"<{name}/>{text}" for name, text in zip(names, texts[1:], strict=True)
    )


def _source_case(source: str, text: str, reference: str) -> str:
    """``text`` with its first word lower-cased when Apertium capitalised it only as a
    sentence start: the source's first word is lower-case, and ``reference`` (the
    segment translated with its placeholders inline, as one sentence) has the word in
    lower case. Words a language always capitalises (English "I", "Monday",
    "English"; German nouns) are capitalised there too, and stay so."""
    source_word, word = _FIRST_WORD_RE.match(source), _FIRST_WORD_RE.match(text)
    if source_word is None or word is None or not source_word.group(1)[0].islower():
        return text
    found = word.group(1)
    lower = found[0].lower() + found[1:]
    if lower == found or not re.search(rf"\b{re.escape(lower)}\b", reference):
        return text
    return text[: word.start(1)] + lower + text[word.end(1) :]


def _restore(source: str, piece: str, reference: str = "") -> str:
    """A ``<p>`` read back, in our tag syntax, with the source's outer whitespace;
    ``reference`` is the segment translated with its placeholders inline."""
    piece = _without_boundaries(source, piece, reference)
    parts = []
    for index, part in enumerate(_PIECE_RE.split(piece)):
        if index % 2:  # a tag
            parts.append(_EMPTY_STANDALONE_RE.sub(r"<\1/>", part))
        else:
            parts.append(escape_text(html.unescape(part)))
    text = _spaces_outside_tags(source, "".join(parts))
    if "  " not in source:  # a word Apertium dropped leaves its two spaces behind
        text = _SPACES_RE.sub(" ", text)
    return with_outer_space(source, text)


def _spaces_outside_tags(source: str, text: str) -> str:
    """Whitespace Apertium put just inside a pair of tags (``I <g1>will</g1> go`` comes
    back as ``<g1> Iré</g1>``) moved outside it, unless the source has it there: else
    the formatting would start on a space, and the paragraph with one."""

    def opening(match: re.Match[str]) -> str:
        tag, space = match.groups()
        return match.group() if re.search(re.escape(tag) + r"\s", source) else space + tag

    def closing(match: re.Match[str]) -> str:
        space, tag = match.groups()
        return match.group() if re.search(r"\s" + re.escape(tag), source) else tag + space

    text = _CLOSING_SPACE_RE.sub(closing, _OPENING_SPACE_RE.sub(opening, text))
    # A pair left empty at the start (its word moved away) shows nothing: no space after it.
    return _LEADING_EMPTY_PAIRS_RE.sub(r"\1", text)
