"""Sentence segmentation of unit text: sentencex plus a small corrective post-pass.

`sentence_spans` works on plain text.  Candidate boundaries come from sentencex (rules
for ~300 languages, keyed by the primary subtag of a BCP-47 code; unknown codes get its
generic rules) plus three additions: CJK full stops ``。！？`` split even without a
following space; a closing bracket after a full stop (``(A sentence.) Next``) and
``etc.``/``usw.`` before a capital are boundaries.  A post-pass then removes wrong
boundaries; each rule is one small predicate below (called from `_is_wrong`).
Last, a "sentence" longer than `MAX_SEGMENT` characters (a run-on paragraph with no full
stop, a page of CJK without 。) is cut after a space near each `MAX_SEGMENT` mark, or at
the mark itself in text without spaces: no engine takes a megabyte as one request, and
no later step should be handed one.

`split_tagged` applies the same spans to tagged text (see `iris.docx.text.tags`).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from typing import NamedTuple

import sentencex

from iris.docx.text.protect import protected_spans
from iris.docx.text.tag_syntax import TagToken, escape_text, tag_text
from iris.docx.text.tags import tokenize

_CJK_STOP_RE = re.compile(r"[。！？]+[」』）)”’\"'】〕]*")
_BRACKET_STOP_RE = re.compile(r"[.!?…][)\]]+\s+")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_LIST_NUMBER_RE = re.compile(r"\s*[(\[]?(?:\d{1,3}|[ivxlcdm]{1,6}|[a-z])[.)\]]\s*", re.IGNORECASE)
_ETC_STOP_RE = re.compile(r"\b(?:etc|usw|ecc|enz)\.\s+")
_ETC_IN_RE = re.compile(r"(?:etc|usw|ecc|enz)\.")
_TITLES = _word_set(
    "mr mrs ms mx dr prof st jr sr rev gen col capt lt sgt hon gov sen rep messrs mt hr hrn fr"
    " dipl ing mme mlle mgr sra srta dra lic dña sig sigg dott avv profa dhr mevr mw drs ir"
    " hab inż ks św co"
)
_GERMAN_ORDINAL_BEFORE = _word_set(
    "der die das dem den des am im zum zur vom beim bis ab seit vor nach ein eine einer einem"
    " einen eines jeder jede jedes jeden seine seiner ihre ihrer unsere unserer"
)
_GERMAN_MONTHS = _word_set(
    "Januar Jänner Februar März April Mai Juni Juli August September Oktober November Dezember"
)
_JA_QUOTATIVE_RE = re.compile(r"(?:と|って|とか|など|との)")
#: abbreviations longer than five letters that stand before a number
_QUANTITY_ABBREVIATIONS = _word_set("approx approxim")
#: Chinese, Japanese and Korean quotation marks and brackets: a sentence is never cut
#: inside a pair (他说：“我明白了。你呢？”她笑了。 is one sentence). Curly double quotes
#: count in these languages only; elsewhere sentencex's rules decide.
_CJK_PAIRS = {"「": "」", "『": "』", "（": "）", "【": "】", "〔": "〕", "《": "》", "〈": "〉"}
_CJK_QUOTE_PAIRS = {**_CJK_PAIRS, "“": "”"}
_CJK_LANGUAGES = frozenset({"zh", "ja", "ko"})
_CLOSERS = ")]}”’»」』›,;:"
_DASHES = "—–-"
_SPACES_RE = re.compile(r"\s+")
_CHUNK = 4000
#: the longest segment made; a longer sentence is cut (see the module docstring)
MAX_SEGMENT = _CHUNK
_STOP_RE = re.compile(r"[.!?。！？]\s*")
_ALNUM_RE = re.compile(r"[^\W_]")
_TAIL = 40  # rules look at most this many characters back and ahead of a boundary
# ASCII words with no stop before the end (headings, table cells) are one sentence:
# every candidate cut needs a terminator (and sentencex's are ASCII .!?; or non-ASCII).
_ONE_SENTENCE_RE = re.compile(r"[A-Za-z0-9 ,'\"()\-]*+[.!?]*+\s*+")


class _Boundary(NamedTuple):
    """A candidate boundary: tail of the left piece, head of the right one, and, when the
    left piece ends with a full stop, its last two words and the stem of the last one
    (without the stop and opening brackets: ``(Fig.`` → ``Fig``)."""

    left: str
    right: str
    code: str
    words: list[str]
    stem: str


def primary_language(lang: str) -> str:
    """``"en-US"`` → ``"en"``, ``"zh_Hans"`` → ``"zh"``; lower case."""
    return re.split(r"[-_]", lang.strip(), maxsplit=1)[0].lower()


def sentence_spans(plain: str, lang: str) -> list[tuple[int, int]]:
    """Contiguous ``(start, end)`` spans covering all of ``plain``, one per sentence.

    Whitespace after a sentence belongs to it; leading whitespace of the text belongs
    to the first sentence.  ``[]`` for an empty string.
    """
    if not plain:
        return []
    if len(plain) <= MAX_SEGMENT and _ONE_SENTENCE_RE.fullmatch(plain) is not None:
        return [(0, len(plain))]
    return _bounded(plain, rule_spans(plain, primary_language(lang)))


def _bounded(plain: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` with each one longer than `MAX_SEGMENT` cut into pieces that are not."""
    if all(end - start <= MAX_SEGMENT for start, end in spans):
        return spans
    protected = protected_spans(plain)
    bounded = []
    for start, end in spans:
        while end - start > MAX_SEGMENT:
            cut = _forced_cut(plain, start, protected)
            if cut >= end:
                break
            bounded.append((start, cut))
            start = cut
        bounded.append((start, end))
    return bounded


def _forced_cut(plain: str, start: int, protected: list[tuple[int, int]]) -> int:
    """Where an over-long sentence starting at ``start`` is cut: after a full stop or a
    space in the second half of the `MAX_SEGMENT` window, else at its end; moved back so
    that no combining mark or joiner is parted from the character it follows, and out
    of protected text (a URL, a placeholder), which is never divided."""
    cut = _chunk_stop(plain, start)
    while cut > start + 1 and (unicodedata.combining(plain[cut]) or plain[cut] in "\u200d\ufe0f"):
        cut -= 1
    for inside_start, inside_end in protected:
        if inside_start < cut < inside_end:
            return inside_start if inside_start > start else inside_end
    return cut


def rule_spans(plain: str, code: str) -> list[tuple[int, int]]:
    """`sentence_spans` of non-empty text without the one-sentence fast path."""
    cuts = _candidate_cuts(plain, code)
    kept = _filter_cuts(plain, cuts, code)
    bounds = [0, *kept, len(plain)]
    return list(itertools.pairwise(bounds))


def _candidate_cuts(plain: str, code: str) -> list[int]:
    ends = _sentencex_ends(plain, code)
    if "。" in plain or "！" in plain or "？" in plain:  # `in` is much cheaper than a scan
        ends.update(m.end() for m in _CJK_STOP_RE.finditer(plain))
    if ")" in plain or "]" in plain or _ETC_IN_RE.search(plain):
        for extra in (_BRACKET_STOP_RE, _ETC_STOP_RE):
            found = extra.finditer(plain)
            ends.update(m.end() for m in found if _starts_upper(plain, m.end()))
    cuts = {_skip_space(plain, end) for end in ends}
    return sorted(cut for cut in cuts if 0 < cut < len(plain))


def _sentencex_ends(plain: str, code: str) -> set[int]:
    """Ends of sentencex's sentences, chunk by chunk for long texts.

    sentencex is quadratic on some inputs (100 k characters of ``「。」と`` take seconds),
    so a text over `_CHUNK` characters is cut after a full stop (or a space) near each
    `_CHUNK` mark; each cut is an ordinary candidate that the post-pass may still drop.
    """
    ends: set[int] = set()
    start = 0
    while start < len(plain):
        stop = _chunk_stop(plain, start)
        ends.update(start + end for end in _segment_ends(plain[start:stop], code))
        start = stop
    return ends


def _chunk_stop(plain: str, start: int) -> int:
    limit = start + _CHUNK
    if limit >= len(plain):
        return len(plain)
    window = plain[start + _CHUNK // 2 : limit]
    for pattern in (_STOP_RE, _SPACES_RE):
        ends = [match.end() for match in pattern.finditer(window)]
        if ends:
            return start + _CHUNK // 2 + ends[-1]
    return limit


def _segment_ends(text: str, code: str) -> set[int]:
    """`segment` is faster than `get_sentence_boundaries`; its pieces are contiguous,
    which is checked before trusting the offsets."""
    ends = set(itertools.accumulate(len(piece) for piece in sentencex.segment(code, text)))
    if max(ends, default=0) != len(text):
        ends = {b["end_index"] for b in sentencex.get_sentence_boundaries(code, text)}
    return ends


def _skip_space(plain: str, position: int) -> int:
    match = _SPACES_RE.match(plain, position)
    return match.end() if match else position


def _starts_upper(plain: str, position: int) -> bool:
    return position < len(plain) and plain[position].isupper()


def _filter_cuts(plain: str, cuts: list[int], code: str) -> list[int]:
    """Drop the boundaries a join rule rejects; the left piece grows when one is dropped."""
    inside = protected_spans(plain) + _bracketed(plain, code)
    protected = {i for start, end in inside for i in range(start + 1, end)}
    kept: list[int] = []
    for index, cut in enumerate(cuts):
        if cut in protected:
            continue
        start = kept[-1] if kept else 0
        stop = cuts[index + 1] if index + 1 < len(cuts) else len(plain)
        left = plain[max(start, cut - _TAIL) : cut]
        right = plain[cut : min(stop, cut + _TAIL)]
        if not _is_wrong(left, right, code):
            kept.append(cut)
    return kept


def _bracketed(plain: str, code: str) -> list[tuple[int, int]]:
    """Spans from a CJK opening quotation mark or bracket to the mark that closes it
    (nested pairs matched; one never closed, or a stray closing one, is ignored)."""
    pairs = _CJK_QUOTE_PAIRS if code in _CJK_LANGUAGES else _CJK_PAIRS
    if not any(opening in plain for opening in pairs):
        return []
    closing = set(pairs.values())
    spans: list[tuple[int, int]] = []
    opened: list[tuple[int, str]] = []
    for position, character in enumerate(plain):
        if character in pairs:
            opened.append((position, pairs[character]))
        elif character in closing:
            for depth in range(len(opened) - 1, -1, -1):
                if opened[depth][1] == character:
                    spans.append((opened[depth][0], position + 1))
                    del opened[depth:]
                    break
    return spans


def _is_wrong(left: str, right: str, code: str) -> bool:
    """True if a join rule rejects this boundary (plain ``or``s: this is the hot loop)."""
    stripped = left.rstrip()
    words = stripped.rsplit(None, 2)[-2:] if stripped.endswith(".") else []
    stem = words[-1][:-1].lstrip("([") if words else ""
    b = _Boundary(left, right, code, words, stem)
    if _right_continues(b) or _right_is_not_a_sentence(b) or _left_is_list_number(b):
        return True
    if _inside_token(b) or _japanese_quotative(b):
        return True
    return bool(stem) and (
        _abbreviation_before_number(b)
        or _title_before_name(b)
        or _initial_before_name(b)
        or _german_ordinal(b)
    )


# --- join rules: each says "this boundary is wrong" ------------------------------------


def _left_is_list_number(b: _Boundary) -> bool:
    """``1.`` / ``iv)`` / ``(a)`` alone is a list label, not a sentence."""
    return len(b.left) < 16 and _LIST_NUMBER_RE.fullmatch(b.left) is not None


def _right_continues(b: _Boundary) -> bool:
    """The right piece starts lowercase (after dashes), with a closing mark or a comma."""
    head = b.right.lstrip()
    if not head or head[0] in _CLOSERS:
        return True
    if head[0] in "\"'" and (len(head) == 1 or not head[1].isalnum()):
        return True  # a straight quote that closes (an opening one precedes a word)
    head = head.lstrip(_DASHES + " \u00a0")
    return bool(head) and head[0].islower()


def _right_is_not_a_sentence(b: _Boundary) -> bool:
    """Only punctuation or whitespace on the right (a stray closing mark)."""
    return _ALNUM_RE.search(b.right) is None


def _inside_token(b: _Boundary) -> bool:
    """No space at an ASCII full stop: ``3.14``, ``v1.2.3``, ``example.com``."""
    return b.left[-1:] in (".", "!", "?") and b.right[:1].isalnum()


def _japanese_quotative(b: _Boundary) -> bool:
    """``「…。」と言った``: the quotation is part of the sentence that follows."""
    return b.left.rstrip()[-1:] in "」』" and _JA_QUOTATIVE_RE.match(b.right) is not None


def _abbreviation_before_number(b: _Boundary) -> bool:
    """``Fig. 3``, ``p. 12``, ``No. 5``, ``S. 17``, ``rys. 2``: a word of at most five
    letters (or one of the longer abbreviations that stand before a quantity,
    ``approx. 10``), a full stop, then a digit."""
    return b.right[:1].isdigit() and (
        (0 < len(b.stem) <= 5 and b.stem.isalpha()) or b.stem.lower() in _QUANTITY_ABBREVIATIONS
    )


def _title_before_name(b: _Boundary) -> bool:
    """``Dr. Smith``, ``Mrs. Brown``, ``Sra. López``, ``Dhr. Jansen``, ``& Co. KG``."""
    return b.stem.lower() in _TITLES


def _initial_before_name(b: _Boundary) -> bool:
    """``J. R. R. Tolkien``, ``J.R.R. Tolkien``, ``А. С. Пушкин``; in Hebrew and Arabic
    script (no case) any one-letter abbreviation: ``د. أحمد``.

    The price: a sentence ending in a capital letter (``vitamin C. Then``) is joined.
    """
    stem = b.stem
    if not stem or not stem[-1].isalpha() or (len(stem) > 1 and stem[-2] != "."):
        return False
    letter = stem[-1]
    if letter.isupper():
        return b.right[:1].isupper()
    return "\u0590" <= letter <= "\u08ff"


def _german_ordinal(b: _Boundary) -> bool:
    """``Die 2. Auflage``, ``am 3. Oktober``: a number of up to three digits after an
    article or preposition, or before a month.  Other languages with ordinal dots (da,
    no, fi, cs, pl …) write the next word in lower case: `_right_continues` covers them.
    """
    if b.code != "de" or not (b.stem.isdigit() and len(b.stem) <= 3):
        return False
    before = b.words[0].lower() if len(b.words) == 2 else ""
    return before in _GERMAN_ORDINAL_BEFORE or b.right.split(None, 1)[0] in _GERMAN_MONTHS


# --- tagged text ------------------------------------------------------------------------


def split_tagged(tagged: str, lang: str) -> list[str]:
    """Split tagged text into sentences.

    Boundaries are the `sentence_spans` of the plain text.  Tags sitting exactly at a
    boundary are divided there: everything up to the last closing tag of that run goes
    to the left piece (a boundary just before ``</g1>`` moves after it), the rest
    (opens, standalones after the last close) to the right piece, so a split never
    falls inside a tag and a standalone stays with the sentence it precedes.  A pair
    open across a boundary is closed at the end of the left piece and reopened, same
    number, at the start of the right one (innermost closed first, outermost reopened
    first).

    Invariant: ``join_tagged(split_tagged(t, lang)) == t``, and
    ``"".join(split_tagged(t, lang)) == t`` whenever no pair spans a boundary.
    Raises `TagError` if ``tagged`` is malformed or not well nested.
    """
    return [piece for piece, _ in split_tagged_tokens(tagged, lang)]


def split_tagged_tokens(tagged: str, lang: str) -> list[tuple[str, list[TagToken]]]:
    """`split_tagged`, each piece with its tokens (so callers need not tokenize again).

    A piece's tokens have its text and tags; adjacent text may be split in two tokens.
    """
    tokens = tokenize(tagged, require_balanced=True)
    plain = "".join(t.text for t in tokens if t.kind == "text")
    cuts = [end for _, end in sentence_spans(plain, lang)[:-1]]
    if not cuts:
        return [(tagged, tokens)]
    return [(_render(piece), piece) for piece in _divide(tokens, cuts)]


def _divide(tokens: list[TagToken], cuts: list[int]) -> list[list[TagToken]]:
    pieces: list[list[TagToken]] = [[]]
    open_pairs: list[TagToken] = []
    offset = 0
    pending = list(reversed(cuts))
    for index, token in enumerate(tokens):
        if token.kind != "text":
            if pending and offset == pending[-1] and _opens_right_side(tokens, index):
                pending.pop()
                _start_piece(pieces, open_pairs)
            _track(open_pairs, token)
            pieces[-1].append(token)
        elif not pending or pending[-1] >= offset + len(token.text):
            pieces[-1].append(token)  # no cut inside this text (most tokens)
            offset += len(token.text)
        else:
            offset = _split_text(token, offset, pending, pieces, open_pairs)
    return pieces


def _opens_right_side(tokens: list[TagToken], index: int) -> bool:
    """True if no closing tag follows in this run of tags (so the run splits here)."""
    for token in tokens[index:]:
        if token.kind == "text":
            return True
        if token.kind == "close":
            return False
    return True


def _split_text(
    token: TagToken,
    offset: int,
    pending: list[int],
    pieces: list[list[TagToken]],
    open_pairs: list[TagToken],
) -> int:
    text = token.text
    while pending and offset <= pending[-1] < offset + len(text):
        head = pending.pop() - offset
        if head:
            pieces[-1].append(TagToken("text", None, text[:head]))
        _start_piece(pieces, open_pairs)
        text, offset = text[head:], offset + head
    pieces[-1].append(TagToken("text", None, text))
    return offset + len(text)


def _start_piece(pieces: list[list[TagToken]], open_pairs: list[TagToken]) -> None:
    closes = [TagToken("close", t.id, tag_text("close", t.id or 0)) for t in reversed(open_pairs)]
    pieces[-1].extend(closes)
    pieces.append(list(open_pairs))


def _track(open_pairs: list[TagToken], token: TagToken) -> None:
    if token.kind == "open":
        open_pairs.append(token)
    elif token.kind == "close":
        open_pairs.pop()


def _render(tokens: list[TagToken]) -> str:
    return "".join(escape_text(t.text) if t.kind == "text" else t.text for t in tokens)


def join_tagged(pieces: list[str]) -> str:
    """Join pieces of one unit, merging a pair that recurs in several pieces.

    Of a pair number that occurs in more than one piece, the first open and the last
    close are kept and the others removed; this undoes the close/reopen of
    `split_tagged` exactly.  For translated pieces (where an engine may have moved the
    tags) the result may still need `iris.docx.text.tags.repair_tags` against the unit source.
    """
    tokens = [token for piece in pieces for token in tokenize(piece)]
    first_open: dict[int, int] = {}
    last_close: dict[int, int] = {}
    for index, token in enumerate(tokens):
        if token.kind == "open" and token.id is not None:
            first_open.setdefault(token.id, index)
        elif token.kind == "close" and token.id is not None:
            last_close[token.id] = index
    kept = [
        token
        for index, token in enumerate(tokens)
        if token.id is None
        or token.kind == "standalone"
        or index in (first_open.get(token.id), last_close.get(token.id))
    ]
    return _render(kept)
