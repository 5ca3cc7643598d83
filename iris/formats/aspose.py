"""Conversion with Aspose.Words for Python, always in a child interpreter.

Aspose.Words embeds a .NET runtime that aborts the whole process (SIGABRT) where it
cannot start, e.g. on Debian 12 (no ICU / OpenSSL 1.1). So it is never imported here:
``python -m iris.formats.aspose_child`` does the work, and a crash or hang of that
child becomes a :class:`ConversionError` carrying the child's last words.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from pathlib import Path

from iris.formats.base import Converter, file_of
from iris.formats.errors import ConversionError, ConverterUnavailableError
from iris.formats.process import Finished, TimedOut, exit_description, run_bounded
from iris.formats.sniff import EXTENSION, SourceFormat

__all__ = ["AsposeConverter"]

CHILD_MODULE = "iris.formats.aspose_child"
#: the child's exit code when it cannot work at all (aspose-words missing, bad arguments):
#: the installation's fault, never the document's
_UNAVAILABLE = 2
# The directory holding the ``iris`` package, so the child imports this same code even
# from a checkout that is not installed.
_IRIS_ROOT = str(Path(__file__).resolve().parents[2])


class AsposeConverter(Converter):
    """Converts by running ``python -m <child_module> IN OUT FORMAT`` with a time limit."""

    name = "Aspose.Words"

    def __init__(
        self, python: str = sys.executable, timeout: float = 120, child_module: str = CHILD_MODULE
    ) -> None:
        self.python = python
        self.timeout = timeout
        self.child_module = child_module

    def available(self) -> bool:
        """Whether aspose-words is installed in this environment (found, not imported)."""
        return importlib.util.find_spec("aspose") is not None

    def convert(self, data: bytes, source: SourceFormat, target: SourceFormat) -> bytes:
        """Convert in a private temporary directory that is always removed afterwards."""
        with tempfile.TemporaryDirectory(prefix="iris-aspose-") as tmp:
            work = Path(tmp)
            document = work / f"input{EXTENSION[source]}"
            output = work / f"output{EXTENSION[target]}"
            document.write_bytes(data)
            finished = self._run(work, [str(document), str(output), target.value], source)
            if finished.returncode == _UNAVAILABLE:
                raise ConverterUnavailableError(
                    f"Aspose.Words cannot convert {file_of(source)}: {finished.output}."
                )
            if finished.returncode != 0 or not output.is_file():
                raise ConversionError(
                    f"Aspose.Words could not convert {file_of(source)}: "
                    f"{finished.output or 'it gave no reason'} "
                    f"({exit_description(finished.returncode)})."
                )
            return output.read_bytes()

    def _run(self, work: Path, arguments: list[str], source: SourceFormat) -> Finished:
        command = [self.python, "-m", self.child_module, *arguments]
        try:
            return run_bounded(command, timeout=self.timeout, workdir=work, env=_child_env())
        except OSError as error:
            raise ConverterUnavailableError(
                f"Aspose.Words could not be started to convert {file_of(source)} "
                f"({self.python}: {error.strerror})."
            ) from error
        except TimedOut:
            raise ConversionError(
                f"Aspose.Words did not finish converting {file_of(source)} within the time "
                f"limit of {self.timeout:g} s and was stopped; "
                "the file may be damaged or too large."
            ) from None


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [_IRIS_ROOT, env.get("PYTHONPATH")]))
    return env
