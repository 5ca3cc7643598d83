"""``iris``: the command line (``iris translate IN.docx --to fr`` is the main job)."""

from __future__ import annotations

from iris.cli.commands import main

__all__ = ["main"]
