"""What the import's shortcuts must not change: followers are not e-mailed about history, the
search index holds every imported record once the import is done, and outside an import (or in
another thread while one runs) records are indexed and notified as before."""

import threading

import pytest
from django.core import mail
from wagtail.search.backends import get_search_backend

from motions.models import Motion, Organ
from registers import importing, indexing
from subscriptions.models import Event, EventKind, Notification
from tests.factories import DecisionFactory, MotionFactory
from tests.registers.import_data import DECIDED, SUBMITTED, csv_bytes, register_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def municipality(body):
    return register_body(body)


def search(words: str) -> list[Motion]:
    return list(get_search_backend().search(words, Motion))


def run(body, content):
    table = importing.read_table(content, filename="register.csv")
    return importing.run_import(
        body=body,
        table=table,
        mapping=importing.suggest_mapping(table.headings),
        user=None,
        label="register.csv",
    )


def test_an_imported_historic_decision_emails_no_follower_but_the_next_decision_does(
    municipality, follow, django_capture_on_commit_callbacks
):
    council = Organ.objects.get(body=municipality, abbreviation="KF")
    party = municipality.parties.get(abbreviation="S")
    follow("parti@example.org", party)
    follow("kf@example.org", council)

    with django_capture_on_commit_callbacks(execute=True):
        run(municipality, csv_bytes([DECIDED]))

    assert mail.outbox == []
    assert not Notification.objects.exists()
    # Recorded all the same, so a later correction of the decision is not news either.
    decision = Motion.objects.get(case_number=DECIDED["Diarienummer"]).decisions.get()
    assert Event.objects.filter(kind=EventKind.DECISION, **Event.source_key(decision)).exists()

    with django_capture_on_commit_callbacks(execute=True):
        DecisionFactory(motion=MotionFactory(body=municipality), meeting__organ=council)

    assert [m.to for m in mail.outbox] == [["kf@example.org"]]


def test_imported_records_are_found_by_search_once_the_import_is_done(municipality):
    run(municipality, csv_bytes([DECIDED, SUBMITTED]))

    # A word of a clause: the motion was indexed with its clauses, not half-saved.
    assert [m.case_number for m in search("hundrastgård")] == [SUBMITTED["Diarienummer"]]
    assert [m.case_number for m in search("återrapporteras")] == [DECIDED["Diarienummer"]]
    # After the import, saves are indexed at once again.
    later = MotionFactory(body=municipality, title="Motion om solceller på skolorna")
    assert search("solceller") == [later]


def test_deferring_the_index_in_one_thread_leaves_another_threads_saves_indexed(
    municipality, transactional_db
):
    """An import run eagerly in a web process must not stop the other requests' indexing."""
    found = []

    def elsewhere():
        try:
            motion = MotionFactory(body=municipality, title="Motion om ett utegym")
            found.extend(search("utegym"))
            assert found == [motion]
        finally:
            from django.db import connection

            connection.close()

    with indexing.search_index_deferred():
        deferred = MotionFactory(body=municipality, title="Motion om en pulkabacke")
        worker = threading.Thread(target=elsewhere)
        worker.start()
        worker.join()
        assert search("pulkabacke") == []  # noted, not indexed yet
    assert [m.title for m in found] == ["Motion om ett utegym"]
    assert search("pulkabacke") == [deferred]
