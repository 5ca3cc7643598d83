"""Running a converter program with a time limit, leaving nothing behind.

Converters are separate programs (LibreOffice) or child interpreters (Aspose.Words) that
can hang on a hostile file or crash outright. Each runs in its own session, so the
whole process group (soffice starts oosplash and soffice.bin) can be killed at once;
output goes to a file, not a pipe, so a stray grandchild can never block the reader.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Finished", "TimedOut", "exit_description", "run_bounded"]

_TAIL_LINES = 6
_TAIL_CHARS = 600
# Harmless start-up chatter of Debian's LibreOffice that would hide the real error.
_NOISE = ("javaldx",)


@dataclass(frozen=True)
class Finished:
    """A program that ended by itself: its exit code and the tail of its output."""

    returncode: int
    output: str


class TimedOut(Exception):
    """The program was still running at the time limit and was killed."""


def run_bounded(
    command: list[str], *, timeout: float, workdir: Path, env: Mapping[str, str] | None = None
) -> Finished:
    """Run ``command`` in ``workdir`` for at most ``timeout`` seconds.

    Raises :class:`TimedOut` after killing the whole process group, and ``OSError``
    when the program cannot be started at all.
    """
    log = workdir / "output.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command,
            cwd=workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        returncode: int | None = None
        try:
            returncode = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass  # killed just below; reported once the output is complete
        finally:
            # Also after a normal exit: a helper the program forked must not outlive it.
            _kill_group(process)
    tail = _output_tail(log)
    if returncode is None:
        raise TimedOut(tail)
    return Finished(returncode, tail)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):  # the whole group has already exited
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _output_tail(log: Path) -> str:
    """The last few meaningful lines of a program's output, joined into one line."""
    text = log.read_bytes()[-16 * _TAIL_CHARS :].decode("utf-8", "replace")
    lines = [line.strip() for line in text.splitlines()]
    kept = [line for line in lines if line and not any(noise in line for noise in _NOISE)]
    return " | ".join(kept[-_TAIL_LINES:])[-_TAIL_CHARS:]


def exit_description(returncode: int) -> str:
    """``exit code 2``, or ``exit code -6, killed by SIGABRT`` for a signal."""
    if returncode >= 0:
        return f"exit code {returncode}"
    try:
        name = signal.Signals(-returncode).name
    except ValueError:
        name = f"signal {-returncode}"
    return f"exit code {returncode}, killed by {name}"
