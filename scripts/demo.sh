#!/usr/bin/env bash
# The main job on a fresh machine: install Iris, translate the sample report on the
# embedded default (SQLite, in-process, local storage; no services needed) into Spanish
# with Apertium, real offline machine translation, when it can be installed (as root,
# through apt-get); otherwise pseudo-translate it into French, saying so in one line.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
mkdir -p var/demo
pair=/usr/share/apertium/modes/eng-spa.mode
if [ ! -e "$pair" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends apertium apertium-eng-spa; } \
    >/dev/null 2>&1 || true
fi
if command -v apertium >/dev/null 2>&1 && [ -e "$pair" ]; then
  .venv/bin/iris translate samples/report.docx --to es --engine apertium -o var/demo/report.es.docx
else
  echo "demo: Apertium is not installed (apt-get install apertium apertium-eng-spa); pseudo-translating into French instead"
  .venv/bin/iris translate samples/report.docx --to fr -o var/demo/report.fr.docx
fi
