"""Numbers: the translation holds the source's numbers, compared by value.

Each number is read the way any locale may have written it: ``1,000.5``, ``1 000,5``
(with a space, no-break or narrow no-break space), ``1.000,5``, ``1'000.5``,
``12,34,567`` (Indian grouping) and ``1٬000٫5`` (Arabic separators) are all 1000.5;
digits of any script count by their value (Arabic-Indic, Devanagari, full-width), and
superscripts, circled digits and fractions after compatibility normalisation. A single
separator followed by exactly three digits (``1,500``, ``1.500``) is read both ways, as
1500 or 1.5, since the language tag alone does not say which (``es-MX`` and ``de-CH``
write a decimal point, ``es`` and ``de`` a comma); ``1,5`` is 1.5, never 15.

What is not a number with separators is read as separate integers, so a numeric date
(``2024-03-01``, ``01.03.2024``, ``3/1/2024``, ``2024年3月1日``) is the set {2024, 3, 1}
whatever its order. Not compared: signs, the percent sign (``50%``, ``50 %``, ``%50``
are each 50; "50 percent" has no sign at all), month names (``1 March 2024`` against
``01.03.2024`` reports the 3 as added).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from iris.qa.checks.base import Issue, SegmentView, Severity, Span, register

#: the blocks of the characters that are not decimal digits but whose compatibility form
#: holds one (², ①, ½, ⒈)
_DIGIT_LIKE_BLOCKS = (
    (0xB2, 0xBE),
    (0x2070, 0x209F),
    (0x2150, 0x218F),
    (0x2460, 0x24FF),
    (0x2776, 0x2793),
    (0x3220, 0x32BF),
    (0x1F100, 0x1F10C),
)


def _digit_like() -> str:
    """Characters that are not decimal digits but whose compatibility form holds one
    (², ①, ½, ⒈), from the few blocks that have them."""
    found = []
    for low, high in _DIGIT_LIKE_BLOCKS:
        for char in map(chr, range(low, high + 1)):
            folded = unicodedata.normalize("NFKC", char)
            if not char.isdecimal() and any(ch.isdecimal() for ch in folded):
                found.append(char)
    return "".join(found)


_DIGIT_LIKE = _digit_like()
_SPACES = " \u00a0\u2007\u2009\u202f"
#: separators only ever used between groups of digits, never before decimals
_GROUPING = _SPACES + "'’٬"
_SEPARATORS = _GROUPING + ".,٫"
_DIGITS = rf"[\d{_DIGIT_LIKE}]"
_NUMBER = re.compile(rf"{_DIGITS}+(?:[{_SEPARATORS}]{_DIGITS}+)*")
_PLAIN_NUMBER = re.compile(rf"\d+(?:[{_SEPARATORS}]\d+)*")
_SEPARATOR = re.compile(f"([{_SEPARATORS}])")
_HAS_DIGIT_LIKE = re.compile(f"[{_DIGIT_LIKE}]")
_SPACE = re.compile(f"([{_SPACES}])")
#: what every number starts with, and more (whole blocks are quicker to test than the
#: characters of `_DIGIT_LIKE` one by one)
_MAY_START_NUMBER = re.compile(
    r"[\d" + "".join(f"{chr(low)}-{chr(high)}" for low, high in _DIGIT_LIKE_BLOCKS) + "]"
)
_ASCII_DIGITS = b"0123456789"


def _may_hold_numbers(text: str) -> bool:
    """False when `_NUMBER` finds nothing in ``text`` (most text has no digit at all)."""
    if text.isascii():  # then 0-9 are its only digits, and nothing is digit-like
        encoded = text.encode("ascii")
        return len(encoded.translate(None, _ASCII_DIGITS)) < len(encoded)
    return _MAY_START_NUMBER.search(text) is not None


@dataclass(frozen=True, slots=True)
class _Number:
    text: str
    span: Span
    #: what it may mean: canonical decimal strings ("1000.5", "1500", "1.5")
    values: frozenset[str]
    #: a number that spaces join ("3 100") read as separate ones ("3", "100"), for
    #: when the other side has them apart
    apart: tuple[_Number, ...] = ()


def _numbers(text: str) -> list[_Number]:
    numbers: list[_Number] = []
    for found in _NUMBER.finditer(text):
        token, span = found.group(), found.span()
        if _HAS_DIGIT_LIKE.search(token):
            # ², ①, ½: their digits, placed on the whole token (folding moves offsets)
            folded = unicodedata.normalize("NFKC", token)
            numbers += [n for part in _PLAIN_NUMBER.findall(folded) for n in _read(part, span)]
        else:
            numbers += _read(token, span)
    return numbers


def _read(token: str, span: Span) -> list[_Number]:
    """One number, or one per digit group when the separators make none (a date, a
    version, a telephone number)."""
    parts = _SEPARATOR.split(token)
    groups, separators = parts[0::2], parts[1::2]
    values = _values([_ascii(group) for group in groups], separators)
    if values is None:
        return [_Number(g, at, frozenset({_integer(_ascii(g))})) for g, at in _spans(parts, span)]
    apart: tuple[_Number, ...] = ()
    if _SPACE.search(token):
        pieces = _SPACE.split(token)
        apart = tuple(n for piece, at in _spans(pieces, span) for n in _read(piece, at))
    return [_Number(token, span, values, apart)]


def _spans(parts: list[str], span: Span) -> list[tuple[str, Span]]:
    """The digit groups of a token split at its separators (every other part), each
    with its span; the token's own span when folding changed its length (½)."""
    if sum(map(len, parts)) != span[1] - span[0]:
        return [(part, span) for part in parts[::2]]
    placed, offset = [], span[0]
    for index, part in enumerate(parts):
        if index % 2 == 0:
            placed.append((part, (offset, offset + len(part))))
        offset += len(part)
    return placed


