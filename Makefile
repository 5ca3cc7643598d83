.PHONY: test demo lint bench

# The main job: install, then translate samples/report.docx to French (no services).
demo:
	bash scripts/demo.sh

# Runs everything CI runs: lint, types, tests in the embedded and services configurations.
test:
	bash scripts/test.sh

lint:
	.venv/bin/ruff check iris tests bench && .venv/bin/ruff format --check iris tests bench && .venv/bin/mypy iris tests bench

bench:
	.venv/bin/python bench/docx_roundtrip.py && .venv/bin/python bench/pipeline.py && .venv/bin/python bench/main_job.py
