"""``iris translate``: the main job, as a user runs it (a real subprocess)."""

from __future__ import annotations

import io
import json
import re
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from iris.docx import open_document
from tests.documents import build_document, build_large_document
from tests.support import ROOT, iris_env

SAMPLE = ROOT / "samples" / "report.docx"


def iris(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = iris_env(env, tmp_path / "var")
    environment.pop("IRIS_SECRET_KEY")  # the command needs no configuration at all
    return subprocess.run(
        [sys.executable, "-m", "iris.cli", *args],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_translates_the_sample_with_no_configuration(tmp_path) -> None:
    source = tmp_path / "report.docx"
    source.write_bytes(SAMPLE.read_bytes())
    done = iris(tmp_path, "translate", str(source), "--to", "fr", "--from", "en")
    assert done.returncode == 0, done.stderr
    output = tmp_path / "report.fr.docx"
    assert zipfile.is_zipfile(output)
    assert f"written to {output}" in done.stdout
    assert "fidelity clean" in done.stdout
    assert "report.docx en -> fr: completed" in done.stdout
    assert "translate" in done.stderr  # the progress bars
    before = [u.plain for u in open_document(source.read_bytes()).units() if u.translatable]
    after = "\n".join(u.plain for u in open_document(output.read_bytes()).units())
    assert before
    assert not [sentence for sentence in before if sentence in after]


def test_the_reports_the_summary_counts_are_written_by_iris_report(tmp_path) -> None:
    """The summary names the job, and `iris report` hands over what it counts: the QA
    report (HTML by default, or JSON), the fidelity report and the memory analysis."""
    source = tmp_path / "report.docx"
    source.write_bytes(SAMPLE.read_bytes())
    done = iris(tmp_path, "translate", str(source), "--to", "fr", "--from", "en", "-q")
    assert done.returncode == 0, done.stderr
    job = re.search(r"report.docx en -> fr: completed \(job (\d+)\)", done.stdout)
    assert job, done.stdout
    number = job.group(1)

    html = iris(tmp_path, "report", number)
    assert html.returncode == 0, html.stderr
    assert html.stdout.strip() == f"{number}: qa report written to qa-report.html"
    assert (tmp_path / "qa-report.html").read_text().lstrip().lower().startswith("<!doctype html")

    fidelity = iris(tmp_path, "report", number, "fidelity", "-o", "-")
    assert fidelity.returncode == 0, fidelity.stderr
    assert json.loads(fidelity.stdout)["clean"] is True

    qa = iris(tmp_path, "report", number, "qa-json", "-o", "qa.json")
    assert qa.returncode == 0, qa.stderr
    assert json.loads((tmp_path / "qa.json").read_text())["segments"] > 0
    analysis = iris(tmp_path, "report", number, "analysis", "-o", "analysis.json")
    assert analysis.returncode == 0, analysis.stderr

    missing = iris(tmp_path, "report", "999")
    assert (missing.returncode, missing.stderr.strip()) == (2, "iris: no such job: 999")


def test_several_targets_into_a_folder(tmp_path) -> None:
    source = tmp_path / "in.docx"
    source.write_bytes(build_document())
    done = iris(tmp_path, "translate", str(source), "--to", "de", "--to", "ar", "-o", "out", "-q")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "in.de.docx").is_file()
    assert (tmp_path / "out" / "in.ar.docx").is_file()
    assert done.stdout.count("completed") == 2


def test_source_language_is_detected(tmp_path) -> None:
    source = tmp_path / "in.docx"
    source.write_bytes(build_document())
    done = iris(tmp_path, "translate", str(source), "--to", "fr", "-q")
    assert done.returncode == 0, done.stderr
    assert "in.docx en -> fr: completed" in done.stdout


def test_a_template_is_delivered_as_a_template(tmp_path) -> None:
    """A .dotx keeps its template content type through translation; under a .docx name
    Word would not open it."""
    document = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    template = document.replace(".document.main", ".template.main")
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(build_document())) as source,
        zipfile.ZipFile(buffer, "w") as out,
    ):
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(document.encode(), template.encode())
            out.writestr(item, data)
    (tmp_path / "letter.dotx").write_bytes(buffer.getvalue())
    done = iris(tmp_path, "translate", "letter.dotx", "--to", "fr", "--from", "en", "-q")
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(tmp_path / "letter.fr.dotx") as delivered:
        assert template.encode() in delivered.read("[Content_Types].xml")
    assert not (tmp_path / "letter.fr.docx").exists()


