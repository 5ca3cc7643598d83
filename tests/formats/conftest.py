"""Real documents in every accepted format, made once per session by LibreOffice.

The sources are ``samples/report.docx`` and a few corpus files (the corpus is at
``<repo>/../shared/corpus/public`` or ``$IRIS_CORPUS_DIR``). They are converted by
calling ``soffice`` directly, one call per format, not through the converter under
test. A missing LibreOffice or corpus fails the tests that need them: it never skips.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from iris.formats import EXTENSION, SourceFormat
from tests.docx.conftest import REPO_ROOT, corpus_dir

SAMPLE = REPO_ROOT / "samples" / "report.docx"
# A Russian (non-Latin) document, one built of tables, and one with footnotes.
CORPUS_NAMES = (
    "docx4j__Docx4j_Russian.docx",
    "pydocx__tbl-having-applied-style.docx",
    "pandoc__notes.docx",
)
STEMS = ("report", *(Path(name).stem for name in CORPUS_NAMES))
LEGACY = (SourceFormat.DOC, SourceFormat.RTF, SourceFormat.ODT)
_FILTERS = {SourceFormat.DOC: "doc:MS Word 97", SourceFormat.RTF: "rtf", SourceFormat.ODT: "odt"}


def require_soffice() -> str:
    """The path of ``soffice``, or fail the test saying how to install it."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail(
            "LibreOffice (soffice) is not installed and this test needs it: "
            "apt-get install -y --no-install-recommends libreoffice-writer-nogui"
        )
    return soffice


def source_paths() -> dict[str, Path]:
    """The source .docx files by stem, or fail when one is missing."""
    paths = [SAMPLE, *(corpus_dir() / name for name in CORPUS_NAMES)]
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        pytest.fail(f"test documents are missing (set IRIS_CORPUS_DIR?): {', '.join(missing)}")
    return {path.stem: path for path in paths}


@pytest.fixture(scope="session")
def docx_sources() -> dict[str, bytes]:
    """The source documents' .docx bytes by stem."""
    return {stem: path.read_bytes() for stem, path in source_paths().items()}


@pytest.fixture(scope="session")
def legacy_documents(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], bytes]:
    """Every source as .doc, .rtf and .odt, keyed by (stem, format value)."""
    soffice = require_soffice()
    work = tmp_path_factory.mktemp("legacy")
    sources = [str(path) for path in source_paths().values()]
    documents: dict[tuple[str, str], bytes] = {}
    for fmt in LEGACY:
        out = work / fmt.value
        command = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless"]
        command += ["--norestore", "--convert-to", _FILTERS[fmt], "--outdir", str(out), *sources]
        subprocess.run(command, capture_output=True, timeout=600, check=True)
        for stem in STEMS:
            documents[stem, fmt.value] = (out / f"{stem}{EXTENSION[fmt]}").read_bytes()
    return documents
