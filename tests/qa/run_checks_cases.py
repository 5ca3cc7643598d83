"""Generated segments for the QA equivalence test: many (source, target, options) cases
that reach every check's paths, both where a quick test lets it answer early and where
its regular expression has to decide.

Sources mix words of several scripts (Latin, CJK without spaces, Thai, Arabic and
Hebrew, Devanagari, Cyrillic, Hangul) with numbers of every kind `numbers` reads
(digits of several scripts, grouping and decimal separators, signs, percentages, dates,
superscripts, fractions, circled digits), inline tags, placeholders, addresses,
brackets, quotes and final marks; targets are their sources changed the ways an engine
gets a translation wrong or right (words translated, numbers rewritten in another
locale's style or script, a token dropped or added, a word doubled, tags lost or
broken, a control character, a refusal, outer spaces).

    .venv/bin/python -m tests.qa.run_checks_cases

writes `REFERENCE` with each case's issues as `run_checks` finds them. It was run once
on the code before QA was optimised, and committed alone: the test compares the code
as it is now with that record, never with itself.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from iris.docx import TagError, pseudo_translate, tokenize
from iris.engines.base import Term
from iris.qa.checks import run_checks

REFERENCE = Path(__file__).with_name("run_checks_reference.json")
SEED = 20261130
COUNT = 2400

WORDS = {
    "en": "the report is ready for all customers and the contract shows strong growth in "
    "every region this year so that payment delivery notice review quality",
    "fr": "le rapport est prêt pour tous les clients et le contrat montre une forte "
    "croissance dans chaque région cette année paiement livraison très qualité",
    "de": "der Bericht ist fertig für alle Kunden und der Vertrag zeigt starkes Wachstum "
    "in jeder Region dieses Jahr Zahlung Lieferung Qualität Verträge",
    "ru": "отчёт готов для всех клиентов и договор показывает сильный рост в каждом регионе",
    "ar": "هذا تقرير عن العام الماضي وعملائنا في كل منطقة والعقد جاهز",
    "he": "זה דוח על השנה שעברה ועל הלקוחות שלנו בכל אזור",
    "hi": "यह रिपोर्ट तैयार है और सभी ग्राहकों के लिए अनुबंध",
    "el": "η έκθεση είναι έτοιμη για όλους τους πελάτες",
}
#: scripts written without spaces: pieces, joined with nothing
UNSPACED = {
    "ja": ["報告書", "の準備が", "できました", "契約", "お客様", "今年"],
    "zh": ["准备好了吗", "全地区", "季度服务报告", "合同", "客户", "今年"],
    "th": ["รายงาน", "พร้อมแล้ว", "สัญญา", "ลูกค้า"],
    "ko": ["보고서가", "준비되었습니다", "계약", "고객"],
}
#: the zero of each digit script: ASCII, Arabic-Indic, Extended Arabic-Indic,
#: Devanagari, Bengali, Thai, full-width, mathematical bold, Mongolian
ZEROS = [0x30, 0x660, 0x6F0, 0x966, 0x9E6, 0xE50, 0xFF10, 0x1D7CE, 0x1810]
FIXED_NUMBERS = [
    "1,000.5", "1 000,5", "1\u00a0000,5", "1\u202f000,5", "1\u2009000,5", "1.000,5",
    "1'000.5", "1’000.5", "12,34,567", "1٬000٫5", "1,500", "1.500", "1,5", "1,50", "0.50",
    "007", "2024-03-01", "01.03.2024", "3/1/2024", "2024年3月1日", "3 100", "1,2,3", "1.2.3",
    "10,000,000", "1,0000", "0,001", "²", "x²", "½", "1½", "①", "⑳", "⒈", "³⁄₄", "50%",
    "50 %", "%50", "-5", "−5", "+5", "1e5", "v2.0.1", "192.168.0.1", "+1 555 0100",
    "٣", "١٢٣", "۱۲۳", "१२३", "１２３", "๓๐", "𝟏𝟐", "᠑",
]  # fmt: skip
TAGGED = ["<x{n}/>", "&amp;", "&lt;", "&gt;", "a &amp; b"]
BROKEN_TAGS = ["<b>", "<g0>", "& ", "<x1>", "</g9>", "<g1/>", "<", ">"]
PLACEHOLDERS = [
    "%s", "%d", "%1$s", "%(name)s", "%-5.2f", "%%", "{name}", "{0}", "{{page}}", "${HOME}",
    "{user.name}", "90% of", "100%", "%x", "{", "}", "{a b}",
]  # fmt: skip
URLS = [
    "https://example.com/a?b=1", "http://example.org/path.", "www.example.net",
    "ftp://files.example.com/x.zip", "info@example.org", "a.b+c@mail.example.co.uk",
    "https://exemple.com/docs", "@handle", "user@", "(https://example.com)",
]  # fmt: skip
MARKS = [".", "?", "!", ":", "。", "？", "؟", "।", "！", ";", "…", "...", ".)", '."', "。」"]
BRACKETS = ["(", ")", "[", "]", "{", "}", "“", "”", "«", "»", "「", "」", "‹", "›", "『"]
CONTROLS = ["\x00", "\x07", "\x0b", "\x1f", "\x7f", "\ufffd", "\t", "\r"]
REFUSALS = [
    "I'm sorry, ", "I cannot ", "As an AI, ", "Here is the translation: ", "Translation: ",
    "Sure! ", "sure, ", "I apologise, ",
]  # fmt: skip
TERMS = [
    ("contract", "contrat", False), ("report", "rapport", False), ("report", "compte rendu", False),
    ("customers", "clients", False), ("Vertrag", "", True), ("deal", "", True),
    ("payment delivery", "livraison", False), ("報告書", "rapport", False), ("合同", "", True),
    ("   ", "x", False), ("quality", "   ", False), ("growth", "croissance", False),
    ("rapport", "", True), ("Kunde", "", True), ("клиентов", "", True), ("お客様", "", True),
]  # fmt: skip
OPTIONS: list[dict[str, Any]] = [
    {},
    {"source_lang": "en", "target_lang": "fr"},
    {"source_lang": "en", "target_lang": "fr", "skip": ["tags"]},
    {"source_lang": "en", "target_lang": "de"},
    {"source_lang": "en", "target_lang": "en-GB"},
    {"source_lang": "en-US", "target_lang": "pt-BR"},
    {"source_lang": "ja", "target_lang": "en"},
    {"source_lang": "nb", "target_lang": "da"},
    {"source_lang": "en", "target_lang": "xx-invalid"},
    {"source_lang": "en", "target_lang": "fr", "enabled": ["numbers", "tags", "language"]},
    {"source_lang": "en", "target_lang": "ar", "enabled": ["repeated_word", "inconsistency"]},
    {"source_lang": "en", "target_lang": "fr", "enabled": []},
    {"target_lang": "fr", "skip": ["numbers", "language"]},
]


def _digits(text: str, zero: int) -> str:
    if zero == 0x30:
        return text
    return "".join(chr(zero + int(ch)) if ch.isascii() and ch.isdigit() else ch for ch in text)


def _grouped(value: int, separator: str, indian: bool = False) -> str:
    digits = str(value)
    if indian and len(digits) > 3:
        head, tail = digits[:-3], digits[-3:]
        pairs = [head[max(0, i - 2) : i] for i in range(len(head), 0, -2)][::-1]
        return separator.join([*pairs, tail])
    groups = [digits[max(0, i - 3) : i] for i in range(len(digits), 0, -3)][::-1]
    return separator.join(groups)


def number(rng: random.Random, value: int | None = None, fraction: str | None = None) -> str:
    """One number of ``value`` (random when None), in a random locale's style and
    digit script; or one of `FIXED_NUMBERS`."""
    if value is None and rng.random() < 0.35:
        return rng.choice(FIXED_NUMBERS)
    value = rng.choice([0, 3, 7, 12, 50, 100, 1500, 12345, 1234567]) if value is None else value
    fraction = rng.choice(["", "", "5", "25", "500"]) if fraction is None else fraction
    style = rng.choice(["plain", "en", "fr", "de", "ch", "in", "ar", "nbsp", "nnbsp"])
    group, point = {
        "plain": ("", "."),
        "en": (",", "."),
        "fr": (" ", ","),
        "de": (".", ","),
        "ch": ("'", "."),
        "in": (",", "."),
        "ar": ("٬", "٫"),
        "nbsp": ("\u00a0", ","),
        "nnbsp": ("\u202f", ","),
    }[style]
    text = _grouped(value, group, indian=style == "in") if group else str(value)
    if fraction:
        text += point + fraction
    text = _digits(text, rng.choice(ZEROS) if rng.random() < 0.4 else 0x30)
    return rng.choice(["", "", "", "-", "−", "+"]) + text + rng.choice(["", "", "", "%", " %"])


def _words(rng: random.Random, language: str, count: int) -> list[str]:
    if language in UNSPACED:
        return [rng.choice(UNSPACED[language]) for _ in range(count)]
    return rng.choices(WORDS[language].split(), k=count)


def _piece(rng: random.Random, language: str) -> str:
    kind = rng.choices(
        ["word", "number", "tagged", "placeholder", "url", "bracketed", "control", "repeat"],
        weights=[40, 20, 6, 8, 6, 8, 2, 4],
    )[0]
    if kind == "word":
        return " ".join(_words(rng, language, rng.randint(1, 3)))
    if kind == "number":
        return number(rng)
    if kind == "tagged":
        return rng.choice(TAGGED).replace("{n}", str(rng.randint(20, 29)))
    if kind == "placeholder":
        return rng.choice(PLACEHOLDERS)
    if kind == "url":
        return rng.choice(URLS)
    if kind == "bracketed":
        left, right = rng.choice([("(", ")"), ("[", "]"), ("“", "”"), ("«", "»"), ("「", "」")])
        return left + " ".join(_words(rng, language, rng.randint(1, 2))) + right
    if kind == "control":
        return rng.choice(CONTROLS)
    word = _words(rng, language, 1)[0]
    return f"{word} {word}" if rng.random() < 0.7 else f"{word} {word.upper()}"


def _wrapped(rng: random.Random, pieces: list[str]) -> list[str]:
    """``pieces`` with a few well-nested paired tags around some of them."""
    pieces = list(pieces)
    for n in range(1, rng.choice([0, 0, 1, 2, 3]) + 1):
        start = rng.randrange(len(pieces))
        end = rng.randrange(start, len(pieces))
        pieces[start] = f"<g{n}>" + pieces[start]
        pieces[end] = pieces[end] + f"</g{n}>"
    return pieces


def source_pieces(rng: random.Random, language: str) -> list[str]:
    pieces = [_piece(rng, language) for _ in range(rng.randint(1, 10))]
    pieces = _wrapped(rng, pieces)
    if rng.random() < 0.7:
        pieces[-1] += rng.choice(MARKS)
    if rng.random() < 0.1:
        pieces[0] = " " + pieces[0]
    if rng.random() < 0.1:
        pieces[-1] += rng.choice([" ", "  ", "\u00a0"])
    return pieces


def _joined(pieces: list[str], language: str) -> str:
    return ("" if language in UNSPACED else " ").join(pieces)


def _translated(rng: random.Random, piece: str, language: str) -> str:
    """A piece with its words in ``language``, everything else kept."""
    out = []
    for token in piece.split(" "):
        bare = token.strip(".?!:;,()[]{}“”«»「」")
        if bare and bare.isalpha() and "<" not in token:
            out.append(token.replace(bare, _words(rng, language, 1)[0]))
        else:
            out.append(token)
    return " ".join(out)


def _mutated(rng: random.Random, pieces: list[str]) -> list[str]:
    pieces = list(pieces)
    at = rng.randrange(len(pieces))
    change = rng.choice(
        ["drop", "add", "swap", "double", "renumber", "tag", "mark", "bracket", "space", "ctrl"]
    )
    if change == "drop" and len(pieces) > 1:
        del pieces[at]
    elif change == "add":
        pieces.insert(at, _piece(rng, "en"))
    elif change == "swap":
        pieces[at], pieces[-1] = pieces[-1], pieces[at]
    elif change == "double":
        words = pieces[at].split(" ")
        pieces[at] = " ".join([words[0], *words]) if words[0] else pieces[at]
    elif change == "renumber":
        value = rng.choice([0, 3, 12, 100, 1500, 12345, 1234567])
        kept = rng.choice(["", "5"])
        pieces[at] = number(rng, value, kept)
        pieces.insert(at, number(rng, value, kept))
    elif change == "tag":
        pieces[at] = rng.choice(
            [
                pieces[at].replace("<g1>", "").replace("</g1>", ""),
                pieces[at] + rng.choice(BROKEN_TAGS),
                pieces[at] + "<x7/>",
                pieces[at].replace("<g", "<x", 1),
                pieces[at].replace("</g1>", "</g2>"),
            ]
        )
    elif change == "mark":
        pieces[-1] = pieces[-1].rstrip('.?!:;…。？؟।！)"」') + rng.choice(["", *MARKS])
    elif change == "bracket":
        pieces[at] = pieces[at] + rng.choice(BRACKETS)
    elif change == "space":
        pieces[at] = rng.choice(["  ", " ", "\u00a0", "\n"]) + pieces[at] + rng.choice(["", "  "])
    else:
        pieces.insert(at, rng.choice(CONTROLS))
    return pieces


def target(rng: random.Random, pieces: list[str], source: str, language: str) -> str:
    """What an engine might answer for ``source`` (made of ``pieces``)."""
    kind = rng.choices(
        ["translated", "same", "pseudo", "empty", "refusal", "short", "long", "other"],
        weights=[60, 8, 10, 2, 4, 4, 3, 9],
    )[0]
    if kind == "same":
        return source
    if kind == "pseudo":
        try:
            return pseudo_translate(source)
        except TagError:  # broken tags: the engine answers something else
            return source.upper()
    if kind == "empty":
        return rng.choice(["", " ", "\n"])
    into = rng.choice(["fr", "de", "ja", "zh", "th", "ar", "he", "hi", "ru", "en", "ko"])
    out = [_translated(rng, piece, into) for piece in pieces]
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        out = _mutated(rng, out)
    text = _joined(out, into)
    if kind == "refusal":
        return rng.choice(REFUSALS) + text
    if kind == "short":
        return text[: rng.randint(1, 6)]
    if kind == "long":
        return " ".join([text] * rng.randint(3, 8))
    if kind == "other":
        return _joined(source_pieces(rng, rng.choice(["en", "fr", "de", "ja"])), language)
    return text


def _valid_source(rng: random.Random, language: str) -> tuple[list[str], str]:
    """A source as extraction makes them: its tags well nested, each number once."""
    while True:
        pieces = source_pieces(rng, language)
        source = _joined(pieces, language)
        try:
            tokenize(source, require_balanced=True)
        except TagError:
            continue
        return pieces, source


def case(rng: random.Random) -> dict[str, Any]:
    language = rng.choice(["en", "en", "en", "fr", "de", "ja", "zh", "ar", "ru", "th", "hi"])
    pieces, source = _valid_source(rng, language)
    options = dict(rng.choice(OPTIONS))
    if rng.random() < 0.3:
        options["terms"] = [list(term) for term in rng.sample(TERMS, rng.randint(1, 4))]
    return {"source": source, "target": target(rng, pieces, source, language), "options": options}


def cases() -> list[dict[str, Any]]:
    rng = random.Random(SEED)
    return [case(rng) for _ in range(COUNT)]


def run(options: dict[str, Any]) -> Callable[[str, str], list[dict[str, Any]]]:
    """`run_checks` with a case's options (terms as lists, as JSON keeps them)."""
    terms = tuple(Term(*term) for term in options.get("terms", ()))
    kwargs = {**options, "terms": terms}
    return lambda source, target: [
        issue.as_dict() for issue in run_checks(source, target, **kwargs)
    ]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    found = []
    for item in cases():
        issues = run(item["options"])(item["source"], item["target"])
        found.append({**item, "issues": issues})
    lines = ",\n".join(json.dumps(item, ensure_ascii=False) for item in found)
    REFERENCE.write_text(f"[\n{lines}\n]\n")  # a case a line: a change shows as one
    flagged = sum(1 for item in found if item["issues"])
    print(f"{len(found)} cases, {flagged} with issues, written to {REFERENCE.name}")


if __name__ == "__main__":
    main()