def test_a_document_already_in_the_target_language_is_not_translated(tmp_path) -> None:
    source = tmp_path / "in.docx"
    source.write_bytes(build_document())
    done = iris(tmp_path, "translate", str(source), "--to", "en-GB", "-q")
    assert done.returncode != 0
    assert "the document is in en, the language it was to be translated into" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "in.en-GB.docx").exists()
    # A retry detects and checks again: it never translates English into English.
    again = iris(tmp_path, "retry", "1")
    assert again.returncode != 0, again.stdout
    assert "the document is in en, the language it was to be translated into" in again.stdout
    assert not (tmp_path / "in.en-GB.docx").exists()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["missing.docx", "--to", "fr"], 2, "no such file: missing.docx"),
        (["/dev/null", "--to", "fr"], 2, "/dev/null is not a regular file"),
        (["notes.txt", "--to", "fr"], 3, "cannot be translated"),
        (["in.docx", "--to", "xx"], 2, "'xx' is not a known language tag"),
        (["in.docx", "--to", "fr", "--engine", "babel"], 2, "unknown engine 'babel'"),
        (
            ["in.docx", "--to", "fr", "--engine-option", "dealy_ms=5"],
            2,
            "the pseudo engine has no option 'dealy_ms' (its options: delay_ms)",
        ),
        (["in.docx", "--to", "en", "--from", "en"], 2, "is the source language"),
        (["big.docx", "--to", "fr"], 3, "larger than 1 MiB (IRIS_MAX_UPLOAD_MB)"),
    ],
)
def test_clear_errors_and_exit_codes(tmp_path, args, code, message) -> None:
    (tmp_path / "notes.txt").write_text("not a document")
    (tmp_path / "in.docx").write_bytes(build_document())
    # over the limit: refused for its size before anything else is looked at
    (tmp_path / "big.docx").write_bytes(build_document() + bytes(2**20))
    done = iris(tmp_path, "translate", *args, IRIS_MAX_UPLOAD_MB="1")
    assert done.returncode == code, (done.stdout, done.stderr)
    assert message in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("IRIS_DATABASE_URL", "garbage", "IRIS_DATABASE_URL: 'garbage' is not a URL"),
        ("IRIS_DATABASE_URL", "postgres://me:s3cret@db:x/iris", "postgres://me:***@db:x/iris"),
        ("IRIS_STORAGE_BACKEND", "ftp", "IRIS_STORAGE_BACKEND: 'ftp' is not one of local, s3"),
        ("IRIS_ASYNC", "maybe", "IRIS_ASYNC: expected a boolean"),
        ("IRIS_MAX_UPLOAD_MB", "abc", "IRIS_MAX_UPLOAD_MB: 'abc' is not a whole number"),
        ("IRIS_DB_POOL_SIZE", "x", "IRIS_DB_POOL_SIZE: 'x' is not a whole number"),
        ("IRIS_BATCH_SEGMENTS", "-1", "IRIS_BATCH_SEGMENTS: -1 is out of range"),
        ("IRIS_BATCH_CHARACTERS", "-5", "IRIS_BATCH_CHARACTERS: -5 is out of range"),
        ("IRIS_BATCH_WINDOW", "0", "IRIS_BATCH_WINDOW: 0 is out of range"),
        ("IRIS_HEALTH_TIMEOUT", "-1", "IRIS_HEALTH_TIMEOUT: -1 is out of range"),
        ("IRIS_ENGINE_CONCURRENCY", "0", "IRIS_ENGINE_CONCURRENCY: 0 is out of range"),
        ("IRIS_API_THROTTLE", "0/minute", "IRIS_API_THROTTLE: '0/minute' is not a rate"),
        (
            "IRIS_DOWNLOAD_LINK_SECONDS",
            "999999999",
            "999,999,999 is out of range; allowed: a whole number from 60 to 2,592,000",
        ),
        ("IRIS_ENGINE_RATE_LIMITS", "{openai: 5", "IRIS_ENGINE_RATE_LIMITS: expected JSON"),
        ("IRIS_ENGINE_RATE_LIMITS", '{"openai": -1}', "requests a second (0 or more)"),
        ("IRIS_DEFAULT_BUDGET", "lots", "IRIS_DEFAULT_BUDGET: 'lots' is not a number"),
        ("IRIS_ASYNC", "true", "iris.E001: IRIS_ASYNC is true but IRIS_BROKER_URL is empty"),
        ("IRIS_ENGINES", "iris.nope.Engine", "iris.E008: IRIS_ENGINES: cannot load 'iris.nope"),
        ("IRIS_ENGINES", "iris.engines.base.Usage", "is not a named Engine subclass"),
        ("IRIS_VAR_DIR", "/dev/null/var", "IRIS_VAR_DIR: /dev/null is not a folder"),
        # A virtual file system: no folder can be made there, whoever runs this.
        ("IRIS_VAR_DIR", "/proc/iris-var", "IRIS_VAR_DIR: the folder /proc/iris-var cannot be"),
        ("IRIS_LOG_DIR", "/proc/iris-logs", "IRIS_LOG_DIR: the folder /proc/iris-logs cannot be"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it(tmp_path, variable, value, message) -> None:
    (tmp_path / "in.docx").write_bytes(build_document())
    done = iris(tmp_path, "translate", "in.docx", "--to", "fr", **{variable: value})
    assert done.returncode == 2, (done.stdout, done.stderr)
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("iris: configuration error: ")
    assert message in done.stderr
    assert "s3cret" not in done.stderr
    assert not (tmp_path / "in.fr.docx").exists()


def test_manage_py_reports_a_bad_setting_in_one_line(tmp_path) -> None:
    environment = iris_env({"IRIS_BATCH_WINDOW": "0"}, tmp_path / "var")
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "configuration error: IRIS_BATCH_WINDOW: 0 is out of range; allowed: a whole number "
        "from 1 up"
    )


