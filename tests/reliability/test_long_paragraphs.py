"""A paragraph far longer than any real one is translated, not refused after minutes:
it is cut into bounded segments, and Iris parses its own output with the bounds that
output needs (its text grows in translation past the parser's 10 MB text-node bound)."""

from __future__ import annotations

import zipfile

from tests.docx.test_package import document_xml, minimal_parts, zip_parts
from tests.jobs.test_cli import iris

TEXT_NODE_BOUND = 10_000_000  # libxml2's XML_MAX_TEXT_LENGTH, without XML_PARSE_HUGE


def test_one_repeated_sentence_of_five_million_characters_is_translated(tmp_path) -> None:
    # Also a "zip bomb" by compression ratio (one sentence repeated compresses ~400:1):
    # it unpacks to far less than the limits, so it is a document.
    sentence = ("lorem ipsum dolor sit amet " * 130).strip().capitalize() + ". "
    text = sentence * (5_200_000 // len(sentence))
    data = zip_parts({**minimal_parts(), "word/document.xml": document_xml(text)})
    assert len(data) * 200 < len(text)
    source = tmp_path / "long.docx"
    source.write_bytes(data)
    done = iris(tmp_path, "translate", str(source), "--to", "de", "--from", "en", "-q")
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert "fidelity clean" in done.stdout
    with zipfile.ZipFile(tmp_path / "long.de.docx") as output:
        translated = output.read("word/document.xml")
    assert len(translated) > TEXT_NODE_BOUND
    assert b"lorem ipsum" not in translated


def test_one_text_beyond_the_parsers_bound_is_refused_at_once_naming_the_limit(
    tmp_path,
) -> None:
    text = "word " * (TEXT_NODE_BOUND // 5 + 1000)
    source = tmp_path / "huge.docx"
    source.write_bytes(zip_parts({**minimal_parts(), "word/document.xml": document_xml(text)}))
    done = iris(tmp_path, "translate", str(source), "--to", "de", "--from", "en", "-q")
    assert done.returncode == 3, (done.stdout, done.stderr)
    assert "more than 10,000,000 bytes in one piece" in done.stderr
    assert "re-save" not in done.stderr
