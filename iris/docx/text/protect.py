"""Text an engine must not translate: template placeholders, links, and non-words.

`protected_spans` finds template placeholders (Jinja/Django ``{{ … }}``, ``{% … %}``,
``{# … #}``; printf ``%s``, ``%d``, ``%(name)s``, ``%1$s``; .NET/Python ``{0}``,
``{name}``, ``{0:N2}``; shell/JS ``${var}``), URLs (``http``, ``https``, ``ftp``,
``www.``) and e-mail addresses.  ``[[name]]`` and ``:name`` are deliberately *not*
protected: they are too often ordinary text.  `is_translatable` says whether a unit's
plain text contains anything to translate at all.
"""

from __future__ import annotations

import re
import unicodedata

# Lengths are bounded and quantifiers possessive so that no input makes matching slow.
_PRINTF_FLAGS = r"[-+0#]*"  # no space flag: "50% discount" must not become "% d"
_PRINTF_SPEC = rf"{_PRINTF_FLAGS}(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|z|j|t|q)?"
_PLACEHOLDER = "|".join(
    [
        r"\{\{.{0,200}?\}\}",
        r"\{%.{0,200}?%\}",
        r"\{#.{0,200}?#\}",
        r"\$\{[^{}\s]*\}",
        r"%\([A-Za-z_][A-Za-z0-9_]*\)" + _PRINTF_SPEC + r"[diouxXeEfFgGcrsa]",
        r"%(?:[1-9][0-9]*\$)?" + _PRINTF_SPEC + r"[diouxXeEfFgGcs@]",
        r"\{[A-Za-z0-9_][A-Za-z0-9_.\[\]]*(?:![rsa])?(?:,-?\d+)?(?::[^{}\s]*)?\}",
    ]
)
# A URL is made of printable ASCII (but quotes and angle brackets) and of the letters of
# the alphabets written with spaces between words (Latin, Greek, Cyrillic: an IRI such
# as .../wiki/Übersetzung). Any other character ends it: Han, Kana, Hangul and Thai are
# written straight after a URL with no space (詳しくはhttps://x.org/docsをご覧ください),
# as are a dash, an Arabic comma or a closing corner bracket.
_URL_CHARACTER = (
    "!#-&(-;=?-~"  # printable ASCII but space, quotes and angle brackets
    "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0300-\u036f"  # Latin letters, their marks
    "\u0370-\u03ff\u0400-\u052f"  # Greek, Cyrillic
)
_URL = rf"(?:(?:https?|ftp)://|www\.)[{_URL_CHARACTER}]+"
_EMAIL = r"[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})++"
_PROTECTED_RE = re.compile(rf"(?P<link>{_URL}|{_EMAIL})|{_PLACEHOLDER}", re.DOTALL)
_URL_TRAILING = ".,;:!?'\")]}>"
_SINGLE_CODE_RE = re.compile(r"\S*\d\S*")
# Han (with radicals, 々〆〇 and the extension planes), Bopomofo, Kana and Hangul: each
# character is a word or a syllable of one, so even one of them is text, never a code.
_IDEOGRAPHIC_RANGES = (
    (0x1100, 0x11FF),
    (0x2E80, 0x2FDF),
    (0x3005, 0x3007),
    (0x3040, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xA960, 0xA97F),
    (0xAC00, 0xD7FF),
    (0xF900, 0xFAFF),
    (0xFF66, 0xFFDC),
    (0x1B000, 0x1B16F),
    (0x20000, 0x3FFFF),
)


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Sorted, non-overlapping ``(start, end)`` spans of text that must stay verbatim.

    A URL never ends with sentence punctuation (``see https://x.org/a.`` keeps the final
    dot outside) unless a closing bracket balances one inside the URL
    (``https://en.wikipedia.org/wiki/Mercury_(planet)``).
    """
    if not _may_hold_protected(text):
        return []
    spans: list[tuple[int, int]] = []
    for match in _PROTECTED_RE.finditer(text):
        end = _trim_link(text, match.start(), match.end()) if match.group("link") else match.end()
        spans.append((match.start(), end))
    return spans


def _may_hold_protected(text: str) -> bool:
    """Every protected span contains ``@``, ``{``, ``%``, ``://`` or ``www.`` (any case);
    most text has none. Substring tests are several times faster than one regex."""
    return (
        "@" in text
        or "{" in text
        or "%" in text
        or "://" in text
        or ("." in text and "www." in text.lower())
    )


def link_spans(text: str) -> list[tuple[int, int]]:
    """Spans of URLs and e-mail addresses only (used by sentence segmentation)."""
    return [(a, b) for a, b in protected_spans(text) if _is_link(text[a:b])]


def _is_link(candidate: str) -> bool:
    match = _PROTECTED_RE.match(candidate)
    return match is not None and match.group("link") is not None


def _trim_link(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in _URL_TRAILING:
        last = text[end - 1]
        if last == ")" and text.count("(", start, end) >= text.count(")", start, end):
            break
        end -= 1
    return end


def is_translatable(plain: str) -> bool:
    """False when nothing in ``plain`` is worth sending to an engine.

    That is: empty or whitespace; no letter left once protected spans are removed
    (numbers with separators ``1,234.56``, ``12 %``, ``$5``, ``€ 10,00``, dates
    ``2024-01-31``, ``12/31/2024``, punctuation, bullets, URLs, e-mails, placeholders);
    or a single token with a digit and no lowercase letter (codes such as ``ABC-123``,
    ``A4``, ``MP3``). Scripts without case count as words inside such a token: any
    Han, Kana or Hangul character, or two or more letters (with their combining marks)
    of Arabic, Hebrew, Thai, Devanagari and the like. CJK writes whole sentences without
    spaces, so ``限100字`` is one token and a sentence, not a code.
    """
    remainder = _without_protected(plain).strip()
    if not any(character.isalpha() for character in remainder):
        return False
    return not _is_code(remainder)


def _without_protected(text: str) -> str:
    pieces: list[str] = []
    position = 0
    for start, end in protected_spans(text):
        pieces.append(text[position:start])
        pieces.append(" ")
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _is_code(token: str) -> bool:
    if _SINGLE_CODE_RE.fullmatch(token) is None:
        return False
    if any(character.islower() for character in token):
        return False
    return not _holds_caseless_word(token)


def _holds_caseless_word(token: str) -> bool:
    """True when ``token`` has letters of a script without case that make a word.

    Case is what tells a Latin, Cyrillic or Greek code (``ГОСТ-5``) from a word
    (``Раздел5``); scripts without it need another sign: one ideograph or syllable,
    or a run of two or more letters (combining marks included, as Devanagari and
    Thai write vowels with them). One letter beside digits (``ب12``) stays a code.
    """
    run = 0
    for character in token:
        category = unicodedata.category(character)
        if category in ("Lo", "Lm"):
            if _is_ideographic(character):
                return True
            run += 1
        elif category in ("Mn", "Mc") and run:
            run += 1
        else:
            run = 0
        if run >= 2:
            return True
    return False


def _is_ideographic(character: str) -> bool:
    point = ord(character)
    return any(low <= point <= high for low, high in _IDEOGRAPHIC_RANGES)
