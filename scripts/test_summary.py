"""Print how many tests ran in each configuration, then one total line."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def counts(report: Path) -> dict[str, int]:
    suite = ET.parse(report).getroot()  # noqa: S314 - our own pytest report
    suite = suite if suite.tag == "testsuite" else suite[0]
    total = int(suite.get("tests", 0))
    failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    skipped = int(suite.get("skipped", 0))
    return {"passed": total - failed - skipped, "failed": failed, "skipped": skipped}


def main(paths: list[str]) -> None:
    totals = {"passed": 0, "failed": 0, "skipped": 0}
    for path in map(Path, paths):
        found = counts(path)
        print(
            f"{path.stem}: {found['passed']} passed, {found['failed']} failed, "
            f"{found['skipped']} skipped"
        )
        for key in totals:
            totals[key] += found[key]
    print(f"{totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped")


if __name__ == "__main__":
    main(sys.argv[1:])
