"""The console in a real browser (headless Chromium) against the real web process
(gunicorn) and a real worker: sign in, upload, watch progress, review, deliver, download;
what each role sees. Screenshots of the main pages go to docs/screenshots/."""

from __future__ import annotations

import re
import zipfile
from typing import Any

import pytest

from iris.governance.actions import SYSTEM_ACTOR
from iris.governance.models import Role
from iris.governance.users import create_user
from iris.jobs.models import Job, JobState
from tests.api.uploads import REPORT
from tests.console.browser import screenshot, sign_in

pytestmark = [pytest.mark.services, pytest.mark.browser]
PASSWORD = "correct horse battery staple"
SLOW = 120_000  # ms: a step of the pipeline on a busy test machine
EDIT = " (revu)"


def _users(*roles: Role) -> None:
    for role in roles or (Role.MANAGER, Role.REVIEWER, Role.VIEWER):
        user = create_user(role.value, role, ["alpha"], SYSTEM_ACTOR)
        user.set_password(PASSWORD)
        user.save()


def _job_waiting_for_review(
    browser: Any, server_url: str, worker_factory: Any, *more: Role
) -> tuple[Any, int]:
    """Users of every role asked for, a worker, and a job the manager uploaded in the
    browser, followed until it waits in review; the manager's page and the job id."""
    from playwright.sync_api import expect

    _users(Role.MANAGER, Role.REVIEWER, Role.VIEWER, *more)
    worker_factory()
    manager = sign_in(browser, server_url, "manager", PASSWORD)
    job_id = _upload_for_review(manager)
    expect(manager.locator("#job-state")).to_have_text("in_review", timeout=SLOW)
    return manager, job_id


def _upload_for_review(page: Any) -> int:
    from playwright.sync_api import expect

    page.get_by_role("link", name="Upload").click()
    page.set_input_files("input[type=file]", str(REPORT))
    page.get_by_label("Source language").fill("en")
    page.get_by_label("Target languages").fill("fr")
    page.get_by_label("Engine", exact=True).fill("pseudo")
    page.get_by_label("Stop for review before delivery").check()
    expect(page.locator("#estimate")).to_contain_text("translatable segments", timeout=SLOW)
    screenshot(page, "upload")
    page.get_by_role("button", name="Start translation").click()
    page.wait_for_url(re.compile(r"/console/jobs/\d+/$"))
    job_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    return job_id


def test_a_manager_uploads_watches_delivers_and_downloads(
    browser: Any, live_web_server: Any, worker_factory: Any
) -> None:
    from playwright.sync_api import expect

    manager, job_id = _job_waiting_for_review(browser, live_web_server.url, worker_factory)
    expect(manager.locator("[data-control=cancel]")).to_be_visible()
    screenshot(manager, "job-in-review")

    reviewer = sign_in(browser, live_web_server.url, "reviewer", PASSWORD)
    reviewer.goto(f"{live_web_server.url}/console/jobs/{job_id}/")
    expect(reviewer.locator("#job-state")).to_have_text("in_review")
    expect(reviewer.locator("[data-control]")).to_have_count(0)
    _review_first_segment_with_the_keyboard(reviewer)
    _a_viewer_cannot_save(browser, live_web_server.url, job_id)

    manager.get_by_label("Reason").fill("browser test")
    manager.get_by_role("button", name="Deliver now").click()
    expect(manager.locator("#job-state")).to_have_text("completed", timeout=SLOW)
    screenshot(manager, "job-completed")
    with manager.expect_download() as download:
        manager.get_by_role("link", name="report.fr.docx").click()
    delivered = download.value.path()
    assert zipfile.is_zipfile(delivered)
    with zipfile.ZipFile(delivered) as package:
        assert EDIT.strip().encode() in package.read("word/document.xml")
    assert Job.objects.get(pk=job_id).state == JobState.COMPLETED

    manager.goto(f"{live_web_server.url}/console/")
    expect(manager.locator(f"tr[data-job='{job_id}']")).to_contain_text("completed")
    screenshot(manager, "jobs")


