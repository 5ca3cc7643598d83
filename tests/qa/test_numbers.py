"""The numbers check reads numbers the way any locale writes them and compares values:
pairs that must pass (the same numbers, differently written) and pairs that must not."""

from __future__ import annotations

import pytest

from iris.qa.checks import Issue, run_checks


def number_issues(source: str, target: str) -> list[Issue]:
    return run_checks(source, target, enabled={"numbers"})


SAME = [
    # grouping and decimal separators of every convention
    ("It costs 1,000.5 euros.", "Il coûte 1 000,5 euros."),
    ("It costs 1,000.5 euros.", "Il coûte 1\u00a0000,5 euros."),
    ("It costs 1,000.5 euros.", "Il coûte 1\u202f000,5 euros."),
    ("It costs 1,000.5 euros.", "Es kostet 1.000,5 Euro."),
    ("It costs 1,000.5 euros.", "Es kostet 1'000.5 Franken."),
    ("It costs 1,000.5 euros.", "Es kostet 1’000.5 Franken."),
    ("It costs 1,000.5 euros.", "يكلف ١٬٠٠٠٫٥ يورو."),
    ("Total 1,234,567.89", "Total 1.234.567,89"),
    ("Total 1,234,567", "कुल 12,34,567"),  # Indian grouping
    ("Total 1,234,567", "Total 1234567"),
    ("1,500 units", "1.500 Einheiten"),  # either reading
    ("1.5 kg", "1,5 kg"),
    ("0.50 m", "0,5 m"),  # trailing zeros
    ("Total 10,000", "Total 10 000"),
    # digits of other scripts and compatibility forms
    ("Room 42 is free.", "الغرفة ٤٢ متاحة."),
    ("Room 42 is free.", "४२ नंबर कमरा खाली है।"),
    ("Room 42 is free.", "４２号室は空いています。"),
    ("Area 10 m².", "Surface 10 m2."),
    ("Step 1 of 3", "Étape ① sur ③"),
    # numeric dates in any order
    ("Due on 2024-03-01.", "Fällig am 01.03.2024."),
    ("Due on 2024-03-01.", "Due on 3/1/2024."),
    ("Due on 2024-03-01.", "期限は2024年3月1日です。"),
    ("Due on 1 March 2024.", "Échéance le 1er mars 2024."),
    # percentages
    ("About 50% agree.", "Environ 50 % sont d'accord."),
    ("About 50% agree.", "Environ 50\u00a0% sont d'accord."),
    ("About 50% agree.", "Etwa 50\u202f% stimmen zu."),
    ("About 50% agree.", "Yaklaşık %50 kabul ediyor."),
    ("About 12.5% agree.", "Environ 12,5 % sont d'accord."),
    # numbers that spaces only seem to join
    ("Chapter 3 100 pages", "Chapitre 3, 100 pages"),
    ("Versions 1.2.3 and 10.0", "Versionen 1.2.3 und 10.0"),
    ("No numbers here.", "Aucun numéro ici."),
]


@pytest.mark.parametrize(("source", "target"), SAME)
def test_the_same_numbers_written_otherwise_pass(source: str, target: str) -> None:
    assert number_issues(source, target) == []


DIFFERENT = [
    # (source, target, what the warning names)
    ("It weighs 1,5 kg.", "Il pèse 15 kg.", "numbers missing: 1,5"),
    ("It weighs 15 kg.", "Il pèse 1,5 kg.", "number added: 1,5"),
    ("It costs 1,000.5 euros.", "Il coûte 1 000 euros.", "numbers missing: 1,000.5"),
    ("It costs 1,000.5 euros.", "Il coûte 1 000,05 euros.", "number added: 1 000,05"),
    ("Total 1,234,567", "Total 1.234.568", "number added: 1.234.568"),
    ("Due on 2024-03-01.", "Fällig am 01.04.2024.", "number added: 04"),
    ("About 50% agree.", "Environ 5 % sont d'accord.", "numbers missing: 50"),
    ("About 12,5% agree.", "Environ 125 % sont d'accord.", "number added: 125"),
    ("Room 42 is free.", "الغرفة ٤٣ متاحة.", "number added: ٤٣"),
    ("No numbers here.", "Pas de nombres ٣ ici.", "number added: ٣"),
    ("Total 1,250 units in 2024.", "Total 1 250 unités en 2025.", "numbers missing: 2024"),
]


@pytest.mark.parametrize(("source", "target", "message"), DIFFERENT)
def test_different_numbers_warn(source: str, target: str, message: str) -> None:
    messages = [issue.message for issue in number_issues(source, target)]
    assert message in messages


def test_an_added_number_is_placed_and_a_missing_one_is_not() -> None:
    missing, added = number_issues("Total 1,250 units in 2024.", "Total 1 250 unités en 2025.")
    assert missing.span is None
    assert added.span == (22, 26)


def test_a_date_component_is_placed_within_its_date() -> None:
    spans = [i.span for i in number_issues("On 2024-03-01.", "Le 01.04.2024.") if i.span]
    assert spans == [(6, 8)]  # "04"
