"""The Apertium engine, for real: the Debian packages ``apertium`` and
``apertium-eng-spa`` (installed by scripts/system-deps.sh), one process call per batch."""

from __future__ import annotations

import io
import re
import shutil
import zipfile

import pytest
from docx import Document

from iris.docx import open_document
from iris.docx.text.tags import validate_tags
from iris.engines.apertium import ApertiumEngine, mode_for
from iris.engines.base import EngineRequest, EngineSegment, PermanentError, UnsupportedPairError
from tests.jobs.test_cli import SAMPLE, iris


def translate(*sources: str, source: str = "en", target: str = "es") -> list[str]:
    request = EngineRequest(
        source, target, [EngineSegment(str(i), text) for i, text in enumerate(sources)]
    )
    result = ApertiumEngine().translate(request)
    return [result.targets[str(i)] for i in range(len(sources))]


def test_pairs_are_the_installed_modes() -> None:
    assert mode_for("en", "es") == "eng-spa"
    assert mode_for("en-GB", "es-MX") == "eng-spa"
    assert mode_for("es", "en-US") == "spa-eng_US"  # the variant of the target's region
    assert mode_for("es", "en") == "spa-eng"
    assert mode_for("en", "de") is None
    ApertiumEngine.check_pair("en", "es")
    ApertiumEngine.check_pair("auto", "es")
    with pytest.raises(UnsupportedPairError, match="from en it translates into: es"):
        ApertiumEngine.check_pair("en", "de")
    with pytest.raises(UnsupportedPairError, match="cannot translate into de"):
        ApertiumEngine.check_pair("auto", "de")


def test_sentences_are_translated_with_their_tags_valid_and_in_place() -> None:
    sources = [
        "The <g1>quarterly</g1> report is ready. ",
        "Total 1,250 units<x2/> in 2024.",
        "Call &amp; see <g3>our <g4>new</g4></g3> offices &lt;today&gt;.",
        "<x1/>The house is <g2>big</g2>.<x3/>",
    ]
    targets = translate(*sources)
    for source, target in zip(sources, targets, strict=True):
        assert validate_tags(source, target) == [], (source, target)
        assert target != source
    assert targets[0].endswith(". ")  # the space that joins it to the next sentence
    assert "informe" in targets[0]
    assert "1,250" in targets[1]
    assert "&amp;" in targets[2]
    assert "&lt;" in targets[2]
    assert targets[3].startswith("<x1/>")
    assert targets[3].endswith("<x3/>")
    assert "casa" in targets[3]


def test_a_dropped_word_leaves_no_double_space() -> None:
    (target,) = translate("In the next quarter we will extend chat support to weekends.")
    assert "  " not in target
    assert "extenderemos" in target


def test_blank_segments_are_kept_and_not_sent() -> None:
    assert translate("", "   ", "The house.") == ["", "   ", "La casa."]


def test_a_batch_of_many_segments_is_one_call_and_keeps_its_order() -> None:
    sources = [f"Item {n} is ready." for n in range(300)]
    targets = translate(*sources)
    assert [re.findall(r"\d+", t) for t in targets] == [[str(n)] for n in range(300)]


def test_a_long_segment_comes_back_whole() -> None:
    source = "The house is big and the garden is green. " * 90  # 3,870 characters
    (target,) = translate(source.strip())
    assert target.count("casa") == 90


def test_an_unsupported_pair_fails_permanently_when_asked_anyway() -> None:
    with pytest.raises(UnsupportedPairError):
        translate("The house.", target="de")


def test_a_missing_program_is_a_permanent_error_saying_how_to_install(settings) -> None:
    settings.IRIS_APERTIUM_PATH = "/nonexistent/apertium"
    with pytest.raises(PermanentError, match="apt-get install apertium"):
        translate("The house.")


# -- through the command line ---------------------------------------------------------


def test_the_sample_report_is_translated_into_spanish(tmp_path) -> None:
    output = tmp_path / "report.es.docx"
    done = iris(
        tmp_path, "translate", str(SAMPLE), "--to", "es", "--engine", "apertium", "-o", str(output)
    )
    assert done.returncode == 0, done.stderr
    assert "fidelity clean" in done.stdout
    texts = {u.id: u.plain for u in open_document(output.read_bytes(), source_lang="es").units()}
    assert texts["word/document.xml#p0.s0"] == "Informe de servicio trimestral"
    before = {u.id: u for u in open_document(SAMPLE.read_bytes()).units()}
    after = {u.id: u for u in open_document(output.read_bytes(), source_lang="es").units()}
    assert after.keys() == before.keys()
    for unit_id, unit in before.items():  # formatting spans kept, segment by segment
        assert sorted(re.findall(r"</?g\d+>|<x\d+/>", after[unit_id].source)) == sorted(
            re.findall(r"</?g\d+>|<x\d+/>", unit.source)
        )


