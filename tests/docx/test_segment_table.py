"""Expected sentence splits of tricky paragraphs in 13 languages.

Each case lists the expected pieces; the paragraph is their concatenation, and every
piece keeps the whitespace that follows its sentence.  `bench/segmentation_accuracy.py`
measures exact-paragraph accuracy on this table (with and without our post-pass).
"""

from __future__ import annotations

import pytest

from iris.docx.text.segment import sentence_spans

CASES: list[tuple[str, list[str]]] = [
    # --- English ---------------------------------------------------------------------
    ("en", ["Dr. Smith arrived at 5 p.m. on Monday. ", "He was late."]),
    ("en", ["Prices start at approx. 10 EUR a month. ", "That is cheap."]),
    ("en", ["Mr. and Mrs. Brown met Prof. Lee and Ms. Green. ", "They talked for hours."]),
    ("en", ["J. R. R. Tolkien wrote The Hobbit. ", "It sold well."]),
    ("en", ["See Fig. 3 and p. 12 for details. ", "Then read No. 5 again."]),
    ("en", ["Pi is roughly 3.14 and e is 2.718. ", "Both are irrational."]),
    ("en", ["Version v1.2.3 fixes the bug. ", "Upgrade now."]),
    ("en", ["Visit https://example.com/docs/v2.1/index.html for more. ", "It is free."]),
    ("en", ["Write to john.doe@example.org today. ", "We answer fast."]),
    ("en", ["Go to www.example.co.uk. ", "Then log in."]),
    ("en", ["Wait... what happened there? ", "Nobody knew."]),
    ("en", ["He paused… and then spoke. ", "Everyone listened."]),
    ("en", ['He said "Stop." ', "Then he left."]),
    ("en", ['"Are you sure?" she asked. ', '"Yes."']),
    ("en", ["1. Introduction to the product."]),
    ("en", ["3. Install the package. ", "Then configure it."]),
    ("en", ["iv) Configure the server before starting. ", "Restart it afterwards."]),
    ("en", ["The U.S. economy grew by 3% in 2023. ", "Europe lagged behind."]),
    ("en", ["It costs $5.50, i.e. almost nothing. ", "Buy two."]),
    ("en", ["Is it ready? ", "Yes! ", "Ship it."]),
    ("en", ["(This sentence is in parentheses.) ", "This one is not."]),
    ("en", ["The meeting is at 10 a.m. tomorrow in room 4. ", "Please be on time."]),
    ("en", ["See section 4.2.1 of the manual. ", "It explains everything."]),
    ("en", ["Apples, oranges, etc. are sold here. ", "Prices vary."]),
    ("en", ["The company, Acme Inc., was founded in 1999. ", "It grew quickly."]),
    ("en", ["Call 1-800-555-0199 now."]),
    ("en", ["Just one sentence without a final stop"]),
    ("en", ["First sentence.  ", "Second after two spaces.   "]),
    ("en", ["Use e.g. a hammer. ", "Or a rock."]),
    # --- German ----------------------------------------------------------------------
    ("de", ["Die 2. Auflage erschien am 3. Oktober 2020. ", "Sie war schnell vergriffen."]),
    ("de", ["Das ist z. B. ein Test. ", "Er funktioniert."]),
    ("de", ["Herr Dr. Müller kommt um 9 Uhr. ", "Bitte warten Sie."]),
    ("de", ["Siehe Abb. 4 und S. 17. ", "Dort steht alles."]),
    ("de", ["Die Version 2.4.1 ist fertig. ", "Wir liefern sie aus."]),
    ("de", ["Er fragte: „Kommst du mit?“ ", "Sie nickte."]),
    ("de", ["Am 24. Dezember ist Heiligabend. ", "Dann feiern wir."]),
    ("de", ["Das kostet 3,50 €. ", "Das ist günstig."]),
    ("de", ["Die Firma Meyer & Co. KG hat 50 Mitarbeiter. ", "Sie wächst."]),
    # --- French ----------------------------------------------------------------------
    ("fr", ["M. Dupont est arrivé hier. ", "Il était fatigué."]),
    ("fr", ["Il a dit « Bonjour ! » puis il est parti. ", "Personne n’a répondu."]),
    ("fr", ["Voir p. 12 et fig. 3. ", "C’est clair."]),
    ("fr", ["Quelle heure est-il ? ", "Il est midi."]),
    ("fr", ["Mme Martin a vendu 1,5 million d’exemplaires. ", "Un record !"]),
    ("fr", ["Le Dr Durand consulte le lundi, etc. ", "Appelez avant."]),
    ("fr", ["C’est la 2e édition. ", "Elle est meilleure."]),
    # --- Spanish ---------------------------------------------------------------------
    ("es", ["¿Qué hora es? ", "Son las 3 p. m. en Madrid. ", "¡Vamos!"]),
    ("es", ["El Sr. García llegó tarde. ", "La Sra. López no."]),
    ("es", ["¡Qué sorpresa!, dijo ella. ", "Todos rieron."]),
    ("es", ["Ver pág. 5 y fig. 2. ", "Está todo ahí."]),
    ("es", ["El precio es 3,5 millones. ", "Es mucho."]),
    ("es", ["La Dra. Ruiz atiende hoy. ", "Pida cita."]),
    # --- Russian ---------------------------------------------------------------------
    ("ru", ["«Ты придёшь?» — спросил он. ", "«Да», — ответила она."]),
    ("ru", ["Это было в 1990 г. в Москве. ", "Тогда всё изменилось."]),
    ("ru", ["См. рис. 3 на с. 15. ", "Там всё показано."]),
    ("ru", ["Он сказал: «Хватит!» — и ушёл. ", "Никто не ответил."]),
    ("ru", ["Т. е. это неверно. ", "Проверьте ещё раз."]),
    ("ru", ["А. С. Пушкин родился в Москве. ", "Он великий поэт."]),
    ("ru", ["Цена — 3,50 руб. за штуку. ", "Это дёшево."]),
    # --- Japanese --------------------------------------------------------------------
    ("ja", ["「本当ですか。」と彼は言った。", "そうです！"]),
    ("ja", ["今日は晴れです。", "明日は雨でしょう。", "傘を持ってください。"]),
    ("ja", ["これは何ですか？", "ペンです。"]),
    ("ja", ["「行こう！」って言ったよ。", "本当に。"]),
    ("ja", ["バージョン1.2.3をリリースしました。", "ご確認ください。"]),
    ("ja", ["東京（日本）は大きい。", "大阪も大きい。"]),
    # never cut inside a quotation or brackets, however many sentences they hold
    ("ja", ["「止まれ。今すぐ。」と彼は言った。"]),
    ("ja", ["「はい。」", "「いいえ。」", "彼はそう答えた。"]),
    ("ja", ["詳細（図1を参照。表2も。）", "次へ。"]),
    ("ja", ["『本当に？嘘でしょう。』", "彼女は驚いた。"]),
    # --- Chinese ---------------------------------------------------------------------
    ("zh", ["今天天气很好。", "我们去公园吧！", "好吗？"]),
    ("zh", ["他说：“你好。”", "然后走了。"]),
    ("zh", ["价格是3.5元。", "很便宜。"]),
    ("zh", ["请访问www.example.com。", "谢谢。"]),
    ("zh", ["第1章介绍了背景。", "第2章讨论方法。"]),
    ("zh", ["真的吗？！", "太好了。"]),
    ("zh", ["他说：“我明白了。你呢？”", "她笑了。"]),
    ("zh", ["书名是《你好。再见。》。", "很有名。"]),
    # --- Korean ----------------------------------------------------------------------
    ("ko", ["그가 말했다. ", "“알겠어요. 당신은요?” ", "그녀가 웃었다."]),
    # --- Arabic ----------------------------------------------------------------------
    ("ar", ["هل أنت بخير؟ ", "نعم، أنا بخير. ", "شكرا."]),
    ("ar", ["وصل د. أحمد أمس. ", "كان متعبا."]),
    ("ar", ["السعر 3.5 دولار. ", "هذا رخيص."]),
    ("ar", ["زر الموقع www.example.com. ", "ستجد كل شيء."]),
    # --- Hebrew ----------------------------------------------------------------------
    ("he", ["שלום. ", "מה שלומך? ", "אני בסדר."]),
    ("he", ["המחיר הוא 3.5 שקלים. ", "זה זול."]),
    ("he", ["גרסה 1.2.3 שוחררה היום! ", "נסו אותה."]),
    ("he", ["ראה עמ׳ 5. ", "שם מוסבר הכול."]),
    # --- Italian ---------------------------------------------------------------------
    ("it", ["Il sig. Rossi è arrivato. ", "Ciao a tutti."]),
    ("it", ["Il dott. Bianchi visita alle 9. ", "Prenotate prima."]),
    ("it", ["Vedi pag. 4 e fig. 2. ", "È tutto lì."]),
    ("it", ["Costa 3,50 euro. ", "È poco."]),
    ("it", ["Davvero? ", "Sì, davvero."]),
    # --- Portuguese ------------------------------------------------------------------
    ("pt", ["O Sr. Silva chegou. ", "A Sra. Costa também."]),
    ("pt", ["Veja a pág. 7. ", "Lá está a resposta."]),
    ("pt", ["O preço é R$ 3,50. ", "É barato."]),
    ("pt", ["Você vem? ", "Sim, vou."]),
    ("pt", ["A Dra. Souza atende hoje. ", "Ligue antes."]),
    # --- Dutch -----------------------------------------------------------------------
    ("nl", ["Zie blz. 5 voor meer informatie. ", "Dat is alles."]),
    ("nl", ["Dhr. Jansen komt morgen. ", "Mevr. de Vries niet."]),
    ("nl", ["Het kost € 3,50. ", "Dat is goedkoop."]),
    ("nl", ["Bijv. een appel is gezond. ", "Eet er een."]),
    ("nl", ["Versie 1.2.3 is uit! ", "Probeer het."]),
    # --- Polish ----------------------------------------------------------------------
    ("pl", ["Np. to jest test. ", "Działa dobrze."]),
    ("pl", ["Zob. str. 5 i rys. 2. ", "Tam jest wszystko."]),
    ("pl", ["Cena wynosi 3,50 zł. ", "To tanio."]),
    ("pl", ["Czy to prawda? ", "Tak, to prawda."]),
    ("pl", ["W 1990 r. wszystko się zmieniło. ", "Nastała nowa epoka."]),
    # --- BCP-47 codes and unknown languages -------------------------------------------
    ("en-US", ["Dr. Smith arrived. ", "He sat down."]),
    ("pt-BR", ["O Sr. Silva chegou. ", "Bom dia."]),
    ("zh-Hans", ["你好。", "再见。"]),
    ("x-unknown", ["First one. ", "Second one."]),
]


def _check(lang: str, pieces: list[str]) -> None:
    text = "".join(pieces)
    spans = sentence_spans(text, lang)
    assert [text[a:b] for a, b in spans] == pieces


@pytest.mark.parametrize(
    ("lang", "pieces"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_expected_split(lang: str, pieces: list[str]) -> None:
    _check(lang, pieces)


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 80
    assert {lang.split("-")[0] for lang, _ in CASES} >= {
        "en",
        "de",
        "fr",
        "es",
        "ru",
        "ja",
        "zh",
        "ar",
        "he",
        "it",
        "pt",
        "nl",
        "pl",
    }
