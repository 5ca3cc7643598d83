"""The language check: a translation must read as its target language. Correct
translations in many languages (close ones included) pass; text left in the source
language, or written in a third one, warns."""

from __future__ import annotations

import pytest

from iris.qa.checks import Issue, Severity, run_checks

SOURCE = "The new version of the application will be available for all customers next month."

TRANSLATIONS = {
    "de": "Die neue Version der Anwendung steht allen Kunden im nächsten Monat zur Verfügung.",
    "fr": "La nouvelle version de l'application sera disponible pour tous les clients en mai.",
    "es": "La nueva versión de la aplicación estará disponible para todos los clientes en mayo.",
    "it": "La nuova versione dell'applicazione sarà disponibile per tutti i clienti a maggio.",
    "pt-BR": "A nova versão do aplicativo estará disponível para todos os clientes no próximo mês.",
    "nl": "De nieuwe versie van de applicatie is volgende maand beschikbaar voor alle klanten.",
    "pl": "Nowa wersja aplikacji będzie dostępna dla wszystkich klientów w przyszłym miesiącu.",
    "ru": "Новая версия приложения будет доступна всем клиентам в следующем месяце.",
    "tr": "Uygulamanın yeni sürümü gelecek ay tüm müşterilerin kullanımına sunulacak.",
    "ja": "アプリケーションの新しいバージョンは来月すべてのお客様にご利用いただけます。",
    "ko": "애플리케이션의 새 버전은 다음 달에 모든 고객에게 제공될 예정입니다.",
    "ar": "سيكون الإصدار الجديد من التطبيق متاحًا لجميع العملاء في الشهر المقبل.",
    # close languages, each judged as its own target
    "nb": "Den nye versjonen av programmet blir tilgjengelig for alle kunder neste måned.",
    "da": "Den nye version af programmet vil være tilgængelig for alle kunder i næste måned.",
    "sr-Cyrl": "Нова верзија апликације биће доступна свим корисницима следећег месеца.",
    "sr-Latn": "Nova verzija aplikacije biće dostupna svim korisnicima sledećeg meseca.",
    "hr": "Nova verzija aplikacije bit će dostupna svim korisnicima sljedećeg mjeseca.",
    "zh-Hans": "该应用程序的新版本将于下个月向所有客户提供，敬请期待。",
    "zh-Hant": "該應用程式的新版本將於下個月向所有客戶提供，敬請期待。",
    "ms": "Versi baharu aplikasi ini akan tersedia untuk semua pelanggan pada bulan hadapan.",
    "id": "Versi baru aplikasi ini akan tersedia untuk semua pelanggan bulan depan.",
}


def language_issues(source: str, target: str, source_lang: str, target_lang: str) -> list[Issue]:
    return run_checks(
        source, target, source_lang=source_lang, target_lang=target_lang, enabled={"language"}
    )


@pytest.mark.parametrize(("target_lang", "target"), TRANSLATIONS.items())
def test_correct_translations_pass(target_lang: str, target: str) -> None:
    assert language_issues(SOURCE, target, "en", target_lang) == []


@pytest.mark.parametrize(
    ("written", "target_lang"),
    [("nb", "da"), ("da", "nb"), ("sr-Latn", "hr"), ("zh-Hant", "zh-Hans"), ("ms", "id")],
)
def test_a_close_language_is_not_called_wrong(written: str, target_lang: str) -> None:
    assert language_issues(SOURCE, TRANSLATIONS[written], "en", target_lang) == []


def test_text_left_in_the_source_language_warns() -> None:
    target = "The new release of the app will be available to every customer next month."
    (issue,) = language_issues(SOURCE, target, "en", "de")
    assert issue.severity == Severity.WARNING
    assert issue.message == (
        "the translation reads as English, the source language, and not as German"
    )


def test_a_translation_into_a_third_language_warns() -> None:
    (issue,) = language_issues(SOURCE, TRANSLATIONS["nl"], "en", "de")
    assert "reads as Dutch" in issue.message


def test_a_source_kept_as_it_was_in_a_third_language_is_left_alone() -> None:
    address = "Deutsche Bundesbank, Wilhelm-Epstein-Straße 14, Frankfurt am Main, Deutschland"
    assert language_issues(address, address + ".", "en", "fr") == []


def test_short_text_is_not_judged() -> None:
    assert language_issues("Settings", "Settings menu", "en", "de") == []


def test_without_languages_shared_words_still_warn() -> None:
    source = "The quarterly report shows strong growth in every region."
    target = "The quarterly report shows strong growth dans chaque region."
    assert [issue.check for issue in run_checks(source, target)] == ["language"]


def test_options_and_paths_are_not_words_left_untranslated() -> None:
    source = "delgroup [--system] [--only-if-empty] [--conf file] [--quiet]"
    target = "delgroup [--system] [--only-if-empty] [--conf bestand] [--quiet]"
    assert run_checks(source, target, enabled={"language"}) == []


def test_a_job_within_one_language_is_not_judged() -> None:
    assert language_issues(SOURCE, SOURCE.replace("customers", "clients"), "en-US", "en-GB") == []
