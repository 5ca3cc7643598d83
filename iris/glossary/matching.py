"""Finding glossary terms in tagged source segments. No Django: both backends (and
anything else) build the same :class:`Matcher`, so they find the same terms.

How a term matches:

- as whole words, case-insensitively unless the entry is case-sensitive (then each
  word's letters must have the term's case);
- inflected: each word is compared by its Snowball stem in the source language
  (``contracts`` finds "contract"; a language without a stemmer compares the
  case-folded words), in order, with whitespace between (any amount; a term's own
  punctuation between words, as in "e-mail", must be there);
- in scripts written without spaces (Chinese, Japanese, Thai, Korean …) anywhere, as
  a substring;
- never inside a tag, never across a standalone tag ``<xN/>`` (a protected
  placeholder), never inside placeholder-like text (``{0}``, ``%1$s``, ``${x}``, URLs,
  e-mail addresses); paired tags ``<gN>`` are formatting, and a term may span them;
- when matches overlap, the longest wins, then the earliest; entries matching the
  very same text (one source, two parts of speech) are all kept.

Offsets are in the segment's plain text (tags removed, entities unescaped).
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

import snowballstemmer  # type: ignore[import-untyped]  # no stubs or py.typed

from iris.docx import scan


@dataclass(frozen=True)
class Entry:
    """A glossary term as the matcher sees it (``id`` is the term's row)."""

    id: int
    source: str
    targets: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    case_sensitive: bool = False
    do_not_translate: bool = False
    part_of_speech: str = ""
    note: str = ""


@dataclass(frozen=True)
class TermMatch:
    """Where ``entry`` occurs: ``[start, end)`` of the plain text, which reads ``text``."""

    entry: Entry
    start: int
    end: int
    text: str


#: what an entry is looked up by: the stem of its first word, or (written without
#: spaces) its first character, case-folded
KeyKind = Literal["word", "char"]

# Snowball algorithms by primary language subtag (only those the installed version has
# are used: a language without one compares whole words).
_SNOWBALL = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech",
    "da": "danish", "nl": "dutch", "en": "english", "eo": "esperanto", "et": "estonian",
    "fi": "finnish", "fr": "french", "de": "german", "el": "greek", "hi": "hindi",
    "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian",
    "lt": "lithuanian", "ne": "nepali", "no": "norwegian", "nb": "norwegian",
    "nn": "norwegian", "fa": "persian", "pl": "polish", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sr": "serbian", "st": "sesotho", "es": "spanish",
    "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip

UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f]"
)
# A word: a letter or digit, then letters, digits and the combining marks that \w
# leaves out (Indic vowel signs, Arabic and Hebrew points, joiners).
_WORD = re.compile(
    r"\w[\w\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    r"\u0900-\u0963\u0966-\u0dff\u200c\u200d]*"
)
_PLACEHOLDER = re.compile(
    r"""\{\{.*?\}\}                                   # {{x}}
      | \$\{[^{}]*\}                                  # ${x}
      | \{[^{}\s]*\}                                  # {0} {name}
      | %(?:\(\w+\)|\d+\$)?[-+\#0]*\d*(?:\.\d+)?[sdifuxXeEgGcro]  # %s %1$s %(n)d %.2f
      | (?:\b(?:https?|ftp)://|\bwww\.)\S+            # URLs
      | [\w.+-]+@\w[\w-]*(?:\.[\w-]+)+                # e-mail addresses
    """,
    re.VERBOSE,
)
# Stems are the slow part (pure Python); words repeat, so each language keeps them.
_STEM_CACHE_SIZE = 200_000


class _Stemmer:
    """One language's stems of case-folded words, cached; thread-safe (a Snowball
    stemmer keeps state while it works)."""

    def __init__(self, lang: str) -> None:
        algorithm = _SNOWBALL.get(lang.split("-")[0].lower(), "")
        self._stemmer = (
            snowballstemmer.stemmer(algorithm)
            if algorithm in snowballstemmer.algorithms()
            else None
        )
        self._cache: dict[str, str] = {}
        self._lock = threading.Lock()

    def stem(self, word: str) -> str:
        folded = word.casefold()
        cached = self._cache.get(folded)
        if cached is not None:
            return cached
        if self._stemmer is None:
            return folded
        with self._lock:
            if len(self._cache) >= _STEM_CACHE_SIZE:
                self._cache.clear()
            stem = self._cache[folded] = str(self._stemmer.stemWord(folded))
        return stem


_STEMMERS: dict[str, _Stemmer] = {}
_STEMMERS_LOCK = threading.Lock()


