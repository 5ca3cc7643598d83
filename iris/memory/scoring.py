"""How alike two segments are, as a CAT tool shows it: the published match score.

Formula ``iris-tm-1`` (README, "Translation memory"), for a query segment and a stored
unit, both tagged text:

* identical tagged source and identical neighbours (previous and next source): **101**
  (context match); identical tagged source: **100** (exact). The caller knows the
  neighbours; :func:`score` gives 100. Outer whitespace is not compared: it belongs to
  the segment (the space before the next sentence of a paragraph), not to the sentence.
* otherwise both are reduced to their *core*: tags removed, numbers replaced by one
  placeholder, punctuation and symbols removed, whitespace collapsed, case folded.
  Differences outside the core are penalised, one point each kind or item:

  - tags: 1 when the same tags sit elsewhere, 2 when tags were added or removed;
  - numbers: 1 per number that differs, at most 2;
  - punctuation or symbols: 1;
  - case or whitespace: 1.

  Same core: ``100 - penalties``, kept within **95–99** (only numbers, tags,
  punctuation or case differ). Different core: ``floor(100 × s) - penalties``, at most
  99, where ``s`` is the character-level Levenshtein similarity of the two cores
  (``1 - distance / longer length``).

A unit whose target locale only shares the language with the query's (``fr`` for
``fr-CA``) loses one more point in :mod:`iris.memory.lookup`: ranked below an exact
locale, and never applied without the engine as a 100 % match.

Scores are integers. The formula is versioned: a change to it gets a new name, so a
stored analysis says which formula made it.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from rapidfuzz.distance import Levenshtein

from iris.docx import scan

FORMULA = "iris-tm-1"
CONTEXT = 101
EXACT = 100
#: the lowest score shown when no threshold is given
DEFAULT_THRESHOLD = 75

_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f]\d+)*")
_NOT_CORE = re.compile(r"[^\w#]+")  # punctuation, symbols and spaces (numbers are '#')
_SPACES = re.compile(r"\s+")
_LETTERS = re.compile(r"[^\W\d_]+")
# Scripts written without spaces between words: indexed by character pairs.
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f"
    "\u3190-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]"
)


@dataclass(frozen=True, slots=True)
class Shape:
    """What the score compares of one segment."""

    plain: str  # tags removed, entities read
    core: str
    numbers: tuple[str, ...]
    tags: tuple[str, ...]  # tag kinds in order ("open", "close", "standalone")
    punctuation: str  # what the core dropped, spaces excluded
    letters: str  # the core's characters in their case, spaces excluded


@lru_cache(maxsize=65536)
def shape(tagged: str) -> Shape:
    texts: list[str] = []
    tags: list[str] = []
    for token in scan(tagged):
        if token.kind == "text":
            texts.append(token.text)
        else:
            tags.append(token.kind)
            texts.append(" " if token.kind == "standalone" else "")
    plain = "".join(texts)
    numbers = tuple(_NUMBER.findall(plain))
    spacing = _NUMBER.sub("#", plain)
    core = _SPACES.sub(" ", _NOT_CORE.sub(" ", spacing)).strip()
    punctuation = _SPACES.sub("", "".join(_NOT_CORE.findall(spacing)))
    letters = core.replace(" ", "")
    return Shape(plain, core.casefold(), numbers, tuple(tags), punctuation, letters)


def plain_and_core(tagged: str) -> tuple[str, str]:
    """The plain text and core of a segment (what :func:`shape` gives), without the
    rest: the fast path for storing units, most of which have no tags."""
    if "<" in tagged or "&" in tagged:
        form = shape.__wrapped__(tagged)
        return form.plain, form.core
    core = _SPACES.sub(" ", _NOT_CORE.sub(" ", _NUMBER.sub("#", tagged))).strip()
    return tagged, core.casefold()


def penalties(query: Shape, unit: Shape) -> int:
    """Points lost to differences the core does not see (tags, numbers, punctuation,
    case); a difference in spacing alone is the one point every inexact match loses."""
    points = 0
    if query.tags != unit.tags:
        points += 1 if Counter(query.tags) == Counter(unit.tags) else 2
    if query.numbers != unit.numbers:
        differing = sum(a != b for a, b in zip(query.numbers, unit.numbers, strict=False))
        differing += abs(len(query.numbers) - len(unit.numbers))
        points += min(2, differing)
    if query.punctuation != unit.punctuation:
        points += 1
    if query.letters != unit.letters and query.core == unit.core:
        points += 1  # the same words in other case
    return points


def score(query: str, unit: str) -> int:
    """Match score (0–100) of a stored unit's tagged source for a query's (formula
    ``iris-tm-1``; the caller adds context matches and locale fallback)."""
    if query == unit or query.strip() == unit.strip():  # outer whitespace is the segment's
        return EXACT
    return score_shapes(shape(query), shape(unit))


def score_shapes(query: Shape, unit: Shape) -> int:
    points = penalties(query, unit)
    if query.core == unit.core:
        return max(95, min(99, EXACT - max(points, 1)))
    similarity = Levenshtein.normalized_similarity(query.core, unit.core)
    return max(0, min(99, int(similarity * 100 + 1e-9)) - points)


def length_band(length: int, threshold: int) -> tuple[int, int]:
    """Core lengths a unit can have and still score ``threshold`` against a query whose
    core is ``length`` characters long (Levenshtein: ``distance >= |a - b|``)."""
    ratio = max(threshold, 1) / 100
    return int(length * ratio), int(length / ratio) + 1


#: units this short (core characters) are also kept whole for the short-query scan
#: (iris/memory/short.py)
SHORT_UNIT = 24
#: queries this short are matched by scanning the short units (any unit within the
#: length band of a 75 % match is then one of them)
SHORT_QUERY = 18
#: the fewest index terms a long query looks up (three word edits change at most six
#: word pairs)
FEWEST_PAIRS = 7
#: units and queries of this many words or fewer are indexed and looked up by their
#: words too (one edit in a short sentence changes every word pair it touches)
FEW_WORDS = 6


def words(core: str) -> list[str]:
    """A core's words in order; in scripts written without spaces (Chinese, Japanese,
    Thai …) each character pair counts as a word. Numbers are left out (the score
    penalises them, it does not match on them)."""
    if _UNSPACED.search(core) is None:
        return _LETTERS.findall(core)
    found: list[str] = []
    for word in _LETTERS.findall(core):
        if _UNSPACED.search(word) is None or len(word) == 1:
            found.append(word)
        else:
            found.extend(word[i : i + 2] for i in range(len(word) - 1))
    return found


# Index terms are CRC-32s of their text, started from a different value for each kind
# (word, word pair), as signed 32-bit numbers: a collision only adds a candidate,
# which exact scoring then drops.
_WORD, _PAIR = zlib.crc32(b"w\x1f"), zlib.crc32(b"p\x1f")
_SIGNED = 0x80000000


def _pairs(items: list[str]) -> set[int]:
    crc = zlib.crc32
    return {crc(f"{a} {b}".encode(), _PAIR) - _SIGNED for a, b in pairwise(items)}


def _words(items: list[str]) -> set[int]:
    crc = zlib.crc32
    return {crc(word.encode(), _WORD) - _SIGNED for word in items}


def index_terms(core: str) -> set[int]:
    """What the fuzzy index stores for a unit: its adjacent word pairs (most are rare,
    so a lookup reads little) and, for a sentence of few words, its words."""
    found = words(core)
    terms = _pairs(found)
    if len(found) <= FEW_WORDS:
        terms |= _words(found)
    return terms


#: a query's lookup plan: groups of index terms, each with how many of its rarest terms
#: must be read (any unit reaching the threshold holds one of those read)
Plan = list[tuple[set[int], int]]


def query_terms(core: str) -> Plan:
    """The index terms to look a long query up by (a short one is scanned instead:
    iris/memory/short.py): its word pairs, at least FEWEST_PAIRS and half of them (a
    bound for word edits, not a proof for any edit), and, for a sentence of few words,
    all its words."""
    found = words(core)
    plan: Plan = []
    pairs = _pairs(found)
    if pairs:
        plan.append((pairs, max(FEWEST_PAIRS, math.ceil(len(pairs) / 2) + 1)))
    if len(found) <= FEW_WORDS:
        plan.append((_words(found), len(found)))
    return plan
