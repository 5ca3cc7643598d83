"""The API answers as its OpenAPI schema says: schemathesis, run as a client would run
it, against the production web server with an admin's token and a completed job in
the database (so detail, segment and artifact endpoints answer with data)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from iris.governance.actions import SYSTEM_ACTOR
from iris.governance.models import Role
from iris.governance.tokens import create_token
from iris.governance.users import create_user
from tests.live_server import http, upload_report
from tests.support import wait_for

pytestmark = pytest.mark.services

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)
#: test cases per operation and phase: the run stays well under two minutes
EXAMPLES = 40
#: a fixed seed: every run generates the same cases, so a failure found once stays found
SEED = 7


def _completed(server_url: str, token: str, job_id: int) -> bool:
    state = http("GET", f"{server_url}/api/v1/jobs/{job_id}/", token=token).json()["state"]
    assert state not in {"failed", "cancelled", "rejected"}, state
    return bool(state == "completed")


def fixture_job_config(job_id: int) -> str:
    """schemathesis.toml: half the ids of job operations are the fixture job's, so its
    detail, segments, artifacts and control answer with data, the other half fuzzed."""
    return (
        "[dictionaries.fixture-job]\n"
        f'values = ["{job_id}"]\n\n'  # the schema types ids as strings
        "[[operations]]\n"
        'include-path-regex = "^/api/v1/jobs/[{]id[}]/"\n'
        'parameters = { "path.id" = { dictionary = "fixture-job", probability = 0.5 } }\n'
    )


def schemathesis_command(schema_url: str, token: str, config: Path, report: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(config),
        "run",
        schema_url,
        "--checks",
        ",".join(CHECKS),
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        str(SEED),
        "--header",
        f"Authorization: Bearer {token}",
        "--continue-on-failure",  # every failure of an operation, not only its first
        "--request-timeout",
        "30",
        "--generation-database",
        "none",  # nothing written into the checkout
        "--report",
        "junit",
        "--report-dir",
        str(report),
        "--no-color",
    ]


def test_every_operation_answers_as_the_schema_says(
    worker_factory, live_web_server_factory, tmp_path
) -> None:
    worker_factory()
    # The fuzzer sends hundreds of requests a minute: the throttle is not under test.
    server = live_web_server_factory(IRIS_API_THROTTLE="100000/minute")
    admin = create_user("fuzz-admin", Role.ADMIN, ["alpha"], SYSTEM_ACTOR)
    token = create_token(admin, "schemathesis", SYSTEM_ACTOR).secret
    job_id = int(upload_report(server.url, token)["id"])
    wait_for(lambda: _completed(server.url, token, job_id), 120, f"job {job_id} completed")

    config = tmp_path / "schemathesis.toml"
    config.write_text(fixture_job_config(job_id))
    schema = f"{server.url}/api/v1/schema"
    command = schemathesis_command(schema, token, config, tmp_path / "report")
    run = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=240, check=False
    )

    assert run.returncode == 0, f"schemathesis failed:\n{run.stdout}\n{run.stderr}"