def stemmer(lang: str) -> _Stemmer:
    """The process's one stemmer for ``lang``'s primary subtag."""
    primary = lang.split("-")[0].lower()
    with _STEMMERS_LOCK:
        if primary not in _STEMMERS:
            _STEMMERS[primary] = _Stemmer(primary)
        return _STEMMERS[primary]


def fold_chars(text: str) -> str:
    """``text`` lower-cased one character for one (offsets stay valid: "İ" stays)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _gap(text: str) -> str:
    """A separator between two words, normalised: whitespace is one space."""
    return " ".join(text.split()) or " "


def _same_case(found: str, word: str) -> bool:
    """Whether ``found`` (maybe inflected) has ``word``'s case where they share letters."""
    shared = 0
    for a, b in zip(found, word, strict=False):
        if a.lower() != b.lower():
            break
        shared += 1
    return shared > 0 and found[:shared] == word[:shared]


@dataclass(frozen=True)
class _WordPattern:
    entry: Entry
    words: tuple[str, ...]
    stems: tuple[str, ...]
    gaps: tuple[str, ...]  # between consecutive words, normalised
    prefix: str  # text the term has before its first word (".NET") and after its last
    suffix: str


@dataclass(frozen=True)
class _CharPattern:
    entry: Entry
    pieces: tuple[str, ...]  # the term's whitespace-separated parts (folded unless
    # case-sensitive); any whitespace or none may come between them


def _word_pattern(entry: Entry, stems: _Stemmer) -> _WordPattern | None:
    found = list(_WORD.finditer(entry.source))
    if not found:
        return None  # punctuation only: nothing to find as words
    words = tuple(m.group() for m in found)
    gaps = tuple(_gap(entry.source[a.end() : b.start()]) for a, b in pairwise(found))
    prefix, suffix = entry.source[: found[0].start()], entry.source[found[-1].end() :]
    if not entry.case_sensitive:
        gaps, prefix, suffix = tuple(map(fold_chars, gaps)), fold_chars(prefix), fold_chars(suffix)
    return _WordPattern(entry, words, tuple(map(stems.stem, words)), gaps, prefix, suffix)


def _char_pattern(entry: Entry) -> _CharPattern:
    text = entry.source if entry.case_sensitive else fold_chars(entry.source)
    return _CharPattern(entry, tuple(text.split()))


def index_key(entry: Entry, lang: str) -> tuple[KeyKind, str] | None:
    """What ``entry`` is found by in ``lang`` (None: it can never match)."""
    if UNSPACED.search(entry.source):
        pieces = entry.source.split()
        return ("char", fold_chars(pieces[0][0])) if pieces else None
    first = _WORD.search(entry.source)
    return ("word", stemmer(lang).stem(first.group())) if first else None


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    stem: str


@dataclass(frozen=True)
class _SegmentText:
    """A segment's plain text and the stretches of it terms may occur in."""

    plain: str
    spans: tuple[tuple[int, int], ...]


def _read_segment(tagged: str) -> _SegmentText:
    """The plain text of ``tagged`` and its stretches between standalone tags and
    placeholders (raises `iris.docx.errors.TagError` on malformed tagged text)."""
    pieces: list[str] = []
    runs: list[tuple[int, int]] = []
    start = length = 0
    for token in scan(tagged):
        if token.kind == "text":
            pieces.append(token.text)
            length += len(token.text)
        elif token.kind == "standalone":
            runs.append((start, length))
            start = length
    runs.append((start, length))
    plain = "".join(pieces)
    return _SegmentText(plain, tuple(_outside_placeholders(plain, runs)))


