"""How alike two segments are, as a CAT tool shows it: the published match score.

Formula ``iris-tm-1`` (README, "Translation memory"), for a query segment and a stored
unit, both tagged text:

* identical tagged source and identical neighbours (previous and next source): **101**
  (context match); identical tagged source: **100** (exact). The caller knows the
  neighbours; :func:`score` gives 100.
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

import re
import zlib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from iris.docx.tag_syntax import scan

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


def plain_text(tagged: str) -> str:
    """The segment's text without tags, entities read (what fuzzy matching compares)."""
    return shape(tagged).plain


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
    if query == unit:
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


def tokens(core: str) -> set[str]:
    """Index terms of a core: its words, and character pairs in scripts written without
    spaces (Chinese, Japanese, Thai …). Numbers are not indexed (they are penalised,
    not matched)."""
    found: set[str] = set()
    for word in _LETTERS.findall(core):
        if _UNSPACED.search(word) is None or len(word) == 1:
            found.add(word)
        else:
            found.update(word[i : i + 2] for i in range(len(word) - 1))
    return found


def token_id(token: str) -> int:
    """A term as a signed 32-bit number (the index stores numbers; a collision only adds
    a candidate, which exact scoring then drops)."""
    return zlib.crc32(token.encode()) - 0x80000000
