"""Command line: ``python -m iris.docx units|pseudo|compare|check FILE…``.

* ``units FILE… [--policy KEY=VALUE]… [--json] [--each]`` previews what the policy
  would extract: per part and kind the units, those an engine would receive and their
  words, then the totals (``--json``: the same as data, see `iris.docx.preview`);
  ``--each`` prints one line per unit instead: id, kind, translatable flag, tagged source.
  ``--policy`` sets a `Policy` field (`iris.docx.model.policy_from_options`), e.g.
  ``--policy excluded_styles=Code,NoTranslate --policy hidden=false``.
* ``pseudo FILE -o OUT --to LANG [--timings]`` writes a pseudo-translation (see
  `iris.docx.text.pseudo`); ``--timings`` prints the time per stage (`iris.docx.stages`).
* ``compare A B`` prints the structural fidelity report of B against A.
* ``check FILE…`` prints one line per file (identity round trip exact, no source text
  left after a pseudo round trip, compare clean) and then the summary line
  ``files=<n> identity_exact=<n> no_source_left=<n> compare_clean=<n> errors=<n>``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from iris.docx import stages
from iris.docx.document import open_document
from iris.docx.errors import DocxError
from iris.docx.model import Policy, PolicyError, policy_from_options
from iris.docx.preview import preview
from iris.docx.text.pseudo import pseudo_targets
from iris.docx.verification.check import check_file, summary_line
from iris.docx.verification.compare import compare


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m iris.docx", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    units = commands.add_parser("units", help="what would be extracted from documents")
    units.add_argument("files", nargs="+", type=Path)
    units.add_argument("--lang", default="en", help="source language (default en)")
    units.add_argument(
        "--policy",
        action="append",
        default=[],
        type=_policy_option,
        metavar="KEY=VALUE",
        help="set an extraction policy field (repeatable)",
    )
    output = units.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the preview as JSON")
    output.add_argument("--each", action="store_true", help="print one line per unit")
    pseudo = commands.add_parser("pseudo", help="write a pseudo-translation")
    pseudo.add_argument("file", type=Path)
    pseudo.add_argument("-o", "--output", type=Path, required=True)
    pseudo.add_argument("--to", default="de", help="target language (default de)")
    pseudo.add_argument("--timings", action="store_true", help="print time per stage")
    both = commands.add_parser("compare", help="structural fidelity of B against A")
    both.add_argument("source", type=Path)
    both.add_argument("target", type=Path)
    check = commands.add_parser("check", help="round-trip checks on documents")
    check.add_argument("files", nargs="+", type=Path)
    return parser


def _policy_option(text: str) -> tuple[str, str]:
    key, equals, value = text.partition("=")
    if not equals or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, not {text!r}")
    return key.strip(), value


def _policy(options: list[tuple[str, str]]) -> Policy:
    given: dict[str, str] = {}
    for key, value in options:
        if key in given:
            raise PolicyError(f"Policy option {key!r} is given twice.")
        given[key] = value
    return policy_from_options(given)


def _units(args: argparse.Namespace) -> int:
    policy = _policy(args.policy)
    previews = []
    for path in args.files:
        units = open_document(path, source_lang=args.lang, policy=policy).units()
        if args.each:
            for unit in units:
                flag = "T" if unit.translatable else "-"
                print(f"{unit.id}\t{unit.kind.value}\t{flag}\t{unit.source}")
            continue
        previews.append(preview(path.name, policy, units))
        if not args.json:
            print(path.name, *previews[-1].table(), sep="\n")
    if args.json:
        print(json.dumps([p.as_json() for p in previews], ensure_ascii=False, indent=2))
    return 0


def _pseudo(source: Path, output: Path, lang: str, timings: bool) -> int:
    with stages.record() as recording:
        document = open_document(source)
        with stages.stage("pseudo-translate"):
            targets = pseudo_targets(document.units())
        output.write_bytes(document.apply(targets, lang))
    print(f"wrote {output}")
    if timings:
        print(f"stages: {stages.describe(recording)}")
    return 0


def _compare(source: Path, target: Path) -> int:
    report = compare(source.read_bytes(), target.read_bytes())
    for difference in report.differences:
        print(difference)
    print(report.summary())
    return 0 if report.clean else 1


def _check(files: list[Path]) -> int:
    results = []
    for path in files:
        result = check_file(path)
        results.append(result)
        print(result.line(), flush=True)
    print(summary_line(results))
    perfect = all(r.identity_exact and r.no_source_left and r.compare_clean for r in results)
    return 0 if perfect else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "units":
            return _units(args)
        if args.command == "pseudo":
            return _pseudo(args.file, args.output, args.to, args.timings)
        if args.command == "compare":
            return _compare(args.source, args.target)
        return _check(args.files)
    except (DocxError, PolicyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