def test_the_source_is_never_overwritten_and_outputs_are_checked_first(tmp_path) -> None:
    source = tmp_path / "in.docx"
    original = build_document()
    source.write_bytes(original)
    same = iris(tmp_path, "translate", "in.docx", "--to", "fr", "-o", str(source))
    assert same.returncode == 2
    assert "is the source document; it is never overwritten" in same.stderr
    assert source.read_bytes() == original
    under_a_file = iris(tmp_path, "translate", "in.docx", "--to", "fr", "-o", "in.docx/out.docx")
    assert under_a_file.returncode == 2
    assert "cannot write in.docx/out.docx: in.docx is not a folder" in under_a_file.stderr
    # Nothing was stored for either: no database was even created.
    assert not (tmp_path / "var" / "iris.sqlite3").exists()


def test_status_and_control_of_unknown_jobs(tmp_path) -> None:
    status = iris(tmp_path, "status", "41")
    assert status.returncode == 2
    assert "41: no such job" in status.stderr
    cancel = iris(tmp_path, "cancel", "41")
    assert cancel.returncode == 2
    assert "no such job: 41" in cancel.stderr


def _translating(
    tmp_path: Path, environment: dict[str, str], *args: str
) -> tuple[subprocess.Popen[str], str]:
    """``iris translate ARGS --to fr`` started, once its translation step has begun;
    with what it printed on stderr so far."""
    process = subprocess.Popen(
        [sys.executable, "-m", "iris.cli", "translate", *args, "--to", "fr"],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    seen = ""
    while "translate" not in seen:  # the translation step has begun
        chunk = process.stderr.read(1)
        assert chunk, f"the command ended first: {seen}"
        seen += chunk
    return process, seen


def test_ctrl_c_cancels_an_in_process_run(tmp_path) -> None:
    source = tmp_path / "big.docx"
    source.write_bytes(build_large_document(3000))
    environment = iris_env({"IRIS_BATCH_SEGMENTS": "50"}, tmp_path / "var")
    process, seen = _translating(tmp_path, environment, str(source))
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, (out, seen + err)
    assert "interrupted; cancelled job 1" in err
    assert "Traceback" not in seen + err
    status = iris(tmp_path, "status", "1")
    assert "cancelled" in status.stdout, status.stdout
    assert not (tmp_path / "big.fr.docx").exists()


@pytest.mark.parametrize(("command", "state"), [("cancel", "cancelled"), ("pause", "paused")])
def test_a_control_command_from_another_terminal_acts_while_the_run_goes_on(
    tmp_path, command, state
) -> None:
    """`iris pause|cancel JOB` beside the `iris translate` running the job changes its
    state at once; the running command obeys between batches. It used to wait for the
    running command's lock, i.e. until the job had completed, then say "requested"."""
    source = tmp_path / "big.docx"
    source.write_bytes(build_large_document(600))
    environment = iris_env({"IRIS_BATCH_SEGMENTS": "20"}, tmp_path / "var")
    slow = ("--engine", "pseudo", "--engine-option", "delay_ms=400", "--from", "en")
    process, _seen = _translating(tmp_path, environment, str(source), *slow)
    try:
        done = iris(tmp_path, command, "1")
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == f"1: {command} requested"
        # Acted on at once: the job is already stopped when the command answers (with
        # the lock waited for, it answered once the job had completed). Not "the run is
        # still alive": obeying the command, it may end a moment later.
        status = iris(tmp_path, "status", "1")
        assert f"1: big.docx en -> fr {state}" in status.stdout, status.stdout
    finally:
        out, err = process.communicate(timeout=120)
    assert f"big.docx en -> fr: {state} (job 1)" in out, (out, err)
    assert not (tmp_path / "big.fr.docx").exists()


@pytest.mark.parametrize(
    ("output", "several", "message"),
    [
        ("/dev/full", False, "cannot write /dev/full: it is not a regular file or a folder"),
        ("/sys/in.fr.docx", False, "cannot write /sys/in.fr.docx: "),
        ("x" * 300 + ".docx", False, "a name in it is too long for a file system"),
        ("taken.docx", True, "-o taken.docx must be a folder: there are several target"),
    ],
)
def test_an_output_that_cannot_be_written_is_refused_before_the_work(
    tmp_path, output, several, message
) -> None:
    """Tried, not guessed from permission bits (root may write anywhere by them)."""
    (tmp_path / "in.docx").write_bytes(build_document())
    (tmp_path / "taken.docx").write_bytes(b"mine")
    targets = ["--to", "fr", "--to", "de"] if several else ["--to", "fr"]
    done = iris(tmp_path, "translate", "in.docx", *targets, "--from", "en", "-o", output)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "taken.docx").read_bytes() == b"mine"
    status = iris(tmp_path, "status", "1")
    assert "no such job" in status.stderr  # nothing was submitted


