#!/usr/bin/env bash
# The main job on a fresh machine: install Iris, translate the sample report to French
# on the embedded default (SQLite, in-process, local storage; no services needed).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
mkdir -p var/demo
.venv/bin/iris translate samples/report.docx --to fr -o var/demo/report.fr.docx
