from __future__ import annotations

from iris.cli.main import main

raise SystemExit(main())