def _values(groups: list[str], separators: list[str]) -> frozenset[str] | None:
    """What a number may mean (canonical decimal strings: "1000.5", "1500", "1.5"),
    None when its separators make no number."""
    if not separators:
        return frozenset({_integer(groups[0])})
    last, head = separators[-1], separators[:-1]
    if last in ".,٫" and _groups_then_decimal(groups, head, last):
        whole, fraction = "".join(groups[:-1]), groups[-1]
        decimal = _decimal(whole, fraction)
        if not head and last != "٫" and len(fraction) == 3 and _grouped(groups):
            return frozenset({decimal, _integer(whole + fraction)})  # 1,500: either
        return frozenset({decimal})
    if len(set(separators)) == 1 and last != "٫" and _grouped(groups):
        return frozenset({_integer("".join(groups))})
    return None


def _groups_then_decimal(groups: list[str], head: list[str], last: str) -> bool:
    """Grouping separators of one kind (or none), then another one, the decimal."""
    if not head:
        return True
    return len(set(head)) == 1 and head[0] not in (last, "٫") and _grouped(groups[:-1])


def _grouped(groups: list[str]) -> bool:
    """Digit groups as thousands separators make them: 1,000,000 or 12,34,567."""
    first, rest = groups[0], groups[1:]
    if not rest or first.startswith("0") or not 1 <= len(first) <= 3:
        return False
    if all(len(group) == 3 for group in rest):
        return True
    return len(first) <= 2 and len(rest[-1]) == 3 and all(len(g) == 2 for g in rest[:-1])


def _ascii(digits: str) -> str:
    if digits.isascii():
        return digits
    return "".join(str(unicodedata.decimal(ch)) for ch in digits)


def _integer(digits: str) -> str:
    return digits.lstrip("0") or "0"


def _decimal(whole: str, fraction: str) -> str:
    fraction = fraction.rstrip("0")
    return f"{_integer(whole)}.{fraction}" if fraction else _integer(whole)


def _pair(source: list[_Number], target: list[_Number]) -> tuple[list[_Number], list[_Number]]:
    """The source's numbers the target lacks and the target's the source lacks. Each
    source number takes the least ambiguous target number it may equal."""
    left = list(target)
    missing = []
    for number in source:
        options = [i for i, other in enumerate(left) if number.values & other.values]
        if options:
            del left[min(options, key=lambda i: len(left[i].values))]
        else:
            missing.append(number)
    return missing, left


def _pieces(numbers: list[_Number]) -> list[_Number]:
    return [piece for number in numbers for piece in (number.apart or (number,))]


@register("numbers")
def check_numbers(view: SegmentView) -> list[Issue]:
    if not (_may_hold_numbers(view.source_plain) or _may_hold_numbers(view.target_plain)):
        return []  # no number on either side: the common case
    source_tokens = _NUMBER.findall(view.source_plain)
    target_tokens = _NUMBER.findall(view.target_plain)
    if sorted(source_tokens) == sorted(target_tokens):
        return []  # written alike: the common case, and no numbers at all
    missing, added = _pair(_numbers(view.source_plain), _numbers(view.target_plain))
    if any(number.apart for number in missing + added):
        # "3 100" may be two numbers after all, when the other side has them apart
        apart = _pair(_pieces(missing), _pieces(added))
        if len(apart[0]) + len(apart[1]) < len(missing) + len(added):
            missing, added = apart
    issues = []
    if missing:
        shown = "; ".join(number.text for number in missing)
        issues.append(Issue("numbers", Severity.WARNING, f"numbers missing: {shown}"))
    for number in added:
        message = f"number added: {number.text}"
        issues.append(Issue("numbers", Severity.WARNING, message, number.span))
    return issues