def _outside_placeholders(plain: str, runs: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    for start, end in runs:
        position = start
        # A slice, not pos/endpos: \b must not see the text across a standalone tag.
        for found in _PLACEHOLDER.finditer(plain[start:end]):
            if start + found.start() > position:
                yield position, start + found.start()
            position = start + found.end()
        if position < end:
            yield position, end


class Matcher:
    """Finds a glossary's entries in tagged segments of its source language ``lang``.

    Built once per glossary version (the stems of 5,000 entries take a fraction of a
    second); :meth:`find` looks each word of a segment up by its stem, so its cost
    grows with the text, not with the glossary.
    """

    def __init__(self, entries: Iterable[Entry], lang: str) -> None:
        self.lang = lang
        self._stems = stemmer(lang)
        self._words: dict[str, list[_WordPattern]] = defaultdict(list)
        self._chars: dict[str, list[_CharPattern]] = defaultdict(list)
        for entry in entries:
            self._add(entry)

    def _add(self, entry: Entry) -> None:
        key = index_key(entry, self.lang)
        if key is None:
            return
        if key[0] == "char":
            self._chars[key[1]].append(_char_pattern(entry))
            return
        pattern = _word_pattern(entry, self._stems)
        if pattern is not None:
            self._words[key[1]].append(pattern)

    def find(self, tagged_source: str) -> list[TermMatch]:
        """The entries found in ``tagged_source``, in text order (see the module's
        docstring for the rules)."""
        text = _read_segment(tagged_source)
        found: list[tuple[int, int, Entry]] = []
        for start, end in text.spans:
            if self._words:
                found.extend(self._find_words(text.plain, self._tokens(text.plain, start, end)))
            if self._chars:
                found.extend(self._find_chars(text.plain, start, end))
        return [TermMatch(entry, s, e, text.plain[s:e]) for s, e, entry in _longest_first(found)]

    def lookup_keys(self, tagged_source: str) -> dict[KeyKind, set[str]]:
        """Every key an entry found in ``tagged_source`` could have (by kind): what a
        search backend retrieves candidates by, so it misses none this matcher finds."""
        text = _read_segment(tagged_source)
        keys: dict[KeyKind, set[str]] = {"word": set(), "char": set()}
        for start, end in text.spans:
            keys["word"].update(w.stem for w in self._tokens(text.plain, start, end))
            keys["char"].update(fold_chars(text.plain[start:end]))
        keys["char"] -= set(" \t\n\r\u00a0")
        return keys

    def _tokens(self, plain: str, start: int, end: int) -> list[_Word]:
        stem = self._stems.stem
        found = _WORD.finditer(plain, start, end)
        return [_Word(m.start(), m.end(), stem(m.group())) for m in found]

    def _find_words(self, plain: str, words: Sequence[_Word]) -> Iterator[tuple[int, int, Entry]]:
        for index, word in enumerate(words):
            for pattern in self._words.get(word.stem, ()):
                span = _match_words(pattern, plain, words, index)
                if span is not None:
                    yield span[0], span[1], pattern.entry

    def _find_chars(self, plain: str, start: int, end: int) -> Iterator[tuple[int, int, Entry]]:
        original = plain[start:end]
        folded = fold_chars(original)
        for offset, char in enumerate(folded):
            for pattern in self._chars.get(char, ()):
                text = original if pattern.entry.case_sensitive else folded
                stop = _match_pieces(text, offset, pattern.pieces)
                if stop is not None:
                    yield start + offset, start + stop, pattern.entry


def _match_words(
    pattern: _WordPattern, plain: str, words: Sequence[_Word], index: int
) -> tuple[int, int] | None:
    """The span of ``pattern`` when it starts at ``words[index]`` (whose stem is its
    first), or None."""
    count = len(pattern.stems)
    if index + count > len(words):
        return None
    run = words[index : index + count]
    fold = str if pattern.entry.case_sensitive else fold_chars
    for k in range(1, count):
        if run[k].stem != pattern.stems[k]:
            return None
        if fold(_gap(plain[run[k - 1].end : run[k].start])) != pattern.gaps[k - 1]:
            return None
    if pattern.entry.case_sensitive and not all(
        _same_case(plain[w.start : w.end], word) for w, word in zip(run, pattern.words, strict=True)
    ):
        return None
    start = run[0].start - len(pattern.prefix)
    end = run[-1].end + len(pattern.suffix)
    if start < 0 or fold(plain[start : run[0].start]) != pattern.prefix:
        return None
    if fold(plain[run[-1].end : end]) != pattern.suffix:
        return None
    return start, end


def _match_pieces(text: str, offset: int, pieces: Sequence[str]) -> int | None:
    """Where ``pieces`` found at ``offset`` end (any whitespace between them), or None."""
    position = offset
    for k, piece in enumerate(pieces):
        if k:
            while position < len(text) and text[position].isspace():
                position += 1
        if not text.startswith(piece, position):
            return None
        position += len(piece)
    return position


def _longest_first(found: Iterable[tuple[int, int, Entry]]) -> list[tuple[int, int, Entry]]:
    """The matches that survive overlaps: longest first, then earliest; a match over
    the very same text as a kept one is kept too."""
    ordered = sorted(set(found), key=lambda m: (m[0] - m[1], m[0], m[2].id))
    kept: list[tuple[int, int, Entry]] = []
    taken: set[int] = set()
    spans: set[tuple[int, int]] = set()
    for start, end, entry in ordered:
        if (start, end) not in spans:
            if not taken.isdisjoint(range(start, end)):
                continue
            spans.add((start, end))
            taken.update(range(start, end))
        kept.append((start, end, entry))
    return sorted(kept, key=lambda m: (m[0], m[2].id))
