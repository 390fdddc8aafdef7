"""Reminders to the officers of the organ responsible for a commitment: 14 and 3 days before its
follow-up is due, 7 and 30 days after; at most one of each kind a week; each exactly once, also
with two beat processes planning at the same moment."""

import threading
from datetime import date, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import translation

from motions.models import ReminderClaim, RoleKind
from plans import reminders, tasks
from plans.models import Commitment
from plans.status import Status
from tests.factories import CommitmentFactory, FollowUpFactory, OrganFactory
from tests.plans.test_workflow import workflow  # noqa: F401  (the fixture)
from tests.records import grant, staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def officer(username, body, organ, email):
    user = staff_member(username, "Handläggare", ["add_followup", "change_followup"])
    grant(user, body, RoleKind.OFFICER, organ=organ)
    user.email = email
    user.save()
    return user


@pytest.fixture
def owners(body):
    organ = OrganFactory(body=body, kind="committee", name="Arbetslivsnämnden")
    other = OrganFactory(body=body, kind="committee", name="Tekniska nämnden")
    commitment = CommitmentFactory(
        decision__motion__body=body, responsible_organ=organ, title="Från bidrag till lön"
    )
    officer("anna", body, organ, "anna@boras.example")
    officer("bo", body, organ, "bo@boras.example")
    officer("cecilia", body, other, "cecilia@boras.example")  # another organ's officer
    staff_member("kansliet", "Sekretariat", ["publish_followup"], body=body)
    due = commitment.decision.decided_on + reminders.FOLLOWUP_INTERVAL
    return commitment, due


def run_on(day: date, django_capture_on_commit_callbacks) -> list:
    before = len(mail.outbox)
    with time_machine.travel(day), django_capture_on_commit_callbacks(execute=True):
        tasks.owner_reminders.delay().get()
    return mail.outbox[before:]


def test_the_officers_are_reminded_14_and_3_days_before_and_7_and_30_after(
    owners, django_capture_on_commit_callbacks
):
    _commitment, due = owners
    sent = {}
    for offset in range(-20, 61):
        for message in run_on(due + timedelta(offset), django_capture_on_commit_callbacks):
            sent.setdefault(offset, []).append((message.to[0], message.body))
    assert sorted(sent) == [-14, -3, 7, 30]
    for offset, section in (
        (-14, "inom 14 dagar"),
        (-3, "inom 3 dagar"),
        (7, "mer än 7 dagar"),
        (30, "mer än 30 dagar"),
    ):
        assert sorted(to for to, _body in sent[offset]) == [
            "anna@boras.example",
            "bo@boras.example",
        ]
        for _to, body in sent[offset]:
            assert section in body
            assert f"Från bidrag till lön ({due.isoformat()})" in body


def test_at_most_one_late_reminder_a_week_when_the_due_date_moves(
    owners, django_capture_on_commit_callbacks
):
    commitment, due = owners
    assert len(run_on(due + timedelta(30), django_capture_on_commit_callbacks)) == 2
    # A follow-up for a long-past period is published: the next one is still a month late.
    Commitment.objects.filter(pk=commitment.pk).update(
        last_followup_on=commitment.decision.decided_on + timedelta(10)
    )
    assert run_on(due + timedelta(31), django_capture_on_commit_callbacks) == []
    assert run_on(due + timedelta(36), django_capture_on_commit_callbacks) == []
    later = run_on(due + timedelta(37), django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in later) == ["anna@boras.example", "bo@boras.example"]


def test_no_reminder_for_a_finished_commitment_or_a_follow_up_awaiting_approval(
    owners,
    workflow,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    commitment, due = owners
    Commitment.objects.filter(pk=commitment.pk).update(current_status=Status.COMPLETED)
    assert run_on(due + timedelta(7), django_capture_on_commit_callbacks) == []

    Commitment.objects.filter(pk=commitment.pk).update(current_status=Status.IN_PROGRESS)
    draft = FollowUpFactory(commitment=commitment, publish=False)
    workflow.start(draft, None)
    assert run_on(due + timedelta(8), django_capture_on_commit_callbacks) == []


def test_planning_runs_a_fixed_number_of_queries(body, owners, django_assert_max_num_queries):
    commitment, due = owners
    with django_assert_max_num_queries(8):
        reminders.owner_plan(today=due - timedelta(14))
    for n in range(20):
        CommitmentFactory(
            decision=commitment.decision,
            responsible_organ=commitment.responsible_organ,
            title=f"Åtagande {n}",
        )
    with django_assert_max_num_queries(8):
        _token, recipients = reminders.owner_plan(today=due + timedelta(7))
    assert recipients == ["anna@boras.example", "bo@boras.example"]
    assert ReminderClaim.objects.filter(kind=reminders.OWNER_KIND).count() == 2 + 21 * 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL's concurrent inserts (runs in CI)",
)
def test_two_beat_processes_at_once_send_each_reminder_once(body):
    commitment = CommitmentFactory(
        decision__motion__body=body,
        responsible_organ=OrganFactory(body=body, kind="committee"),
    )
    officer("anna", body, commitment.responsible_organ, "anna@boras.example")
    officer("bo", body, commitment.responsible_organ, "bo@boras.example")
    due = commitment.decision.decided_on + reminders.FOLLOWUP_INTERVAL
    barrier = threading.Barrier(2)
    queued, errors = [], []

    def beat():
        try:
            barrier.wait(timeout=10)
            queued.append(tasks.owner_reminders())
        except Exception as error:  # surfaced below: a thread's failure must fail the test
            errors.append(error)
        finally:
            connection.close()

    with time_machine.travel(due - timedelta(3)):
        threads = [threading.Thread(target=beat) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert not errors, errors
    assert sorted(queued) == [0, 2]
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@boras.example", "bo@boras.example"]
    assert ReminderClaim.objects.filter(sent_at__isnull=False).count() == 2