def test_the_default_engine_is_a_setting(tmp_path) -> None:
    output = tmp_path / "out.docx"
    done = iris(
        tmp_path, "translate", str(SAMPLE), "--to", "es", "-o", str(output),
        IRIS_DEFAULT_ENGINE="apertium",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    titles = [u.plain for u in open_document(output.read_bytes()).units()][:1]
    assert titles == ["Informe de servicio trimestral"]


def test_an_unsupported_target_is_refused_at_once_naming_the_installed_ones(tmp_path) -> None:
    done = iris(tmp_path, "translate", str(SAMPLE), "--to", "de", "--engine", "apertium")
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "cannot translate en into de" not in done.stderr  # the source is not given
    assert "cannot translate into de; installed targets: " in done.stderr
    assert not (tmp_path / "var" / "artifacts").exists()


def test_a_detected_source_it_does_not_translate_fails_the_job_before_any_batch(
    tmp_path,
) -> None:
    document = Document()
    for text in (
        "Le rapport trimestriel est prêt et il montre une nette amélioration.",
        "Nous avons répondu à plus de mille demandes de nos clients cette année.",
    ):
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    source = tmp_path / "rapport.docx"
    source.write_bytes(buffer.getvalue())
    done = iris(tmp_path, "translate", str(source), "--to", "es", "--engine", "apertium", "-q")
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "failed in docx_extract: the apertium engine cannot translate fr into es" in done.stdout
    assert not (tmp_path / "rapport.es.docx").exists()
    assert zipfile.is_zipfile(source)


def test_a_pair_of_the_configured_modes_folder_is_the_one_that_runs(settings, tmp_path) -> None:
    """IRIS_APERTIUM_MODES decides both what is offered and what runs: a mode found
    only there translates (it used to be offered, then refused by apertium)."""
    modes = tmp_path / "modes"
    modes.mkdir()
    shutil.copy("/usr/share/apertium/modes/eng-spa.mode", modes / "eng-cat.mode")
    settings.IRIS_APERTIUM_MODES = str(modes)
    ApertiumEngine.check_pair("en", "ca")
    request = EngineRequest("en", "ca", [EngineSegment("s0", "The house is big.")])
    assert ApertiumEngine().translate(request).targets["s0"] == "La casa es grande."


def test_no_tag_starts_or_ends_on_a_space_apertium_moved_inside_it() -> None:
    """Apertium answers ``I <g1>will</g1> go`` with ``<g1> Iré</g1>``: the space goes
    back outside the tag, so neither the paragraph nor its bold starts with one."""
    sources = ["I <g1>will</g1> go to the office tomorrow.", "It <g1>has been</g1> a long year."]
    targets = translate(*sources)
    assert targets[0].startswith("<g1>Iré</g1> ")
    for source, target in zip(sources, targets, strict=True):
        assert not re.search(r"<g\d+>\s|\s</g\d+>", target), target
        assert not target.startswith((" ", "<g1></g1> ")), target
        assert validate_tags(source, target) == [], (source, target)


def test_a_space_the_source_has_inside_a_tag_stays_there() -> None:
    (target,) = translate("Read <g1> the manual</g1> first.")
    assert "<g1> " in target


def test_a_detected_language_apertium_lacks_says_it_was_detected(tmp_path) -> None:
    """When the detected pair is not installed, the message says the language was
    detected (short texts are detected poorly) and how to give it."""
    import docx

    document = docx.Document()
    document.add_paragraph("Le rapport trimestriel est prêt pour nos clients et nos équipes.")
    document.add_paragraph("Nous avons répondu à toutes les demandes en moins de deux jours.")
    document.save(tmp_path / "rapport.docx")
    done = iris(tmp_path, "translate", "rapport.docx", "--to", "es", "--engine", "apertium")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "cannot translate fr into es" in done.stdout
    assert "the document's language was detected as fr: give --from" in done.stdout
