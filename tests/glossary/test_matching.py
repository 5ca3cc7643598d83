"""Which terms the Matcher finds in a tagged segment, and where."""

from __future__ import annotations

from typing import Any

from iris.glossary.matching import Entry, Matcher


def entry(id: int, source: str, *targets: str, **flags: Any) -> Entry:
    return Entry(id, source, targets or (f"<{source}>",), **flags)


def found(matcher: Matcher, tagged: str) -> list[tuple[str, str]]:
    """(entry source, matched text) for each match."""
    return [(m.entry.source, m.text) for m in matcher.find(tagged)]


def test_whole_words_only() -> None:
    matcher = Matcher([entry(1, "cat", "chat")], "en")
    assert found(matcher, "A category of cats, and one cat.") == [("cat", "cats"), ("cat", "cat")]
    assert found(matcher, "concatenate bobcat") == []


def test_case_insensitive_by_default() -> None:
    matcher = Matcher([entry(1, "contract", "contrat")], "en")
    assert found(matcher, "CONTRACT and Contract") == [
        ("contract", "CONTRACT"),
        ("contract", "Contract"),
    ]


def test_case_sensitive_term_needs_its_case() -> None:
    matcher = Matcher([entry(1, "Apple", "Apple", case_sensitive=True)], "en")
    assert found(matcher, "an apple, APPLE, Apple and Apples") == [
        ("Apple", "Apple"),
        ("Apple", "Apples"),
    ]


def test_english_inflection() -> None:
    matcher = Matcher([entry(1, "contract", "contrat"), entry(2, "terminate", "résilier")], "en")
    assert found(matcher, "The contracts were terminated.") == [
        ("contract", "contracts"),
        ("terminate", "terminated"),
    ]


def test_french_inflection() -> None:
    matcher = Matcher([entry(1, "contrat", "contract"), entry(2, "cheval", "horse")], "fr")
    assert found(matcher, "Les contrats et les chevaux.") == [
        ("contrat", "contrats"),
        ("cheval", "chevaux"),
    ]


def test_german_inflection_and_umlaut() -> None:
    matcher = Matcher([entry(1, "Vertrag", "contract"), entry(2, "Kunde", "customer")], "de")
    assert found(matcher, "Die Verträge des Vertrages; den Kunden.") == [
        ("Vertrag", "Verträge"),
        ("Vertrag", "Vertrages"),
        ("Kunde", "Kunden"),
    ]


def test_regional_tag_uses_its_language_stemmer() -> None:
    matcher = Matcher([entry(1, "contrat", "contract")], "fr-CA")
    assert found(matcher, "des contrats") == [("contrat", "contrats")]


def test_language_without_stemmer_compares_whole_words() -> None:
    matcher = Matcher([entry(1, "rumah", "house")], "xx")
    assert found(matcher, "Rumah, rumahnya") == [("rumah", "Rumah")]


def test_multi_word_term_with_any_whitespace_between() -> None:
    matcher = Matcher([entry(1, "service level agreement", "accord de niveau de service")], "en")
    assert found(matcher, "Our service\u00a0levels  agreements.") == [
        ("service level agreement", "service\u00a0levels  agreements"),
    ]
    assert found(matcher, "service, level agreement") == []


def test_punctuation_inside_a_term_must_be_there() -> None:
    matcher = Matcher([entry(1, "e-mail", "courriel"), entry(2, ".NET", ".NET")], "en")
    assert found(matcher, "Send e-mails, not e mail, in .NET") == [
        ("e-mail", "e-mails"),
        (".NET", ".NET"),
    ]


def test_longest_match_wins_then_earliest() -> None:
    matcher = Matcher(
        [
            entry(1, "service", "service"),
            entry(2, "service contract", "contrat de service"),
            entry(3, "contract terms", "conditions"),
        ],
        "en",
    )
    assert found(matcher, "the service contract terms") == [
        ("service contract", "service contract"),
    ]
    assert found(matcher, "a service, then contract terms") == [
        ("service", "service"),
        ("contract terms", "contract terms"),
    ]


def test_entries_on_the_same_text_are_all_kept() -> None:
    matcher = Matcher(
        [
            entry(1, "record", "enregistrement", part_of_speech="noun"),
            entry(2, "record", "enregistrer", part_of_speech="verb"),
        ],
        "en",
    )
    assert [m.entry.id for m in matcher.find("a record")] == [1, 2]


def test_offsets_are_in_plain_text() -> None:
    matcher = Matcher([entry(1, "Acme Cloud", "Acme Cloud")], "en")
    (match,) = matcher.find("R&amp;D on <g1>Acme</g1> Cloud")
    assert (match.start, match.end, match.text) == (7, 17, "Acme Cloud")  # "R&D on " is 7


def test_a_term_may_span_formatting_tags() -> None:
    matcher = Matcher([entry(1, "Acme Cloud", "Acme Cloud")], "en")
    assert found(matcher, "Try <g1>Acme</g1> <g2>Cloud</g2> now") == [("Acme Cloud", "Acme Cloud")]


def test_never_across_a_standalone_tag() -> None:
    matcher = Matcher([entry(1, "Acme Cloud", "Acme Cloud"), entry(2, "Acme", "Acme")], "en")
    assert found(matcher, "Acme<x1/> Cloud") == [("Acme", "Acme")]
    assert found(matcher, "Ac<x1/>me") == []


def test_never_inside_placeholders() -> None:
    matcher = Matcher([entry(1, "name", "nom"), entry(2, "contract", "contrat")], "en")
    segments = [
        "Hello {name}, see {{contract}} and ${name}",
        "%1$s %(name)s and {0}",
        "http://example.com/contract and www.contract.org",
        "write to name.contract@example.com",
    ]
    assert [found(matcher, s) for s in segments] == [[], [], [], []]
    assert found(matcher, "{0} name") == [("name", "name")]


def test_unspaced_scripts_match_as_substrings() -> None:
    matcher = Matcher([entry(1, "東京", "Tokyo"), entry(2, "東京タワー", "Tokyo Tower")], "ja")
    assert found(matcher, "私は東京タワーと東京に行った") == [
        ("東京タワー", "東京タワー"),
        ("東京", "東京"),
    ]


def test_thai_substring_is_not_matched_across_a_placeholder() -> None:
    matcher = Matcher([entry(1, "สัญญา", "contract")], "th")
    assert found(matcher, "ลงนามสัญญาแล้ว") == [("สัญญา", "สัญญา")]
    assert found(matcher, "สัญ<x1/>ญา") == []


def test_do_not_translate_terms_are_found_like_others() -> None:
    matcher = Matcher([Entry(1, "Iris", (), do_not_translate=True)], "en")
    (match,) = matcher.find("Iris translates")
    assert match.entry.do_not_translate


def test_punctuation_only_entry_never_matches() -> None:
    assert found(Matcher([entry(1, "--", "-")], "en"), "a -- b") == []
