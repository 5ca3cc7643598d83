"""The import judge: what a reviewer's file changes, and every reason it changes nothing."""

from __future__ import annotations

from iris.review.importer import JobFacts, SegmentNow, judge
from iris.review.package import ReadPackage, ReadUnit, ReviewState, target_fingerprint

JOB = JobFacts("job-1", "fr", frozenset({"pkg-1"}))
SOURCE = "Press <g1>Start</g1> now<x2/>"
MACHINE = "Appuyez sur <g1>Démarrer</g1> maintenant<x2/>"


def rows(**targets: str) -> dict[int, SegmentNow]:
    found = {
        1: SegmentNow(1, SOURCE, MACHINE, "", ""),
        2: SegmentNow(2, "Hello", "Bonjour", "", ""),
    }
    for key, target in targets.items():
        order = int(key[1:])
        found[order] = SegmentNow(order, found[order].source, target, "", "")
    return found


def unit(key: int, target: str | None, base: str | None = None, **kw: object) -> ReadUnit:
    fields = {"state": None, "comment": "", "problem": None} | kw
    exported = MACHINE if key == 1 else "Bonjour"
    return ReadUnit(
        key,
        f"s{key}",
        target,
        fields["state"],  # type: ignore[arg-type]
        target_fingerprint(exported) if base is None else base,
        str(fields["comment"]),
        fields["problem"],  # type: ignore[arg-type]
    )


def package(*units: ReadUnit, job: str = "job-1", lang: str = "fr") -> ReadPackage:
    return ReadPackage(job, "pkg-1", "en", lang, list(units))


def codes(report) -> list[str]:
    return [problem.code for problem in report.errors]


def test_an_edited_target_is_taken_and_counts_as_reviewed() -> None:
    edited = "Appuyez <g1>tout de suite</g1> sur Démarrer<x2/>"
    report = judge(package(unit(1, edited, state=ReviewState.TRANSLATED)), JOB, rows())
    assert report.accepted
    (change,) = report.changes
    assert (change.order, change.target, change.state) == (1, edited, ReviewState.REVIEWED)


def test_a_confirmed_target_changes_only_its_state() -> None:
    report = judge(package(unit(2, "Bonjour", state=ReviewState.FINAL)), JOB, rows())
    (change,) = report.changes
    assert change.target is None
    assert change.state == ReviewState.FINAL


def test_an_untouched_unit_changes_nothing() -> None:
    report = judge(
        package(unit(2, "Bonjour", state=ReviewState.TRANSLATED), unit(1, None)), JOB, rows()
    )
    assert report.accepted
    assert report.changes == []


def test_unknown_and_duplicate_ids_refuse_the_whole_file() -> None:
    stray = ReadUnit(None, "u9", "x", None, None)
    report = judge(package(unit(2, "Salut"), unit(2, "Coucou"), unit(7, "x"), stray), JOB, rows())
    assert codes(report) == ["duplicate_id", "unknown_id", "unknown_id"]
    assert not report.accepted


def test_a_package_of_another_job_or_language_is_refused() -> None:
    report = judge(package(unit(2, "Salut"), job="job-2", lang="de"), JOB, rows())
    assert codes(report) == ["wrong_job", "wrong_language"]
    assert "job-2" in report.errors[0].message


def test_a_package_no_export_made_is_a_warning() -> None:
    read = ReadPackage("job-1", "pkg-9", "en", "fr", [unit(2, "Salut")])
    report = judge(read, JOB, rows())
    assert report.accepted
    assert [w.code for w in report.warnings] == ["unknown_package"]


def test_broken_tags_are_refused_with_a_repair_offered_or_repaired_on_request() -> None:
    broken = "Appuyez sur Démarrer maintenant<x2/>"  # the pair g1 lost
    refused = judge(package(unit(1, broken)), JOB, rows())
    assert codes(refused) == ["broken_tags"]
    offer = refused.errors[0].offer
    assert "<g1>" in offer
    assert "</g1>" in offer
    assert "<x2/>" in offer
    repaired = judge(package(unit(1, broken)), JOB, rows(), repair=True)
    assert repaired.accepted
    assert repaired.changes[0].target == offer
    assert repaired.changes[0].repaired


def test_a_segment_changed_on_both_sides_is_a_conflict_until_a_side_is_chosen() -> None:
    in_iris = "Appuyez vite sur <g1>Démarrer</g1><x2/>"
    in_file = "Cliquez sur <g1>Démarrer</g1> maintenant<x2/>"
    now = rows(s1=in_iris)
    conflict = judge(package(unit(1, in_file)), JOB, now)
    assert codes(conflict) == ["conflict"]
    assert conflict.errors[0].offer == {"iris": in_iris, "package": in_file}
    theirs = judge(package(unit(1, in_file)), JOB, now, conflicts="package")
    assert theirs.changes[0].target == in_file
    ours = judge(package(unit(1, in_file, state=ReviewState.REVIEWED)), JOB, now, conflicts="iris")
    assert ours.accepted
    assert ours.changes[0].target is None


def test_a_segment_changed_only_in_iris_keeps_iris_text() -> None:
    in_iris = "Appuyez vite sur <g1>Démarrer</g1><x2/>"
    report = judge(package(unit(1, MACHINE)), JOB, rows(s1=in_iris))
    assert report.accepted
    assert report.changes == []
    assert [w.code for w in report.warnings] == ["kept_iris_edit"]


def test_a_unit_the_reader_could_not_read_refuses_the_file() -> None:
    report = judge(package(unit(2, "x", problem="unknown inline element <b>")), JOB, rows())
    assert codes(report) == ["unreadable"]


def test_the_report_counts_what_it_did() -> None:
    report = judge(package(unit(2, "Salut", comment="shorter")), JOB, rows())
    data = report.as_json()
    assert data["accepted"]
    assert data["targets_edited"] == 1
    assert data["segments_changed"] == 1
    assert report.changes[0].comment == "shorter"
