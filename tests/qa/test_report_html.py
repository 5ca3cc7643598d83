"""The QA report as an HTML page: a real job's report, opened in headless Chromium
(Debian's ``chromium``, installed by scripts/system-deps.sh), shows every finding with
its source and target, tags as badges, hostile text as text, right-to-left targets
marked for the browser to lay out."""

from __future__ import annotations

import io
import json
import shutil
import struct
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from iris.artifacts.models import ArtifactKind
from iris.artifacts.storage import read_artifact
from iris.docx.tags import plain_text
from iris.jobs.models import Job, JobState
from iris.qa.report import render_html
from tests.jobs.helpers import submit

WINDOW = (1280, 2000)
VOID = {"meta", "br", "img", "link", "input", "hr", "wbr"}


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str | None]
    #: the elements it is inside, outermost first
    within: list[Element]
    #: the element's text, tag badges' own text left out
    text: str = ""

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())


class RenderedPage(HTMLParser):
    """The elements of an HTML page, each with its text."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), list(self._open))
        self.elements.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self._open and self._open.pop().tag != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self._open and "tag" in self._open[-1].classes:
            self._open[-1].text += data
            return
        for element in self._open:
            element.text += data

    def by_class(self, name: str) -> list[Element]:
        return [element for element in self.elements if name in element.classes]

    def texts(self, name: str) -> list[str]:
        return [element.text for element in self.by_class(name)]

    def rows(self, table_class: str) -> list[list[str]]:
        """The cells' texts of the table of that class, row by row."""
        (table,) = self.by_class(table_class)
        rows = [e for e in self.elements if e.tag == "tr" and table in e.within]
        return [
            [e.text for e in self.elements if e.tag in {"th", "td"} and row in e.within]
            for row in rows
        ]


def require_chromium() -> str:
    """The path of ``chromium``, or fail the test saying how to install it."""
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail(
            "Chromium is not installed and this test needs it: "
            "apt-get install -y --no-install-recommends chromium (scripts/system-deps.sh)"
        )
    return chromium


