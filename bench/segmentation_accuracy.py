"""Sentence segmentation: exact-paragraph accuracy and speed.

Run ``.venv/bin/python bench/segmentation_accuracy.py [--runs R]``.

Accuracy is the share of paragraphs whose every boundary is right, for

* ``sentencex``: sentencex alone (boundaries moved past whitespace, primary subtag);
* ``iris``: `iris.docx.text.segment.sentence_spans` (sentencex + CJK stops + post-pass);

on two sets: the *table* of `tests/docx/test_segment_table.py` (the post-pass rules
were developed against it, so its figure is optimistic) and a *held-out* set below,
written after the rules were frozen and never used to tune them.

Speed: 4,000 paragraphs of about 250 characters (≈1 M characters), twice: *dense*
(built from the table's short sentences, ~15 boundaries per paragraph, the worst case
for the post-pass) and *typical* (2–3 sentences of normal length per paragraph).
Median wall time of ``--runs`` repetitions.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import sentencex

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from iris.docx.text.segment import primary_language, sentence_spans
from tests.docx.test_segment_table import CASES

Case = tuple[str, list[str]]
Segmenter = Callable[[str, str], list[tuple[int, int]]]

HELD_OUT: list[Case] = [
    ("en", ["Ms. Carter signed the contract on Jan. 5. ", "The work starts in March."]),
    ("en", ["Our revenue was $1.2 million. ", "Costs fell by 4.5 %."]),
    ("en", ["Please see Table 2 (p. 34) for the figures. ", "They are preliminary."]),
    ("en", ["St. Louis is in Missouri. ", "It is on the Mississippi."]),
    ("en", ["The file is named report.final.docx. ", "Open it with Word."]),
    ("en", ['She asked, "Why not?" ', "Nobody answered."]),
    ("en", ["Step 2. ", "Remove the cover."]),
    ("en", ["He lives at 221B Baker St. in London. ", "It is famous."]),
    ("en", ["Prices start at approx. 40 euros. ", "Tax is included."]),
    ("en", ["The meeting ended at 6 p.m. ", "Everyone went home."]),
    ("de", ["Prof. Dr. Weber hält heute den Vortrag. ", "Er beginnt um 10 Uhr."]),
    ("de", ["Das Gesetz trat am 1. Januar in Kraft. ", "Es gilt bundesweit."]),
    ("de", ["Wir haben u. a. Äpfel und Birnen. ", "Alles ist frisch."]),
    ("de", ["Im 19. Jahrhundert wuchs die Stadt stark. ", "Heute hat sie 2 Mio. Einwohner."]),
    ("de", ["Bitte lesen Sie Kap. 3 sorgfältig. ", "Es ist wichtig."]),
    ("fr", ["Le prix est de 12,50 €. ", "C’est raisonnable."]),
    ("fr", ["Mlle Dubois habite à Paris. ", "Elle travaille à la banque."]),
    ("fr", ["Voir le chap. 2 pour plus de détails. ", "Merci."]),
    ("fr", ["« Tu viens ? » demanda-t-il. ", "Elle sourit."]),
    ("es", ["El Dr. Pérez llegó a las 9. ", "Estaba cansado."]),
    ("es", ["¿Vienes mañana? ", "No lo sé."]),
    ("es", ["Véase el cap. 3. ", "Allí se explica todo."]),
    ("ru", ["Проф. Иванов прочитал лекцию. ", "Студенты слушали внимательно."]),
    ("ru", ["Это стоит 100 руб. ", "Недорого."]),
    ("ru", ["— Ты где? — спросила она. ", "— Дома."]),
    ("ja", ["会議は午後3時に始まります。", "遅れないでください。"]),
    ("ja", ["「ありがとう。」と言って、彼は帰った。", "雨が降っていた。"]),
    ("ja", ["えっ？", "本当に？", "信じられない！"]),
    ("zh", ["会议将于下午3点开始。", "请准时参加。"]),
    ("zh", ["这是版本2.0。", "请更新。"]),
    ("zh", ["他问：“你去哪儿？”", "她没有回答。"]),
    ("ar", ["ذهبت إلى السوق. ", "اشتريت الخبز والحليب."]),
    ("ar", ["هل تتكلم العربية؟ ", "قليلا."]),
    ("he", ["הוא הגיע מאוחר. ", "כולם כבר הלכו."]),
    ("he", ["מה השעה? ", "כבר שמונה."]),
    ("it", ["La sig.ra Verdi è arrivata. ", "Era in ritardo."]),
    ("it", ["Il prezzo è di 3,50 €. ", "Non è caro."]),
    ("pt", ["O Dr. Almeida chegou às 8h. ", "Estava com pressa."]),
    ("pt", ["Veja o cap. 4. ", "Lá tem tudo."]),
    ("nl", ["Mr. Bakker is advocaat. ", "Hij werkt in Utrecht."]),
    ("nl", ["Het is nu 10 uur. ", "We beginnen."]),
    ("pl", ["Prof. Nowak wygłosił wykład. ", "Był bardzo ciekawy."]),
    ("pl", ["Spotkanie jest o godz. 10. ", "Proszę być punktualnie."]),
]

TYPICAL = {
    "en": "The committee reviewed the proposal in detail and agreed that the budget for the"
    " coming year should be increased by 3.5 percent, mainly for maintenance. ",
    "de": "Die Kommission hat den Vorschlag ausführlich geprüft und beschlossen, das Budget für"
    " das kommende Jahr um 3,5 Prozent zu erhöhen, vor allem für die Wartung. ",
    "fr": "Le comité a examiné la proposition en détail et a convenu que le budget de l’année"
    " prochaine devait augmenter de 3,5 %, principalement pour l’entretien. ",
    "ru": "Комиссия подробно рассмотрела предложение и согласилась, что бюджет на следующий"
    " год следует увеличить на 3,5 процента, главным образом на ремонт. ",
    "ja": "委員会は提案を詳しく検討し、来年度の予算を主に保守のために3.5パーセント増やすことに"
    "合意しました。",
    "zh": "委员会详细审查了该提案，并同意将明年的预算增加百分之三点五，主要用于维护工作。",
}


def raw_sentencex(plain: str, lang: str) -> list[tuple[int, int]]:
    """sentencex alone, with whitespace moved to the preceding sentence."""
    ends = itertools.accumulate(len(p) for p in sentencex.segment(primary_language(lang), plain))
    cuts = sorted({_skip_space(plain, end) for end in ends} - {0, len(plain)})
    bounds = [0, *cuts, len(plain)]
    return list(itertools.pairwise(bounds))


def _skip_space(plain: str, position: int) -> int:
    while position < len(plain) and plain[position].isspace():
        position += 1
    return position


def accuracy(cases: list[Case], segment: Segmenter) -> tuple[int, list[Case]]:
    """Number of exactly right paragraphs, and the wrong ones."""
    wrong: list[Case] = []
    for lang, pieces in cases:
        text = "".join(pieces)
        if [text[a:b] for a, b in segment(text, lang)] != pieces:
            wrong.append((lang, pieces))
    return len(cases) - len(wrong), wrong


def dense_paragraphs(count: int) -> list[tuple[str, str]]:
    result: list[tuple[str, str]] = []
    for index in range(count):
        lang = CASES[index % len(CASES)][0]
        text = " ".join("".join(p).rstrip() for code, p in CASES if code == lang) + " "
        result.append((lang, (text * 3)[:260]))
    return result


def typical_paragraphs(count: int) -> list[tuple[str, str]]:
    languages = sorted(TYPICAL)
    result: list[tuple[str, str]] = []
    for index in range(count):
        lang = languages[index % len(languages)]
        result.append((lang, TYPICAL[lang] * (3 if lang in ("ja", "zh") else 2)))
    return result


def timed(paragraphs: list[tuple[str, str]], segment: Segmenter, runs: int) -> float:
    times: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        for lang, text in paragraphs:
            segment(text, lang)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def report_accuracy() -> None:
    for name, cases in (("table", CASES), ("held-out", HELD_OUT)):
        for label, segment in (("sentencex", raw_sentencex), ("iris", sentence_spans)):
            right, wrong = accuracy(cases, segment)
            print(f"{name:9} {label:9} {right}/{len(cases)} = {right / len(cases):.1%}")
            if label == "iris":
                for lang, pieces in wrong:
                    print(f"    wrong: {lang} {pieces!r}")


def report_speed(runs: int) -> None:
    for name, paragraphs in (
        ("dense", dense_paragraphs(4000)),
        ("typical", typical_paragraphs(4000)),
    ):
        characters = sum(len(text) for _, text in paragraphs)
        for label, segment in (("sentencex", raw_sentencex), ("iris", sentence_spans)):
            seconds = timed(paragraphs, segment, runs)
            print(f"{name:8} {label:9} 4000 paragraphs, {characters:,} chars: {seconds:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    report_accuracy()
    report_speed(arguments.runs)


if __name__ == "__main__":
    main()
