"""Conversion with LibreOffice in headless mode (``soffice --convert-to``)."""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

from iris.formats.base import Converter, file_of
from iris.formats.errors import ConversionError, ConverterUnavailableError
from iris.formats.process import Finished, TimedOut, exit_description, run_bounded
from iris.formats.sniff import EXTENSION, SourceFormat

__all__ = ["LibreOfficeConverter"]

# "<extension>:<export filter>": naming the filter keeps LibreOffice from choosing one.
_FILTERS = {
    SourceFormat.DOCX: "docx:MS Word 2007 XML",
    SourceFormat.DOC: "doc:MS Word 97",
    SourceFormat.RTF: "rtf:Rich Text Format",
    SourceFormat.ODT: "odt:writer8",
}
# One soffice at a time per process: each takes hundreds of MB and a core, and parallel
# conversions on a small worker only make every one of them slower.
_ONE_AT_A_TIME = threading.Lock()
#: the document a failed conversion is compared with: any working soffice converts it
_PROBE = b"{\\rtf1\\ansi Iris converter check.\\par}"


class LibreOfficeConverter(Converter):
    """Converts with the ``soffice`` program, a fresh user profile per call."""

    name = "LibreOffice"

    def __init__(self, soffice: str = "soffice", timeout: float = 120) -> None:
        self.soffice = soffice
        self.timeout = timeout

    def available(self) -> bool:
        """Whether ``soffice`` is an executable on this machine."""
        return shutil.which(self.soffice) is not None

    def convert(self, data: bytes, source: SourceFormat, target: SourceFormat) -> bytes:
        """Convert in a private temporary directory that is always removed afterwards."""
        converted, finished = self._attempt(data, source, target)
        if converted is not None:
            return converted
        failure = (
            f"LibreOffice could not convert {file_of(source)} to {EXTENSION[target]}: "
            f"{finished.output or 'it gave no reason'} "
            f"({exit_description(finished.returncode)})"
        )
        if not self._works():
            # Not the document's fault: a job stopped by it fails (to be retried once the
            # installation is fixed) rather than rejecting, and forgetting, the document.
            raise ConverterUnavailableError(
                f"{failure}; it cannot convert a one-line test document either, so the "
                f"installation is at fault, not the document: check {self.soffice} "
                "(IRIS_SOFFICE_PATH), then retry."
            )
        raise ConversionError(f"{failure}.")

    def _works(self) -> bool:
        """Whether this soffice converts a one-line RTF document to .docx at all."""
        try:
            converted, _finished = self._attempt(_PROBE, SourceFormat.RTF, SourceFormat.DOCX)
        except ConversionError:  # could not start, or timed out
            return False
        return converted is not None

    def _attempt(
        self, data: bytes, source: SourceFormat, target: SourceFormat
    ) -> tuple[bytes | None, Finished]:
        """One conversion in a private temporary directory, always removed afterwards:
        the converted bytes (None when there are none), and how soffice ended."""
        with tempfile.TemporaryDirectory(prefix="iris-soffice-") as tmp:
            work = Path(tmp)
            document = work / f"input{EXTENSION[source]}"
            document.write_bytes(data)
            with _ONE_AT_A_TIME:
                finished = self._run(work, document, source, target)
            output = work / "out" / f"input{EXTENSION[target]}"
            # soffice exits 0 even when it cannot load the file: the output decides.
            if finished.returncode == 0 and _has_content(output):
                return output.read_bytes(), finished
            return None, finished

    def _run(
        self, work: Path, document: Path, source: SourceFormat, target: SourceFormat
    ) -> Finished:
        # A private profile per call: soffice refuses to start twice on one profile, and
        # a profile damaged by a killed run must not break the next conversion.
        command = [
            self.soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            _FILTERS[target],
            "--outdir",
            str(work / "out"),
            str(document),
        ]
        try:
            return run_bounded(command, timeout=self.timeout, workdir=work)
        except OSError as error:
            raise ConverterUnavailableError(
                f"LibreOffice could not be started to convert {file_of(source)} "
                f"({self.soffice}: {error.strerror}); install LibreOffice or fix the soffice path."
            ) from error
        except TimedOut:
            raise ConversionError(
                f"LibreOffice did not finish converting {file_of(source)} to "
                f"{EXTENSION[target]} within the time limit of {self.timeout:g} s and was "
                "stopped; the file may be damaged or too large."
            ) from None


def _has_content(path: Path) -> bool:
    return path.is_file() and path.stat().st_size > 0
