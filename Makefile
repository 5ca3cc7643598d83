.PHONY: test demo lint

# Runs everything CI runs: lint, types, tests in the embedded and services configurations.
test:
	bash scripts/test.sh

lint:
	.venv/bin/ruff check iris tests bench && .venv/bin/ruff format --check iris tests bench && .venv/bin/mypy iris tests bench
