"""Inconsistency across a job: one source translated in different ways, different
sources translated alike; short texts are left out."""

from __future__ import annotations

from iris.qa.checks import JOB_REGISTRY, Issue, Severity, inconsistencies, run_job_checks

SAVE = "Save your changes before closing."


def messages(found: dict[int, list[Issue]]) -> dict[int, list[str]]:
    return {key: [issue.message for issue in issues] for key, issues in found.items()}


def test_the_job_registry_finds_the_inconsistency_check() -> None:
    assert JOB_REGISTRY["inconsistency"] is inconsistencies


def test_a_source_translated_otherwise_than_most_of_its_repeats_warns() -> None:
    rows = [
        (1, SAVE, "Enregistrez vos modifications avant de fermer."),
        (2, SAVE, "Enregistrez vos modifications avant de fermer."),
        (3, "  save your changes  before closing ", "Sauvegardez vos changements avant de fermer."),
        (4, "Open the file.", "Ouvrez le fichier."),
    ]
    found = inconsistencies(rows)
    assert list(found) == [3]
    (issue,) = found[3]
    assert (issue.check, issue.severity) == ("inconsistency", Severity.WARNING)
    assert issue.message == (
        "the same source is translated otherwise in this job: "
        "'Enregistrez vos modifications avant de fermer.'"
    )


def test_without_a_usual_translation_every_variant_warns() -> None:
    rows = [
        (1, SAVE, "Enregistrez vos modifications avant de fermer."),
        (2, SAVE, "Sauvegardez vos changements avant de fermer."),
    ]
    assert sorted(inconsistencies(rows)) == [1, 2]


def test_case_spacing_and_surrounding_punctuation_are_not_differences() -> None:
    rows = [
        (1, SAVE, "Enregistrez vos modifications avant de fermer."),
        (2, SAVE.upper(), "ENREGISTREZ VOS MODIFICATIONS AVANT DE FERMER"),
        (3, f"« {SAVE} »", "Enregistrez  vos modifications avant de fermer !"),
    ]
    assert inconsistencies(rows) == {}


def test_different_sources_translated_alike_warn() -> None:
    rows = [
        (1, "Close the window now.", "Fermez la fenêtre maintenant."),
        (2, "Shut the window now.", "Fermez la fenêtre maintenant."),
        (3, "Close the window now.", "Fermez la fenêtre maintenant."),
    ]
    assert messages(inconsistencies(rows)) == {
        1: ["the same translation stands for another source: 'Shut the window now.'"],
        2: ["the same translation stands for another source: 'Close the window now.'"],
        3: ["the same translation stands for another source: 'Shut the window now.'"],
    }


def test_short_and_letterless_texts_are_left_out() -> None:
    rows = [
        (1, "Open", "Ouvrir"),
        (2, "Open", "Ouvert"),
        (3, "Total: 1,250", "Total : 1 250"),
        (4, "Total: 1,250", "Somme : 1 250"),
        (5, "OK", "D'accord"),
        (6, "Okay", "D'accord"),
    ]
    assert inconsistencies(rows) == {}


def test_texts_in_scripts_without_spaces_are_compared() -> None:
    rows = [(1, "Save the file now.", "保存文件"), (2, "Store the file now.", "保存文件")]
    assert sorted(inconsistencies(rows)) == [1, 2]


def test_run_job_checks_gathers_by_key_and_honours_the_options() -> None:
    rows = [(1, SAVE, "Enregistrez vos modifications."), (2, SAVE, "Sauvegardez vos changements.")]
    assert sorted(run_job_checks(iter(rows))) == [1, 2]
    assert run_job_checks(rows, enabled=set()) == {}
