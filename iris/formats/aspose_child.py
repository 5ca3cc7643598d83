"""Child process for Aspose.Words: ``python -m iris.formats.aspose_child IN OUT FORMAT``.

Converts the document IN into OUT in FORMAT (docx, doc, rtf or odt) and exits 0.
Exit 2: bad arguments or aspose-words not installed; exit 1: Aspose.Words refused the
document. Where its .NET runtime cannot start, Aspose aborts this process (SIGABRT):
that is why it only ever runs here, never in the worker (see ``iris.formats.aspose``).
"""

from __future__ import annotations

import sys

FORMATS = ("docx", "doc", "rtf", "odt")
USAGE = "usage: python -m iris.formats.aspose_child IN OUT {docx,doc,rtf,odt}"


def main(argv: list[str]) -> int:
    """Convert ``argv = [IN, OUT, FORMAT]``; the exit code tells the parent what happened."""
    if len(argv) != 3 or argv[2] not in FORMATS:
        print(USAGE, file=sys.stderr)
        return 2
    source, target, fmt = argv
    try:
        # Imported here, not at module level, so a missing package is a clear message.
        import aspose.words as aw
    except ImportError:
        print(
            "aspose-words is not installed in this Python environment (pip install 'iris[aspose]')",
            file=sys.stderr,
        )
        return 2
    try:
        aw.Document(source).save(target, getattr(aw.SaveFormat, fmt.upper()))
    except Exception as error:  # Aspose wraps every .NET failure in its own classes
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
