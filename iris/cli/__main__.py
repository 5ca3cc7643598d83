from __future__ import annotations

from iris.cli.commands import main

raise SystemExit(main())
