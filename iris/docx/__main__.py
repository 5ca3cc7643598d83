"""``python -m iris.docx`` — see `iris.docx.cli`."""

from __future__ import annotations

import sys

from iris.docx.cli import main

sys.exit(main())