def test_a_folder_given_as_the_document_is_named_so(tmp_path) -> None:
    done = iris(tmp_path, "translate", ".", "--to", "fr")
    assert done.returncode == 2
    assert "is a folder, not a document" in done.stderr


def test_a_delivery_is_written_whole_or_not_at_all(tmp_path) -> None:
    from iris.cli.display import _write_whole

    target = tmp_path / "out.docx"
    target.write_bytes(b"before")
    _write_whole(target, b"after")
    assert target.read_bytes() == b"after"
    (tmp_path / "taken").mkdir()  # the rename onto it fails after the data is written
    with pytest.raises(IsADirectoryError):
        _write_whole(tmp_path / "taken", b"after")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.docx", "taken"]


def test_retry_in_process_writes_the_document_or_says_it_failed_again(tmp_path) -> None:
    (tmp_path / "in.docx").write_bytes(build_document())
    marker = tmp_path / "fail-once"
    engines = "iris.engines.pseudo.PseudoEngine,tests.engines.FailOnceEngine"
    run = ["--to", "fr", "--from", "en", "--engine", "fail-once", "-q"]
    option = ["--engine-option", f"marker={marker}"]
    marker.touch()
    failed = iris(tmp_path, "translate", "in.docx", *run, *option, IRIS_ENGINES=engines)
    assert failed.returncode == 1, failed.stderr
    assert not (tmp_path / "in.fr.docx").exists()
    retried = iris(tmp_path, "retry", "1", IRIS_ENGINES=engines)
    assert retried.returncode == 0, retried.stderr
    assert f"written to {tmp_path / 'in.fr.docx'}" in retried.stdout
    assert zipfile.is_zipfile(tmp_path / "in.fr.docx")

    marker.touch()  # the second job fails, and so does its retry
    iris(tmp_path, "translate", "in.docx", *run, *option, "-o", "x.docx", IRIS_ENGINES=engines)
    marker.touch()
    again = iris(tmp_path, "retry", "2", "-o", "x.docx", IRIS_ENGINES=engines)
    assert again.returncode == 1, again.stdout
    assert "failed" in again.stdout
    assert "Traceback" not in again.stderr
    assert not (tmp_path / "x.docx").exists()


