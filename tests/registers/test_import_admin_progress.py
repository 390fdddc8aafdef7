"""A running import, seen from outside: its progress shows to a second request while the
import's one transaction is still open, and a Cancel from that request stops it with nothing
changed. The second request runs in another thread, with a database connection of its own,
so it sees only what was committed (or written to the cache)."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from cms.roles import role_set_up
from motions.models import Motion, RoleKind
from registers import import_runs, importing
from registers.models import ImportStatus
from tests.factories import BodyFactory, PartyFactory
from tests.records import staff_member

HEADINGS = "Ärende-id;Rubrik;Inkom;Att-satser;Parti"
ROWS = [f"KS 2024-{n};Motion nummer {n};2024-01-{n:02d};att göra något {n};M" for n in range(1, 5)]
MAPPING = {
    "Ärende-id": "case_number",
    "Rubrik": "title",
    "Inkom": "submitted_on",
    "Att-satser": "clauses",
    "Parti": "party",
}


@pytest.fixture
def scene(transactional_db, client):
    """Borås, its secretary signed in on `client` and on a second browser, and a checked run."""
    boras = BodyFactory(name="Borås Stad", slug="boras")
    PartyFactory(body=boras, name="Moderaterna", abbreviation="M")
    user = staff_member("sekreterare", "Tom grupp", [])
    user.groups.add(role_set_up(body=boras, kind=RoleKind.SECRETARIAT).group)
    client.force_login(user)
    second = Client()
    second.force_login(user)  # before the import: its session is written now, not during it
    content = "\n".join([HEADINGS, *ROWS]).encode()
    run = import_runs.run_upload(body=boras, user=user, filename="register.csv", content=content)
    assert import_runs.run_map_and_check(run=run, mapping=MAPPING, user=user) == []
    return boras, run, second


def in_another_thread(work):
    """Run `work()` on its own thread (its own database connection) and return its result."""
    result = {}

    def target():
        try:
            result["value"] = work()
        except BaseException as error:  # handed back to the test
            result["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=60)
    if "error" in result:
        raise result["error"]
    return result["value"]


def during_the_import(monkeypatch, at: int, work):
    """Call `work()` in another thread when the import has written `at` rows (one per batch)."""
    monkeypatch.setattr(importing, "BATCH_SIZE", 1)
    monkeypatch.setattr(import_runs, "PROGRESS_EVERY", 0)
    original = import_runs._Reporter.progress
    seen = {}

    def progress(reporter, done, total):
        original(reporter, done, total)
        if done == at:
            seen["result"] = in_another_thread(work)

    monkeypatch.setattr(import_runs._Reporter, "progress", progress)
    return seen


def test_a_second_request_sees_the_progress_while_the_import_runs(client, scene, monkeypatch):
    boras, run, second = scene
    url = reverse("registers_import_run", args=[run.pk])

    def look():
        page = second.get(url).content.decode()
        # SQLite's shared test database locks a table the open import wrote: look only on
        # PostgreSQL, where the other connection sees what was committed.
        if connection.vendor != "postgresql":
            return page, 0
        return page, Motion.objects.filter(body=boras).count()

    seen = during_the_import(monkeypatch, 2, look)
    client.post(reverse("registers_import_commit", args=[run.pk]))
    page, motions_seen = seen["result"]
    # Half way: the bar and its text say so, and the page keeps refreshing itself.
    assert 'data-import-status="running"' in page
    assert '<progress id="import-progress" max="4" value="2">' in page
    assert 'http-equiv="refresh"' in page
    # ...while the rows already written are not visible outside the import (all or nothing).
    assert motions_seen == 0
    run.refresh_from_db()
    assert (run.status, run.progress_done, run.creates) == (ImportStatus.DONE, 4, 4)
    assert Motion.objects.filter(body=boras).count() == 4


def test_cancel_from_a_second_request_stops_the_import(client, scene, monkeypatch):
    _boras, run, second = scene

    def cancel():
        return second.post(reverse("registers_import_cancel", args=[run.pk])).status_code

    seen = during_the_import(monkeypatch, 1, cancel)
    client.post(reverse("registers_import_commit", args=[run.pk]))
    assert seen["result"] == 302
    run.refresh_from_db()
    assert run.status == ImportStatus.CANCELLED
    assert run.progress_done == 1
    assert not Motion.objects.exists()
    page = client.get(reverse("registers_import_run", args=[run.pk])).content.decode()
    assert 'data-import-status="cancelled"' in page