def run_chromium(page: Path, profile: Path, *args: str) -> str:
    command = [require_chromium(), "--headless", "--no-sandbox", "--disable-gpu"]
    command += [f"--user-data-dir={profile}", "--window-size={},{}".format(*WINDOW)]
    done = subprocess.run(
        [*command, *args, page.as_uri()], capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout


def screenshot(page: Path, profile: Path) -> Path:
    png = page.with_suffix(".png")
    run_chromium(page, profile, f"--screenshot={png}")
    return png


def png_dimensions(png: Path) -> tuple[int, int]:
    data = png.read_bytes()
    assert (data[:8], data[12:16]) == (b"\x89PNG\r\n\x1a\n", b"IHDR"), "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def document_with_findings() -> bytes:
    """A document with a finding the pseudo engine really causes: it changes letters
    only, so a line of codes keeps most of its words and reads as left in English."""
    document = Document()
    document.core_properties.title = 'Release notes <b>"&"</b>'
    paragraph = document.add_paragraph("Codes <script>: ")
    paragraph.add_run("1001").bold = True
    paragraph.add_run(" 2002 3003 4004 5005 6006 7007 8008 9009 1010 1111 1212.")
    document.add_paragraph("Everything else reads well.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def job() -> Job:
    (job,) = submit(document_with_findings(), "fr")
    job.refresh_from_db()
    assert job.state == JobState.COMPLETED, job.error
    return job


def stored_report(job: Job) -> Any:
    return json.loads(read_artifact(job.artifacts.get(kind=ArtifactKind.QA_REPORT)))


@pytest.mark.django_db(transaction=True)
def test_the_json_report_carries_the_texts_and_counts(job: Job) -> None:
    report = stored_report(job)
    assert (report["source_lang"], report["target_lang"]) == ("en", "fr")
    assert (report["engine"], report["title"]) == ("pseudo", 'Release notes <b>"&"</b>')
    assert report["counts_by_check"] == {"language": {"warning": 1}}
    assert report["status_counts"]["warning"] == 1
    (entry,) = report["issues"]
    segment = job.segments.get(order=entry["order"])
    assert (entry["unit_id"], entry["source"], entry["target"]) == (
        segment.unit_id,
        segment.source,
        segment.target,
    )
    assert entry["source"].startswith("Codes &lt;script&gt;: <g1>1001</g1>")
    assert "<g1>1001</g1>" in entry["target"]


@pytest.mark.django_db(transaction=True)
def test_the_html_report_is_stored_with_the_json_one(job: Job) -> None:
    artifact = job.artifacts.get(kind=ArtifactKind.QA_REPORT_HTML)
    assert artifact.name == "qa-report.html"
    assert artifact.content_type.startswith("text/html")
    assert read_artifact(artifact).decode() == render_html(stored_report(job))


@pytest.mark.django_db(transaction=True)
def test_chromium_shows_every_finding(job: Job, tmp_path: Path) -> None:
    report = stored_report(job)
    page = tmp_path / "qa-report.html"
    page.write_bytes(read_artifact(job.artifacts.get(kind=ArtifactKind.QA_REPORT_HTML)))
    dom = RenderedPage(run_chromium(page, tmp_path / "profile", "--dump-dom"))

    (entry,) = report["issues"]
    assert dom.texts("check") == ["language"]
    assert dom.texts("tag") == ["g1", "/g1", "g1", "/g1"]  # the source's, then the target's
    assert dom.texts("source") == [plain_text(entry["source"])]
    assert dom.texts("target") == [plain_text(entry["target"])]
    assert dom.texts("source")[0].startswith("Codes <script>: 1001 2002")
    assert dom.rows("by-check") == [["check", "warning", "total"], ["language", "1", "1"]]
    assert not [e for e in dom.elements if e.tag in {"script", "b"}]  # hostile text stays text
    assert not [e for e in dom.elements if {"src", "href"} & e.attrs.keys()]  # self-contained
    assert 'Release notes <b>"&"</b>' in dom.by_class("meta")[0].text
    assert all(e.attrs.get("dir") == "auto" for e in dom.by_class("text"))


@pytest.mark.django_db(transaction=True)
def test_chromium_draws_the_page(job: Job, tmp_path: Path) -> None:
    page = tmp_path / "qa-report.html"
    page.write_bytes(read_artifact(job.artifacts.get(kind=ArtifactKind.QA_REPORT_HTML)))
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><title>blank</title>", encoding="utf-8")
    drawn, empty = screenshot(page, tmp_path / "profile"), screenshot(blank, tmp_path / "profile")
    assert png_dimensions(drawn) == WINDOW
    # No image library here: text, tables and badges compress far worse than a white page.
    assert drawn.stat().st_size > 4 * empty.stat().st_size, (drawn.stat(), empty.stat())


def crafted_report(source: str, target: str, **issue: str) -> dict[str, Any]:
    finding = {"check": "urls", "severity": "error", "message": "addresses changed", **issue}
    return {
        "job": "c0ffee",
        "source_lang": "en",
        "target_lang": "ar",
        "engine": "pseudo",
        "segments": 1,
        "status_counts": {"error": 1},
        "issues": [
            {"unit_id": "p1", "order": 0, "issues": [finding], "source": source, "target": target}
        ],
    }


def test_hostile_text_is_escaped_everywhere() -> None:
    report = crafted_report(
        "Run &lt;script&gt;alert(1)&lt;/script&gt;",
        "<g1>x</g1>",
        message="<img src=x onerror=alert(1)>",
        span="<script>alert(2)</script>",
    )
    report["title"] = "</title><script>alert(3)</script>"
    page = RenderedPage(render_html(report))
    assert {e.tag for e in page.elements}.isdisjoint({"script", "img"})
    assert page.texts("source") == ["Run <script>alert(1)</script>"]
    assert any("<img src=x onerror=alert(1)>" in text for text in page.texts("finding"))
    assert [e.text for e in page.elements if e.tag == "mark"] == ["<script>alert(2)</script>"]


def test_right_to_left_targets_take_their_direction_from_their_text() -> None:
    page = RenderedPage(
        render_html(crafted_report("<g1>Hello</g1> world", "<g1>مرحبا</g1> بالعالم"))
    )
    (target,) = page.by_class("target")
    assert (target.attrs["dir"], target.attrs["lang"]) == ("auto", "ar")
    assert target.text == "مرحبا بالعالم"
    # A badge with a direction of its own is skipped when the browser looks for the
    # first strong letter, so the Latin "g1" cannot make the cell left-to-right.
    assert [(e.text, e.attrs["dir"]) for e in page.by_class("tag")] == [
        ("g1", "ltr"),
        ("/g1", "ltr"),
        ("g1", "ltr"),
        ("/g1", "ltr"),
    ]


def test_a_target_with_unreadable_tags_is_shown_as_it_is() -> None:
    page = RenderedPage(render_html(crafted_report("<g1>Hi</g1>", "<g1>Salut</g2> & co")))
    (target,) = page.by_class("target")
    assert target.text == "<g1>Salut</g2> & co"
    assert not [badge for badge in page.by_class("tag") if target in badge.within]


def test_counts_by_check_and_severity_are_tabled() -> None:
    report = crafted_report("a", "b")
    report["issues"][0]["issues"].append({"check": "length", "severity": "warning", "message": "m"})
    assert RenderedPage(render_html(report)).rows("by-check") == [
        ["check", "error", "warning", "total"],
        ["length", "0", "1", "1"],
        ["urls", "1", "0", "1"],
    ]