def _review_first_segment_with_the_keyboard(page: Any) -> None:
    """Open the editor from the job page, type at the end of the first target and
    confirm with Ctrl+Enter: the segment is saved as reviewed and the next gets focus."""
    from playwright.sync_api import expect

    page.get_by_role("link", name="Review segments").click()
    first = page.locator("article.seg").first
    editable = first.locator(".editable")
    expect(editable).to_be_visible()
    screenshot(page, "review-editor")
    editable.click()
    page.keyboard.press("End")
    page.keyboard.type(EDIT)
    page.keyboard.press("Control+Enter")
    first = page.locator(f"#{first.get_attribute('id')}")
    expect(first.locator("[data-review-state]")).to_have_attribute(
        "data-review-state", "reviewed", timeout=SLOW
    )
    expect(first.locator(".editable")).to_contain_text(EDIT.strip())
    second = page.locator("article.seg").nth(1).locator(".editable")
    expect(second).to_be_focused()


def _a_viewer_cannot_save(browser: Any, server_url: str, job_id: int) -> None:
    """A viewer sees the segments but nothing to edit, and a save forged from their
    session (with its CSRF token) is refused."""
    from playwright.sync_api import expect

    viewer = sign_in(browser, server_url, "viewer", PASSWORD)
    viewer.goto(f"{server_url}/console/jobs/{job_id}/review/")
    expect(viewer.locator("article.seg").first).to_be_visible()
    expect(viewer.locator(".editable, button[data-confirm], textarea")).to_have_count(0)
    order = viewer.locator("article.seg").first.get_attribute("data-order")
    token = next(c["value"] for c in viewer.context.cookies() if c["name"] == "csrftoken")
    forged = viewer.request.post(
        f"{server_url}/console/jobs/{job_id}/review/segments/{order}/save",
        form={"target": "forged", "csrfmiddlewaretoken": token},
        headers={"X-CSRFToken": token, "Referer": f"{server_url}/console/"},
    )
    assert forged.status == 403
    assert not Job.objects.get(pk=job_id).segments.filter(target="forged").exists()


def test_the_jobs_list_filters_without_reloading(
    browser: Any, live_web_server: Any, worker_factory: Any
) -> None:
    from playwright.sync_api import expect

    manager, job_id = _job_waiting_for_review(browser, live_web_server.url, worker_factory)
    manager.goto(f"{live_web_server.url}/console/")
    manager.evaluate("window.__kept = true")  # gone if the page reloads
    manager.get_by_label("State").select_option("failed")
    expect(manager.locator("#job-rows")).to_contain_text("No jobs match")
    manager.get_by_label("State").select_option("in_review")
    expect(manager.locator(f"tr[data-job='{job_id}']")).to_be_visible()
    assert manager.evaluate("window.__kept") is True
    manager.set_viewport_size({"width": 420, "height": 800})  # a narrow window
    expect(manager.locator(f"tr[data-job='{job_id}']")).to_be_visible()


#: axe-core impacts that fail the test (minor and moderate findings are reported only)
BLOCKING = {"serious", "critical"}


def _axe_problems(page: Any, name: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in BLOCKING:
            nodes = ", ".join(n["target"][0] for n in violation["nodes"][:3])
            found.append(f"{name}: {violation['id']} ({violation['impact']}) at {nodes}")
    return found


def test_the_main_pages_pass_axe_at_desk_and_narrow_widths(
    browser: Any, live_web_server: Any, worker_factory: Any
) -> None:
    """axe-core (WCAG 2 A/AA rules: labels, contrast, landmarks, names of controls) on
    every main page, at 1280 px and at 420 px: no serious or critical finding."""

    _, job_id = _job_waiting_for_review(browser, live_web_server.url, worker_factory, Role.ADMIN)
    page = sign_in(browser, live_web_server.url, "admin", PASSWORD)
    paths = {
        "jobs": "/console/",
        "job": f"/console/jobs/{job_id}/",
        "upload": "/console/upload/",
        "review-editor": f"/console/jobs/{job_id}/review/",
        "memory": "/console/memory/",
        "glossary": "/console/glossary/",
        "audit": "/console/audit/",
        "users": "/console/users/",
    }
    problems = []
    for width in (1280, 420):
        page.set_viewport_size({"width": width, "height": 860})
        for name, path in paths.items():
            page.goto(live_web_server.url + path)
            problems += _axe_problems(page, f"{name} at {width} px")
            if width == 1280 and name in ("memory", "audit"):
                screenshot(page, name)
    page.context.clear_cookies()
    page.goto(live_web_server.url + "/console/login/")
    problems += _axe_problems(page, "login")
    assert problems == []
