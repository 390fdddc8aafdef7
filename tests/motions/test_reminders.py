"""Daily reminders, run eagerly: who gets what, once, and what happens to bad addresses."""

import smtplib
from datetime import date, timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import translation

from motions import services, tasks
from motions.models import Motion, Referral, ReminderClaim
from tests.factories import DecisionFactory, MotionFactory, OrganFactory

pytestmark = pytest.mark.django_db
TODAY = date(2025, 3, 3)


@pytest.fixture(autouse=True)
def _english_and_today():
    with translation.override("en"), time_machine.travel(TODAY):
        yield


@pytest.fixture
def record(body):
    body.secretariat_email = "kansliet@boras.example"
    body.save()
    overdue = MotionFactory(
        body=body, case_number="KS 2024-1", submitted_on=date(2024, 2, 29)
    )  # due 2025-02-28
    approaching = MotionFactory(body=body, case_number="KS 2024-2", submitted_on=date(2024, 4, 1))
    MotionFactory(
        body=body, case_number="KS 2024-3", submitted_on=date(2024, 12, 1)
    )  # far from its deadline
    social = OrganFactory(
        body=body, kind="committee", name="Socialnämnden", contact_email="soc@boras.example"
    )
    broken = OrganFactory(
        body=body, kind="committee", name="Tekniska nämnden", contact_email="not-an-address"
    )
    services.motion_refer(
        motion=approaching, organ=social, sent_on=date(2025, 1, 10), due_on=TODAY + timedelta(10)
    )
    services.motion_refer(
        motion=overdue, organ=broken, sent_on=date(2024, 6, 1), due_on=date(2024, 9, 1)
    )
    # Bypass validation for the malformed address, as an import or an old row would.
    return overdue, approaching, social, broken


def run_daily(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return tasks.daily_reminders.delay().get()


def test_each_recipient_gets_one_mail_with_its_reminders_and_a_rerun_sends_nothing(
    record, django_capture_on_commit_callbacks
):
    run_daily(django_capture_on_commit_callbacks)
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_recipient) == ["kansliet@boras.example", "soc@boras.example"]
    secretariat = by_recipient["kansliet@boras.example"].body
    assert "KS 2024-1" in secretariat.split("passerat")[1]
    assert "KS 2024-2" in secretariat
    assert "KS 2024-3" not in secretariat
    assert "Socialnämnden" in by_recipient["soc@boras.example"].body

    run_daily(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2


def test_a_malformed_organ_address_is_reported_and_does_not_stop_the_others(
    record, django_capture_on_commit_callbacks
):
    run_daily(django_capture_on_commit_callbacks)
    failed = ReminderClaim.objects.exclude(error="").get()
    assert failed.kind == "referral"
    assert "not-an-address" in failed.error
    assert failed.sent_at is None
    assert len(mail.outbox) == 2


def test_a_motion_entering_overdue_after_its_approaching_mail_is_sent_again_once(
    record, django_capture_on_commit_callbacks
):
    run_daily(django_capture_on_commit_callbacks)
    approaching = record[1]
    with time_machine.travel(approaching.deadline_on + timedelta(days=1)):
        run_daily(django_capture_on_commit_callbacks)
        run_daily(django_capture_on_commit_callbacks)
    mentions = [
        m for m in mail.outbox if "KS 2024-2" in m.body and m.to == ["kansliet@boras.example"]
    ]
    assert len(mentions) == 2  # once approaching, once overdue


def test_an_smtp_error_releases_the_batch_for_the_retry_which_sends_it_once(record):
    from motions import reminders

    token, _recipients = reminders.plan(today=TODAY)
    with (
        mock.patch(
            "motions.reminders.send_mail", side_effect=smtplib.SMTPServerDisconnected("gone")
        ),
        pytest.raises(smtplib.SMTPException),
    ):
        reminders.send_batch(token=token, recipient="soc@boras.example")
    assert mail.outbox == []
    assert reminders.send_batch(token=token, recipient="soc@boras.example") == 1
    assert (
        reminders.send_batch(token=token, recipient="soc@boras.example") == 0
    )  # a redelivered task
    assert len(mail.outbox) == 1
    assert smtplib.SMTPException in tasks.send_reminder_batch.autoretry_for


def test_commitment_owners_are_reminded_when_a_follow_up_is_due(
    body, django_capture_on_commit_callbacks
):
    from plans.models import Commitment

    owner = OrganFactory(
        body=body, kind="committee", name="Arbetslivsnämnden", contact_email="aln@boras.example"
    )
    decision = DecisionFactory(
        motion__body=body, motion__submitted_on=date(2023, 9, 1), meeting__date=date(2023, 11, 20)
    )
    Commitment.objects.create(
        body=body,
        title="Från bidrag till lön",
        slug="bidrag-till-lon",
        description="Minska",
        decision=decision,
        responsible_organ=owner,
        target_year=2027,
        live=True,
    )
    run_daily(django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox if "Från bidrag till lön" in m.body] == [
        ["aln@boras.example"]
    ]


def test_the_daily_job_runs_a_fixed_number_of_queries(
    body, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    body.secretariat_email = "kansliet@boras.example"
    body.save()
    organ = OrganFactory(body=body, kind="committee", contact_email="n@boras.example")

    def add(count, start):
        Motion.objects.bulk_create(
            Motion(
                body=body,
                case_number=f"X {start + n}",
                slug=f"x-{start + n}",
                title="T",
                submitted_on=date(2024, 1, 1),
                deadline_on=date(2025, 1, 1),
                status="raised",
            )
            for n in range(count)
        )
        Referral.objects.bulk_create(
            Referral(motion=m, organ=organ, sent_on=date(2024, 2, 1), due_on=date(2024, 5, 1))
            for m in Motion.objects.filter(case_number__startswith="X ", referrals__isnull=True)
        )

    from motions import reminders

    add(5, 0)
    with django_assert_max_num_queries(12):
        reminders.plan(today=TODAY)
    add(300, 100)
    with django_assert_max_num_queries(12):
        token, recipients = reminders.plan(today=TODAY)
    assert recipients == ["kansliet@boras.example", "n@boras.example"]
    assert ReminderClaim.objects.filter(run_token=token).count() == 600
