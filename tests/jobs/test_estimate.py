"""Cost: the price table, what a batch costs, and ``iris translate --estimate``."""

from __future__ import annotations

import json
import re

import pytest

from iris.docx import open_document
from iris.jobs.progress import job_report
from tests.documents import build_document
from tests.jobs.helpers import submit
from tests.jobs.test_cli import SAMPLE, iris


def sample_sources() -> list[str]:
    units = open_document(SAMPLE.read_bytes(), source_lang="en").units()
    return list(dict.fromkeys(u.source for u in units if u.translatable))


def test_the_estimate_counts_each_distinct_sentence_once_and_prices_it(tmp_path) -> None:
    sources = sample_sources()
    characters = sum(len(s) for s in sources)
    done = iris(
        tmp_path, "translate", str(SAMPLE), "--to", "de", "--to", "fr", "--engine", "deepl",
        "--from", "en", "--estimate",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    cost = characters * 25 / 1_000_000  # DeepL's published rate, the default
    for target, line in zip(("de", "fr"), lines, strict=True):
        assert line == (
            f"{target}: {len(sources)} segments, {characters:,} characters, 0 tokens "
            f"(0 sent, 0 received), 1 request, cost ${cost:,.4f} (deepl)"
        )
    assert not any(p.is_file() for p in (tmp_path / "var" / "artifacts").rglob("*"))


def test_an_llm_estimate_counts_tokens_and_requests_with_the_models_prices(tmp_path) -> None:
    prices = {"openai:small": {"input_tokens": 1_000_000, "output_tokens": 2_000_000}}
    done = iris(
        tmp_path, "translate", str(SAMPLE), "--to", "de", "--engine", "openai", "--from", "en",
        "--estimate", IRIS_OPENAI_MODEL="small", IRIS_PRICES=json.dumps(prices),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip()
    found = re.search(r"\(([\d,]+) sent, ([\d,]+) received\), 1 request,", line)
    assert found, line
    sent, received = (int(n.replace(",", "")) for n in found.groups())
    assert sent > sum(len(s.split()) for s in sample_sources())  # sources and instructions
    assert received > 0
    assert f"cost ${sent + 2 * received:,.4f} (openai)" in line


def test_a_malformed_price_table_is_one_line_naming_the_setting(tmp_path) -> None:
    done = iris(
        tmp_path, "translate", str(SAMPLE), "--to", "de", "--estimate",
        IRIS_PRICES='{"deepl": {"pages": 3}}',
    )  # fmt: skip
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stderr.strip().startswith("iris: configuration error: IRIS_PRICES: 'deepl'")


@pytest.mark.django_db(transaction=True)
def test_each_batch_records_its_cost_from_the_price_table(settings) -> None:
    settings.IRIS_PRICES = {"pseudo": {"characters": 1_000_000}}  # a dollar a character
    (job,) = submit(build_document(), "fr")
    usage = job_report(job.pk).usage
    assert usage["characters"] > 0
    assert usage["cost"] == pytest.approx(usage["characters"])


def test_the_summary_says_engine_usage_and_cost(tmp_path) -> None:
    source = tmp_path / "report.docx"
    source.write_bytes(SAMPLE.read_bytes())
    done = iris(tmp_path, "translate", str(source), "--to", "fr", "--from", "en", "-q")
    assert done.returncode == 0, done.stderr
    characters = sum(len(s) for s in sample_sources())
    assert f"  engine pseudo: {characters:,} characters, 0 tokens, cost $0.0000" in done.stdout
