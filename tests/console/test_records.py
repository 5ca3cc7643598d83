"""The console's records pages (memory, glossary, audit log, users and tokens) through
Django's test client with CSRF enforced: who sees each page and its buttons, each
action done through its service and audited with the session user and address, and
forged requests refused with nothing changed."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from iris.glossary.models import Glossary, GlossaryTerm
from iris.glossary.service import TermData, add_term
from iris.governance.actions import SYSTEM_ACTOR, Actor, record_audit
from iris.governance.models import ApiToken, AuditRecord, Profile, Role
from iris.governance.tokens import create_token, digest
from iris.governance.users import create_user
from iris.memory.models import TranslationUnit, UnitStatus
from iris.memory.service import delete_units
from iris.memory.store import NewUnit, memory
from tests.console.conftest import csrf_post

pytestmark = pytest.mark.django_db(transaction=True)

IP = "192.0.2.41"
PAGES = {
    "/console/memory/": {"admin", "manager", "reviewer", "viewer"},
    "/console/glossary/": {"admin", "manager", "reviewer", "viewer"},
    "/console/audit/": {"admin", "manager"},
    "/console/users/": {"admin", "manager", "reviewer", "viewer"},
}


def add_units(*pairs: tuple[str, str], status: str = UnitStatus.CANDIDATE) -> list[int]:
    units = [NewUnit(source, target, "en", "fr", status=status) for source, target in pairs]
    memory().add(units)
    return list(
        TranslationUnit.objects.filter(source__in=[s for s, _ in pairs]).values_list(
            "pk", flat=True
        )
    )


def audited(action: str, **fields: Any) -> AuditRecord:
    record = AuditRecord.objects.filter(action=action, **fields).order_by("-id").first()
    assert record is not None, f"no {action} record"
    return record


def status_of(pk: int) -> str:
    return TranslationUnit.objects.get(pk=pk).status


# --- who sees what --------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_each_page_shows_for_the_roles_that_may_see_it_and_is_403_for_others(clients, url):
    for role, client in clients.items():
        response = client.get(url)
        expected = 200 if role in PAGES[url] else 403
        assert response.status_code == expected, (role, url)
        if expected == 200:
            assert b'aria-current="page"' in response.content


def test_the_nav_links_to_the_pages_each_role_may_open(clients):
    viewer = clients["viewer"].get("/console/").content.decode()
    assert 'href="/console/memory/"' in viewer
    assert 'href="/console/glossary/"' in viewer
    assert ">API tokens</a>" in viewer
    assert 'href="/console/audit/"' not in viewer
    admin = clients["admin"].get("/console/audit/").content.decode()
    assert '<a href="/console/audit/" aria-current="page">Audit log</a>' in admin
    assert ">Users and tokens</a>" in admin


def test_anonymous_visitors_are_sent_to_sign_in(db):
    for url in PAGES:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/console/login/")


# --- memory ---------------------------------------------------------------------------


def test_memory_search_filters_by_text_language_and_status(clients):
    add_units(("The red house", "La maison rouge"), ("A blue car", "Une voiture bleue"))
    add_units(("Green tea", "Thé vert"), status=UnitStatus.PROMOTED)
    viewer = clients["viewer"]
    found = viewer.get("/console/memory/?q=voiture").content.decode()
    assert "Une voiture bleue" in found
    assert "La maison rouge" not in found
    promoted = viewer.get("/console/memory/?status=promoted&target_lang=fr").content.decode()
    assert "Thé vert" in promoted
    assert "The red house" not in promoted
    other_pair = viewer.get("/console/memory/?target_lang=de", HTTP_HX_REQUEST="true")
    assert b"<html" not in other_pair.content
    assert b"No units match this search" in other_pair.content


def test_memory_pages_by_key(clients):
    add_units(*((f"sentence {n}", f"phrase {n}") for n in range(60)))
    first = clients["viewer"].get("/console/memory/").content.decode()
    assert "phrase 0<" in first
    assert "Next page" in first
    last_shown = TranslationUnit.objects.order_by("pk")[49].pk
    second = clients["viewer"].get(f"/console/memory/?after={last_shown}").content.decode()
    assert "phrase 0<" not in second
    assert "phrase 59" in second
    assert "Next page" not in second


def test_promote_and_demote_go_through_the_service_and_are_audited(clients):
    ids = add_units(("One", "Un"), ("Two", "Deux"), ("Three", "Trois"))
    manager = clients["manager"]
    page = manager.get("/console/memory/").content.decode()
    assert 'data-change="promote"' in page
    done = csrf_post(
        manager,
        "/console/memory/status",
        {"change": "promote", "unit": ids[:2], "q": "o"},
        REMOTE_ADDR=IP,
    )
    assert done.status_code == 302
    assert done["Location"] == "/console/memory/?q=o"
    assert [status_of(pk) for pk in ids] == ["promoted", "promoted", "candidate"]
    record = audited("memory.promote", actor__username="manager")
    assert record.source_ip == IP
    assert sorted(record.after["ids"]) == sorted(ids[:2])
    # one unit, by its own button
    csrf_post(manager, "/console/memory/status", {"one": f"promote:{ids[2]}"})
    assert status_of(ids[2]) == UnitStatus.PROMOTED


def test_demoting_needs_a_reason(clients):
    (pk,) = add_units(("Hello", "Bonjour"), status=UnitStatus.PROMOTED)
    manager = clients["manager"]
    refused = csrf_post(manager, "/console/memory/status", {"one": f"demote:{pk}"}, follow=True)
    assert b"say why the units are demoted" in refused.content
    assert status_of(pk) == UnitStatus.PROMOTED
    assert not AuditRecord.objects.filter(action="memory.demote").exists()
    csrf_post(manager, "/console/memory/status", {"one": f"demote:{pk}", "reason": "wrong term"})
    assert status_of(pk) == UnitStatus.CANDIDATE
    assert audited("memory.demote").after["reason"] == "wrong term"


def test_memory_changes_are_refused_to_viewers_and_without_csrf(clients):
    (pk,) = add_units(("Hello", "Bonjour"))
    viewer = clients["viewer"].get("/console/memory/").content.decode()
    assert "Bonjour" in viewer
    assert "data-change=" not in viewer
    assert "/console/memory/import" not in viewer
    forged = csrf_post(clients["viewer"], "/console/memory/status", {"one": f"promote:{pk}"})
    assert forged.status_code == 403
    no_token = clients["manager"].post("/console/memory/status", {"one": f"promote:{pk}"})
    assert no_token.status_code == 403
    upload = SimpleUploadedFile("memory.csv", b"source,target\nHi,Salut\n")
    fields = {"file": upload, "source_lang": "en", "target_lang": "fr"}
    assert csrf_post(clients["reviewer"], "/console/memory/import", fields).status_code == 403
    assert clients["viewer"].get("/console/memory/export?format=tmx").status_code == 403
    assert status_of(pk) == UnitStatus.CANDIDATE
    assert TranslationUnit.objects.count() == 1
    assert not AuditRecord.objects.filter(action__startswith="memory.").exists()


def test_tmx_export_then_import_brings_the_units_back(clients):
    ids = add_units(("Good morning", "Bonjour"), ("Thank you", "Merci"))
    add_units(("See you", "À bientôt"), status=UnitStatus.PROMOTED)
    manager = clients["manager"]
    export = manager.get("/console/memory/export?format=tmx&source_lang=en&target_lang=fr")
    assert export.status_code == 200
    assert export["Content-Disposition"].startswith('attachment; filename="memory-en.tmx"')
    tmx = b"".join(export.streaming_content)
    assert b"<tmx" in tmx
    assert "À bientôt".encode() in tmx
    delete_units(TranslationUnit.objects.values_list("pk", flat=True), SYSTEM_ACTOR)
    upload = SimpleUploadedFile("../../memory-en.tmx", tmx)
    fields = {"file": upload, "source_lang": "en", "target_lang": "fr"}
    done = csrf_post(manager, "/console/memory/import", fields, REMOTE_ADDR=IP, follow=True)
    assert b"imported 3 unit(s), 0 already in the memory" in done.content
    units = dict(TranslationUnit.objects.values_list("target", "status"))
    assert units == {"Bonjour": "candidate", "Merci": "candidate", "À bientôt": "promoted"}
    assert not TranslationUnit.objects.filter(pk__in=ids).exists()  # new rows, same content
    record = audited("memory.import", actor__username="manager")
    assert record.source_ip == IP
    assert record.after["file"] == "memory-en.tmx"  # the client's path is never used


def test_csv_export_of_a_search_and_a_bad_import_is_reported(clients):
    add_units(("Good morning", "Bonjour"), ("Thank you", "Merci"))
    manager = clients["manager"]
    export = manager.get("/console/memory/export?format=csv&q=Merci")
    text = b"".join(export.streaming_content).decode("utf-8")
    assert "Merci" in text
    assert "Bonjour" not in text
    bad = SimpleUploadedFile("broken.tmx", b"<tmx version='1.4'><body><tu>")
    fields = {"file": bad, "source_lang": "en", "target_lang": "fr"}
    done = csrf_post(manager, "/console/memory/import", fields, follow=True)
    assert b"nothing was imported" in done.content
    assert TranslationUnit.objects.count() == 2
    assert not AuditRecord.objects.filter(action="memory.import").exists()


# --- glossary -------------------------------------------------------------------------


def term_fields(**changes: Any) -> dict[str, Any]:
    return {
        "source_lang": "en",
        "target_lang": "fr",
        "source": "contract",
        "targets": "contrat | convention",
        "forbidden": "accord",
        "part_of_speech": "noun",
        "note": "legal sense",
    } | changes


def test_glossary_add_edit_delete_are_versioned_and_audited(clients):
    manager = clients["manager"]
    added = csrf_post(manager, "/console/glossary/terms/add", term_fields(), REMOTE_ADDR=IP)
    assert added.status_code == 302
    term = GlossaryTerm.objects.get(source="contract")
    assert term.targets == ["contrat", "convention"]
    assert term.forbidden == ["accord"]
    assert audited("glossary.term_added", actor__username="manager").source_ip == IP
    listing = manager.get(added["Location"]).content.decode()
    assert "contrat | convention" in listing
    assert f"/console/glossary/terms/{term.pk}/" in listing
    form = manager.get(f"/console/glossary/terms/{term.pk}/").content.decode()
    assert 'value="contrat | convention"' in form
    edit = term_fields(targets="contrat", forbidden="accord | pacte", case_sensitive="on")
    saved = csrf_post(manager, f"/console/glossary/terms/{term.pk}/", edit)
    assert saved.status_code == 302
    term.refresh_from_db()
    assert (term.targets, term.forbidden, term.case_sensitive) == (
        ["contrat"],
        ["accord", "pacte"],
        True,
    )
    assert audited("glossary.term_updated").before["forbidden"] == ["accord"]
    csrf_post(manager, f"/console/glossary/terms/{term.pk}/delete")
    assert not GlossaryTerm.objects.exists()
    assert audited("glossary.term_deleted").object_id == str(term.pk)
    assert Glossary.objects.get().version == 3


def test_a_term_the_glossary_refuses_is_reported_and_not_stored(clients):
    manager = clients["manager"]
    clash = term_fields(targets="accord", forbidden="accord")
    done = csrf_post(manager, "/console/glossary/terms/add", clash, follow=True)
    assert "is allowed and forbidden" in done.content.decode()
    assert not GlossaryTerm.objects.exists()
    wrong = csrf_post(manager, "/console/glossary/terms/add", term_fields(target_lang="zz-"))
    assert wrong.status_code == 302
    assert not GlossaryTerm.objects.exists()


def test_glossary_csv_import_then_export_in_csv_and_tbx(clients):
    manager = clients["manager"]
    data = (
        b"source,target,part_of_speech,case_sensitive,forbidden,do_not_translate,note\n"
        b"contract,contrat,noun,false,accord,false,legal\n"
        b"Acme Cloud,,,true,,true,product name\n"
    )  # the upload's bytes, as a browser sends them
    fields = {
        "file": SimpleUploadedFile("terms.csv", data),
        "source_lang": "en",
        "target_lang": "fr",
    }
    done = csrf_post(manager, "/console/glossary/import", fields, REMOTE_ADDR=IP, follow=True)
    assert b"terms.csv: 2 added, 0 updated, 0 unchanged, 0 removed" in done.content
    assert "Acme Cloud" in done.content.decode()
    assert audited("glossary.imported", actor__username="manager").source_ip == IP
    # export is reading: any role that sees the glossary may download it
    exported = clients["viewer"].get("/console/glossary/export?source_lang=en&target_lang=fr")
    rows = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert {row["source"]: row["forbidden"] for row in rows} == {
        "contract": "accord",
        "Acme Cloud": "",
    }
    tbx = clients["viewer"].get("/console/glossary/export?source_lang=en&target_lang=fr&format=tbx")
    assert b"<martif" in b"".join(tbx.streaming_content)
    missing = clients["viewer"].get("/console/glossary/export?source_lang=en&target_lang=de")
    assert missing.status_code == 404


def test_glossary_changes_are_refused_to_viewers(clients):
    term = add_term("en", "fr", TermData("invoice", ("facture",)), SYSTEM_ACTOR)
    page = clients["viewer"].get("/console/glossary/?source_lang=en&target_lang=fr").content
    assert b"facture" in page
    assert b"/delete" not in page
    assert b"/console/glossary/terms/add" not in page
    viewer = clients["viewer"]
    assert csrf_post(viewer, f"/console/glossary/terms/{term.pk}/delete").status_code == 403
    edit = term_fields(source="invoice", targets="note", forbidden="")
    assert csrf_post(viewer, f"/console/glossary/terms/{term.pk}/", edit).status_code == 403
    assert csrf_post(viewer, "/console/glossary/terms/add", term_fields()).status_code == 403
    assert clients["manager"].post(f"/console/glossary/terms/{term.pk}/delete").status_code == 403
    assert list(GlossaryTerm.objects.values_list("source", "targets")) == [("invoice", ["facture"])]
    assert Glossary.objects.get().version == 1


# --- audit log ------------------------------------------------------------------------


def test_audit_filters_by_actor_action_object_and_day(clients):
    someone = Actor(name="os:ops")
    record_audit(someone, "memory.promote", ("memory.units", "7"), after={"units": 1})
    record_audit(someone, "glossary.term_added", ("glossary.glossaryterm", "3"))
    record_audit(someone, "memory.import", ("memory.import", "old.tmx"))
    manager = clients["manager"]
    by_action = manager.get("/console/audit/?action=memory.promote").content.decode()
    assert "memory.units" in by_action
    assert "glossary.glossaryterm" not in by_action
    by_object = manager.get(
        "/console/audit/?object_type=glossary.glossaryterm&object_id=3", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in by_object
    assert "1 record," in by_object
    assert "glossary.term_added" in by_object
    by_actor = manager.get("/console/audit/?actor=os:ops").content.decode()
    assert "3 records" in by_actor
    tomorrow = (timezone.now() + timedelta(days=1)).date().isoformat()
    later = manager.get(f"/console/audit/?since={tomorrow}").content.decode()
    assert "No records match these filters" in later
    today = timezone.now().date().isoformat()
    until_today = manager.get(f"/console/audit/?actor=os:ops&until={today}").content.decode()
    assert "3 records" in until_today
    bad = manager.get("/console/audit/?since=yesterday").content.decode()
    assert "Enter a valid date" in bad


def test_audit_shows_before_and_after_readably(clients):
    record_audit(
        Actor(name="os:ops"),
        "user.role_changed",
        ("auth.user", "5"),
        before={"role": "viewer"},
        after={"role": "manager", "teams": ["alpha", "beta"]},
    )
    page = clients["admin"].get("/console/audit/?action=user.role_changed").content.decode()
    assert '<dt>role</dt><dd><span class="muted">viewer →</span> manager</dd>' in page
    assert "<dt>teams</dt><dd>[&quot;alpha&quot;, &quot;beta&quot;]</dd>" in page


def test_audit_csv_is_streamed_filtered_and_safe_for_spreadsheets(clients):
    hostile = Actor(name="=HYPERLINK(1)")
    record_audit(hostile, "-cmd", ("+sum", "@id"), after={"note": "=1+1"})
    record_audit(Actor(name="os:ops"), "memory.import", ("memory.import", "a.tmx"))
    response = clients["manager"].get("/console/audit/export.csv?actor=%3DHYPERLINK(1)")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="iris-audit-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["id", "created", "actor"]
    assert len(rows) == 2  # the header and the one record the filter finds
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["actor"] == "'=HYPERLINK(1)"
    assert row["action"] == "'-cmd"
    assert (row["object_type"], row["object_id"]) == ("'+sum", "'@id")
    assert row["after"] == '{"note": "=1+1"}'  # starts with {: left as it is
    assert clients["viewer"].get("/console/audit/export.csv").status_code == 403


# --- users ----------------------------------------------------------------------------


def test_an_admin_makes_a_user_changes_role_and_teams_and_deactivates(clients):
    admin = clients["admin"]
    fields = {"username": "dana", "email": "dana@example.org", "role": "viewer", "teams": "alpha"}
    made = csrf_post(admin, "/console/users/create", fields, REMOTE_ADDR=IP, follow=True)
    assert b"made dana (viewer)" in made.content
    profile = Profile.objects.get(user__username="dana")
    assert audited("user.created", actor__username="admin").source_ip == IP
    url = f"/console/users/{profile.user_id}"
    csrf_post(admin, f"{url}/change", {"role": "manager", "teams": "beta, gamma"})
    profile.refresh_from_db()
    assert profile.role == Role.MANAGER
    assert sorted(profile.teams.values_list("name", flat=True)) == ["beta", "gamma"]
    assert audited("user.role_changed").after == {"role": "manager"}
    assert audited("user.teams_changed").before == {"teams": ["alpha"]}
    create_token(profile.user, "ci", SYSTEM_ACTOR)
    csrf_post(admin, f"{url}/deactivate", REMOTE_ADDR=IP)
    profile.user.refresh_from_db()
    assert not profile.user.is_active
    assert not ApiToken.objects.filter(user=profile.user, revoked_at__isnull=True).exists()
    assert audited("user.deactivated", actor__username="admin").source_ip == IP


def test_an_admin_cannot_change_their_own_account(clients):
    admin = clients["admin"]
    me = Profile.objects.get(user__username="admin")
    page = admin.get("/console/users/").content.decode()
    assert f"/console/users/{me.user_id}/deactivate" not in page
    done = csrf_post(admin, f"/console/users/{me.user_id}/change", {"role": "viewer"})
    assert done.status_code == 302
    assert Profile.objects.get(pk=me.pk).role == Role.ADMIN


def test_a_manager_cannot_manage_users(clients):
    viewer = Profile.objects.get(user__username="viewer")
    page = clients["manager"].get("/console/users/").content.decode()
    assert "/console/users/create" not in page
    assert "/deactivate" not in page
    manager = clients["manager"]
    fields = {"username": "eve", "role": "admin"}
    assert csrf_post(manager, "/console/users/create", fields).status_code == 403
    url = f"/console/users/{viewer.user_id}"
    assert csrf_post(manager, f"{url}/change", {"role": "admin"}).status_code == 403
    assert csrf_post(manager, f"{url}/deactivate").status_code == 403
    assert clients["admin"].post(f"{url}/deactivate").status_code == 403  # no CSRF token
    viewer.refresh_from_db()
    assert (viewer.role, viewer.user.is_active) == (Role.VIEWER, True)
    assert not Profile.objects.filter(user__username="eve").exists()


# --- tokens ---------------------------------------------------------------------------


def test_a_token_secret_is_shown_once_and_only_its_digest_kept(clients):
    viewer = clients["viewer"]
    made = csrf_post(
        viewer, "/console/tokens/create", {"name": "laptop"}, REMOTE_ADDR=IP, follow=True
    )
    assert made.status_code == 200
    assert made["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(name="laptop")
    page = made.content.decode()
    start = page.index('id="new-secret" value="') + len('id="new-secret" value="')
    secret = page[start : page.index('"', start)]
    assert secret.startswith(token.prefix)
    assert token.digest == digest(secret)
    assert token.user.get_username() == "viewer"
    assert audited("token.created", actor__username="viewer").source_ip == IP
    again = viewer.get("/console/users/").content.decode()
    assert token.prefix in again
    assert secret not in again


def test_tokens_are_revoked_by_their_owner_and_admins_only(clients):
    own = create_token(Profile.objects.get(user__username="viewer").user, "mine", SYSTEM_ACTOR)
    other = create_token(Profile.objects.get(user__username="manager").user, "theirs", SYSTEM_ACTOR)
    viewer = clients["viewer"]
    page = viewer.get("/console/users/").content.decode()
    assert "mine" in page
    assert "theirs" not in page
    forged = csrf_post(viewer, f"/console/tokens/{other.token.pk}/revoke")
    assert forged.status_code == 403
    assert ApiToken.objects.get(pk=other.token.pk).revoked_at is None
    csrf_post(viewer, f"/console/tokens/{own.token.pk}/revoke", REMOTE_ADDR=IP)
    assert ApiToken.objects.get(pk=own.token.pk).revoked_at is not None
    assert audited("token.revoked", actor__username="viewer").source_ip == IP
    admin = clients["admin"]
    assert "theirs" in admin.get("/console/users/").content.decode()
    csrf_post(admin, f"/console/tokens/{other.token.pk}/revoke")
    assert ApiToken.objects.get(pk=other.token.pk).revoked_at is not None


def test_only_admins_make_tokens_for_others(clients):
    manager_user = Profile.objects.get(user__username="manager").user
    fields = {"name": "for-manager", "owner": "manager"}
    assert csrf_post(clients["viewer"], "/console/tokens/create", fields).status_code == 403
    assert not ApiToken.objects.filter(name="for-manager").exists()
    made = csrf_post(clients["admin"], "/console/tokens/create", fields)
    assert made.status_code == 302
    token = ApiToken.objects.select_related("created_by").get(name="for-manager")
    assert token.user == manager_user
    assert token.created_by is not None
    assert token.created_by.get_username() == "admin"


def test_a_token_cannot_end_in_the_past(clients):
    yesterday = (timezone.now() - timedelta(days=1)).date().isoformat()
    fields = {"name": "old", "valid_until": yesterday}
    done = csrf_post(clients["viewer"], "/console/tokens/create", fields, follow=True)
    assert b"that day is over" in done.content
    assert not ApiToken.objects.filter(name="old").exists()


def test_users_made_here_can_sign_in_to_the_console(clients):
    fields = {"username": "finn", "role": "reviewer", "password": "a long enough passphrase 42"}
    csrf_post(clients["admin"], "/console/users/create", fields)
    browser = Client()
    assert browser.login(username="finn", password="a long enough passphrase 42")
    assert browser.get("/console/audit/").status_code == 403


def test_glossary_search_finds_a_term_by_source_or_translation(clients):
    add_term("en", "fr", TermData("invoice", ("facture",)), SYSTEM_ACTOR)
    add_term("en", "fr", TermData("fee", ("frais", "redevance")), SYSTEM_ACTOR)
    add_term("en", "fr", TermData("schedule", ("échéancier",)), SYSTEM_ACTOR)
    pair = "/console/glossary/?source_lang=EN&target_lang=Fr&q="  # tags compare case-blind
    by_source = clients["viewer"].get(f"{pair}INVO", HTTP_HX_REQUEST="true").content.decode()
    assert "facture" in by_source
    assert "frais" not in by_source
    by_target = clients["viewer"].get(f"{pair}redev").content.decode()
    assert "frais | redevance" in by_target
    assert "facture" not in by_target
    accented = clients["viewer"].get(f"{pair}échéan").content.decode()
    assert "schedule" in accented


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_pages_cost_the_same_queries_for_few_rows_and_many(clients):
    admin = clients["admin"]
    # one of each to begin with: an empty list asks the database less
    create_token(Profile.objects.get(user__username="admin").user, "first", SYSTEM_ACTOR)
    add_units(("Only", "Seule"))
    urls = ("/console/users/", "/console/audit/", "/console/memory/")
    for url in urls:  # the first request of a test process reads the schema once
        admin.get(url)
    few = {url: queries_for(admin, url) for url in urls}
    for n in range(12):
        user = create_user(f"user{n}", Role.VIEWER, [f"team{n}", "alpha"], SYSTEM_ACTOR)
        create_token(user, f"token{n}", SYSTEM_ACTOR)
    add_units(*((f"sentence {n}", f"phrase {n}") for n in range(12)))
    many = {url: queries_for(admin, url) for url in urls}
    assert many == few


def test_a_tbx_glossary_is_imported_with_its_forbidden_variants(clients):
    data = (Path(__file__).parent.parent / "glossary" / "fixtures" / "terms.tbx").read_bytes()
    fields = {
        "file": SimpleUploadedFile("terms.tbx", data),
        "source_lang": "en",
        "target_lang": "fr",
    }
    done = csrf_post(clients["manager"], "/console/glossary/import", fields, follow=True)
    assert b"terms.tbx:" in done.content
    contract = GlossaryTerm.objects.get(source="contract")
    assert (contract.targets, contract.forbidden) == (
        ["contrat", "convention"],
        ["accord", "pacte"],
    )
    page = done.content.decode()
    assert '<span class="error">accord | pacte</span>' in page


def test_a_memory_import_may_promote_what_it_brings(clients):
    data = b"source,target\nGood night,Bonne nuit\n"
    fields = {
        "file": SimpleUploadedFile("night.csv", data),
        "source_lang": "en",
        "target_lang": "fr",
        "promote": "on",
    }
    csrf_post(clients["manager"], "/console/memory/import", fields)
    assert TranslationUnit.objects.get(target="Bonne nuit").status == UnitStatus.PROMOTED
    assert audited("memory.import").after["status"] == UnitStatus.PROMOTED


def test_the_term_editor_is_for_managers(clients):
    term = add_term("en", "fr", TermData("invoice", ("facture",)), SYSTEM_ACTOR)
    assert clients["viewer"].get(f"/console/glossary/terms/{term.pk}/").status_code == 403
    editor = clients["manager"].get(f"/console/glossary/terms/{term.pk}/")
    assert editor.status_code == 200
    assert b'<label for="term-source">Source term</label>' in editor.content
    assert b'value="facture"' in editor.content


def test_memory_units_show_tags_as_chips(clients):
    add_units(("Press <g1>Save</g1>", "Appuyez sur <g1>Enregistrer</g1>"))
    page = clients["viewer"].get("/console/memory/").content.decode()
    assert 'title="tag g1"' in page
    assert "Enregistrer" in page
    assert "Press &lt;g1&gt;" not in page  # not as text