def test_a_run_killed_mid_job_is_continued_by_resume(tmp_path) -> None:
    """``kill -9`` (a closed terminal, the OOM killer) leaves the job translating with a
    batch claimed by a process that is gone: `iris status` says so, and `iris resume`
    carries it on to the end, while a run that is alive cannot be resumed under it."""
    source = tmp_path / "big.docx"
    source.write_bytes(build_large_document(600))
    environment = iris_env({"IRIS_BATCH_SEGMENTS": "40"}, tmp_path / "var")
    process, _seen = _translating(
        tmp_path, environment, str(source), "--engine-option", "delay_ms=150"
    )
    alive = iris(tmp_path, "resume", "1")
    assert alive.returncode != 0
    assert "cannot resume a job that is translating" in alive.stderr
    process.kill()
    process.wait(timeout=60)
    status = iris(tmp_path, "status", "1")
    assert "translating" in status.stdout, status.stdout
    assert "interrupted (its process ended): go on with `iris resume 1`" in status.stdout
    resumed = iris(tmp_path, "resume", "1", "-o", "out")
    assert resumed.returncode == 0, resumed.stderr
    assert "Traceback" not in resumed.stderr
    # Run to its end in this command, the job's document is written as translate would.
    assert "written to out" in resumed.stdout, resumed.stdout
    assert zipfile.is_zipfile(tmp_path / "out")
    status = iris(tmp_path, "status", "1")
    assert "completed" in status.stdout, status.stdout
    done, total = re.search(r"segments (\d+)/(\d+)", status.stdout).groups()  # type: ignore[union-attr]
    assert done == total


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_broker_that_cannot_be_reached_submits_nothing(tmp_path) -> None:
    (tmp_path / "in.docx").write_bytes(build_document())
    broker = f"redis://127.0.0.1:{_free_port()}/0"
    done = iris(
        tmp_path, "translate", "in.docx", "--to", "fr", IRIS_ASYNC="true", IRIS_BROKER_URL=broker
    )
    assert done.returncode == 1, done.stderr
    assert f"nothing was submitted: the broker at {broker} cannot be reached" in done.stderr
    assert "Connection refused" in done.stderr
    assert "Traceback" not in done.stderr
    listed = iris(tmp_path, "status", "1", IRIS_ASYNC="true", IRIS_BROKER_URL=broker)
    assert "1: no such job" in listed.stderr


#: A Redis database of its own: no worker of the other tests consumes it.
LONELY_BROKER = "redis://127.0.0.1:6379/11"


def test_in_process_the_timeout_never_leaves_the_work_behind(tmp_path) -> None:
    """--timeout stops following workers; in-process the command is the worker, so it
    waits for its jobs and writes their documents, however short the timeout."""
    (tmp_path / "in.docx").write_bytes(build_document())
    slow = ("--engine-option", "delay_ms=300")
    done = iris(tmp_path, "translate", "in.docx", "--to", "fr", "-q", "--timeout", "0.01", *slow)
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert (tmp_path / "in.fr.docx").is_file()


@pytest.mark.parametrize(
    "args",
    [
        ("translate", "in.docx", "--to", "fr", "--timeout", "-1"),
        ("translate", "in.docx", "--to", "fr", "--timeout", "0"),
        ("status", "99999999999999999999999"),
        ("resume", "0"),
        ("review", "status", "x"),
    ],
)
def test_arguments_out_of_range_are_usage_errors(tmp_path, args) -> None:
    (tmp_path / "in.docx").write_bytes(build_document())
    done = iris(tmp_path, *args)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "error: argument" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.services
def test_following_without_a_worker_says_why_and_gives_up_at_the_timeout(tmp_path) -> None:
    (tmp_path / "in.docx").write_bytes(build_document())
    async_env = {"IRIS_ASYNC": "true", "IRIS_BROKER_URL": LONELY_BROKER}
    args = ("translate", "in.docx", "--to", "fr", "-q", "--timeout", "2")
    done = iris(tmp_path, *args, **async_env)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "no progress for 2s: no worker is running" in done.stderr
    assert "the jobs go on: follow with `iris status 1`" in done.stderr
    assert "queued" in iris(tmp_path, "status", "1", **async_env).stdout


@pytest.mark.services
def test_ctrl_c_leaves_a_job_on_workers_running(tmp_path) -> None:
    (tmp_path / "in.docx").write_bytes(build_document())
    async_env = {"IRIS_ASYNC": "true", "IRIS_BROKER_URL": LONELY_BROKER}
    environment = iris_env(async_env, tmp_path / "var")
    process = subprocess.Popen(
        [sys.executable, "-m", "iris.cli", "translate", "in.docx", "--to", "fr"],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    status = ""
    deadline = time.monotonic() + 60
    while "queued" not in status and time.monotonic() < deadline:  # submitted
        status = iris(tmp_path, "status", "1", **async_env).stdout
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, (out, err)
    assert "interrupted; the jobs go on: follow with `iris status 1`" in err
    assert "Traceback" not in err
    assert "queued" in iris(tmp_path, "status", "1", **async_env).stdout
