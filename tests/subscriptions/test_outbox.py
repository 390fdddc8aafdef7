"""The outbox with tasks run eagerly: who is told about what, that only published changes
notify, and that requested mails (confirmations, manage links) are swept like notifications.
Delivery with a real worker on Redis is in test_worker.py."""

from datetime import date, timedelta
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motions import services as motion_services
from subscriptions import services, tasks
from subscriptions.models import Event, MailRequest, Notification, Subscriber, Subscription
from tests.factories import (
    AreaFactory,
    CommitmentFactory,
    DecisionFactory,
    FollowUpFactory,
    MotionFactory,
    OrganFactory,
    ProposalFactory,
    all_clauses,
)

pytestmark = pytest.mark.django_db


def test_a_published_proposal_is_mailed_at_once_with_unsubscribe_headers(
    follow, django_capture_on_commit_callbacks
):
    motion = MotionFactory()
    follow("anna@example.org", motion)

    with django_capture_on_commit_callbacks(execute=True):
        ProposalFactory(motion=motion)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@example.org"]
    assert motion.case_number in message.subject
    assert "/folj/avsluta/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Notification.objects.get().sent_at is not None


def test_followers_of_party_organ_and_area_hear_of_a_decision_on_the_motion(
    follow, django_capture_on_commit_callbacks
):
    area = AreaFactory()
    motion = MotionFactory(body=area.body, areas=[area])
    party = motion.submitters.first().party
    council = OrganFactory(body=motion.body)
    follow("parti@example.org", party)
    follow("organ@example.org", council)
    follow("omrade@example.org", area)
    follow("annan@example.org", OrganFactory(body=motion.body))

    with django_capture_on_commit_callbacks(execute=True):
        DecisionFactory(motion=motion, meeting__organ=council)

    assert sorted(m.to[0] for m in mail.outbox) == [
        "omrade@example.org",
        "organ@example.org",
        "parti@example.org",
    ]


def test_a_referral_answer_is_mailed_to_followers_of_the_motion(
    follow, django_capture_on_commit_callbacks
):
    motion = MotionFactory()
    referral = motion_services.motion_refer(
        motion=motion,
        organ=OrganFactory(body=motion.body, executive=True),
        sent_on=date(2024, 2, 10),
    )
    follow("anna@example.org", motion)

    with django_capture_on_commit_callbacks(execute=True):
        motion_services.referral_register_response(
            referral=referral, answered_on=date(2024, 3, 1), summary="Tillstyrks."
        )

    assert len(mail.outbox) == 1
    assert "Tillstyrks." in mail.outbox[0].body


def test_unpublished_decisions_and_drafts_notify_nobody(follow, django_capture_on_commit_callbacks):
    motion = MotionFactory()
    draft_motion = MotionFactory(publish=False, body=motion.body)
    follow("anna@example.org", motion)
    follow("anna@example.org", draft_motion)

    with django_capture_on_commit_callbacks(execute=True):
        DecisionFactory(motion=motion, publish=False)
        ProposalFactory(motion=draft_motion)

    assert mail.outbox == []
    assert not Event.objects.exists()
    assert not Notification.objects.exists()


def test_publishing_a_draft_decision_later_notifies_once(
    follow, django_capture_on_commit_callbacks
):
    motion = MotionFactory()
    follow("anna@example.org", motion)
    decision = DecisionFactory(motion=motion, publish=False)

    with django_capture_on_commit_callbacks(execute=True):
        decision.save_revision().publish()
        decision.save_revision().publish()  # a correction is not news

    assert len(mail.outbox) == 1


def test_an_unconfirmed_follow_gets_nothing(client, django_capture_on_commit_callbacks):
    motion = MotionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/folj/",
            {
                "email": "anna@example.org",
                "frequency": "immediate",
                "target": f"motion:{motion.pk}",
            },
        )
    assert Subscription.objects.get().confirmed_at is None
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        ProposalFactory(motion=motion)

    assert mail.outbox == []


def publish_then_fail(motion):
    """A change that publishes a proposal and then fails, so its transaction rolls back."""
    with transaction.atomic():
        ProposalFactory(motion=motion)
        raise RuntimeError("the change fails after the proposal was published")


def test_a_rolled_back_change_writes_no_outbox_row_and_sends_nothing(
    follow, django_capture_on_commit_callbacks
):
    motion = MotionFactory()
    follow("anna@example.org", motion)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        publish_then_fail(motion)

    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_a_line_break_in_a_title_is_folded_out_of_the_subject(
    follow, django_capture_on_commit_callbacks
):
    """Refused by Django as a header, it would fail the mail on every retry."""
    motion = MotionFactory(title="Rad ett\r\nBcc: x@example.org")
    follow("anna@example.org", motion)

    with django_capture_on_commit_callbacks(execute=True):
        ProposalFactory(motion=motion)

    (message,) = mail.outbox
    assert "Rad ett Bcc: x@example.org" in message.subject
    assert message.message()["Bcc"] is None  # Django builds the message: no header refused
    assert Notification.objects.get().sent_at is not None


def test_delivering_the_same_notification_twice_sends_once(follow):
    motion = MotionFactory()
    follow("anna@example.org", motion)
    ProposalFactory(motion=motion)  # on_commit never fires here: nothing is sent yet
    notification = Notification.objects.get()

    assert tasks.deliver_notification.apply(args=[notification.pk]).get() is True
    assert tasks.deliver_notification.apply(args=[notification.pk]).get() is False
    assert len(mail.outbox) == 1


def test_a_repeat_after_a_crash_between_send_and_mark_has_the_same_message_id(follow):
    """The one gap SMTP leaves: mail systems drop the repeat by its Message-ID."""
    motion = MotionFactory()
    follow("anna@example.org", motion)
    ProposalFactory(motion=motion)
    notification = Notification.objects.get()
    tasks.deliver_notification.apply(args=[notification.pk])
    Notification.objects.update(sent_at=None, claimed_at=None)  # as if the mark was lost
    tasks.deliver_notification.apply(args=[notification.pk])

    first, repeat = (m.message()["Message-ID"] for m in mail.outbox)
    assert first == repeat
    assert first.startswith(f"<notification-{notification.pk}@")


def test_a_failed_send_releases_the_claim_so_a_retry_delivers(follow):
    motion = MotionFactory()
    follow("anna@example.org", motion)
    ProposalFactory(motion=motion)
    notification = Notification.objects.get()

    with (
        mock.patch(
            "django.core.mail.EmailMessage.send", side_effect=SMTPServerDisconnected("down")
        ),
        pytest.raises(SMTPServerDisconnected),
    ):
        services.notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.sent_at is None
    assert notification.claimed_at is None

    assert tasks.deliver_notification.apply(args=[notification.pk]).get() is True
    assert len(mail.outbox) == 1


def test_the_task_retries_smtp_failures_with_backoff():
    assert SMTPServerDisconnected.__mro__[1] in tasks.deliver_notification.autoretry_for or any(
        issubclass(SMTPServerDisconnected, e) for e in tasks.deliver_notification.autoretry_for
    )
    assert tasks.deliver_notification.retry_backoff


def test_weekly_followers_get_one_digest_with_every_change_and_only_once(follow):
    motion = MotionFactory()
    follow("anna@example.org", motion, frequency="weekly")
    ProposalFactory(motion=motion)
    DecisionFactory(motion=motion)

    assert mail.outbox == []  # nothing at once
    tasks.send_weekly_digests.apply()
    tasks.send_weekly_digests.apply()

    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.body.count(motion.case_number) == 2
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


def test_a_digest_checks_its_records_in_a_fixed_number_of_queries(follow):
    """Whether each record is still public is asked once per kind of record, not per change."""

    def digest_queries(changes: int) -> int:
        motion = MotionFactory()
        subscriber = follow(f"vecka{changes}@example.org", motion, frequency="weekly").subscriber
        for _n in range(changes):
            ProposalFactory(motion=motion)
        with CaptureQueriesContext(connection) as queries:
            sent = services.digest_deliver(subscriber_id=subscriber.pk)
        assert sent == Notification.objects.filter(subscriber=subscriber).count() > 0
        return len(queries)

    assert digest_queries(1) == digest_queries(4)


def test_someone_following_at_once_and_weekly_gets_the_change_at_once_once(
    follow, django_capture_on_commit_callbacks
):
    motion = MotionFactory()
    follow("anna@example.org", motion, frequency="weekly")
    follow("anna@example.org", motion.submitters.first().party)

    with django_capture_on_commit_callbacks(execute=True):
        ProposalFactory(motion=motion)
    tasks.send_weekly_digests.apply()

    assert len(mail.outbox) == 1


def test_a_revised_proposal_is_mailed_as_a_revision(follow, django_capture_on_commit_callbacks):
    motion = MotionFactory()
    follow("anna@example.org", motion)

    with django_capture_on_commit_callbacks(execute=True):
        proposal = ProposalFactory(motion=motion)
    with django_capture_on_commit_callbacks(execute=True):
        motion_services.proposal_revise(
            proposal=proposal, outcomes=all_clauses(motion), text="<p>Nytt förslag</p>"
        )

    assert len(mail.outbox) == 2
    assert mail.outbox[0].subject != mail.outbox[1].subject


def test_a_published_follow_up_reaches_followers_of_the_commitment_and_its_motion(
    follow, django_capture_on_commit_callbacks
):
    commitment = CommitmentFactory()
    follow("atagande@example.org", commitment)
    follow("motion@example.org", commitment.decision.motion)
    FollowUpFactory(commitment=commitment, publish=False)  # a draft notifies nobody
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        FollowUpFactory(commitment=commitment, narrative="Halva planen är genomförd.")

    assert sorted(m.to[0] for m in mail.outbox) == ["atagande@example.org", "motion@example.org"]
    assert "Halva planen är genomförd." in mail.outbox[0].body


def test_a_commitment_can_be_followed_from_its_form(client, django_capture_on_commit_callbacks):
    commitment = CommitmentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/folj/",
            {
                "email": "a@example.org",
                "frequency": "weekly",
                "target": f"commitment:{commitment.pk}",
            },
        )
    assert response.status_code == 200
    assert Subscription.objects.get().target == commitment


# --- requested mails: confirmations and manage links ----------------------------------


def lost_requests(client):
    """A follow and two manage-link requests committed whose tasks never ran, as when the
    broker was down or lost its queue; created long enough ago for the sweep."""
    motion = MotionFactory()
    client.post(
        "/folj/",
        {"email": "bo@example.org", "frequency": "immediate", "target": f"motion:{motion.pk}"},
    )
    client.post("/folj/mina/", {"email": "anna@example.org"})
    client.post("/folj/mina/", {"email": "okand@example.org"})
    assert MailRequest.objects.count() == 3
    return motion


def test_requested_mails_whose_tasks_were_lost_are_sent_by_the_sweep_once(client, follow):
    follow("anna@example.org", MotionFactory())
    motion = lost_requests(client)
    tasks.sweep_outbox.apply()
    assert mail.outbox == []  # fresh rows are left to their own task for two minutes

    with time_machine.travel(timedelta(minutes=3)):
        tasks.sweep_outbox.apply()
        tasks.sweep_outbox.apply()  # beat running twice

    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("anna@example.org", "Dina prenumerationer"),
        ("bo@example.org", f"Bekräfta att du vill följa {motion}"),
    ]
    assert Subscription.objects.get(subscriber__email="bo@example.org").confirmed_at is None
    assert not MailRequest.objects.exists()  # sent or not, no address is kept


def test_a_repeat_after_a_crash_between_send_and_delete_has_the_same_message_id(client):
    lost_requests(client)
    confirm = MailRequest.objects.get(kind=MailRequest.Kind.CONFIRM)

    with (
        mock.patch("django.db.models.QuerySet.delete", side_effect=OperationalError("lost")),
        pytest.raises(OperationalError),
    ):
        services.mail_request_deliver(request_id=confirm.pk)
    assert services.mail_request_deliver(request_id=confirm.pk) is False  # still claimed
    MailRequest.objects.update(claimed_at=timezone.now() - timedelta(hours=1))
    assert services.mail_request_deliver(request_id=confirm.pk) is True

    first, repeat = (m.message()["Message-ID"] for m in mail.outbox)
    assert first == repeat
    assert first.startswith(f"<confirm-{confirm.pk}@")


def test_a_failed_send_keeps_the_request_for_a_retry(client):
    lost_requests(client)
    confirm = MailRequest.objects.get(kind=MailRequest.Kind.CONFIRM)

    with (
        mock.patch(
            "django.core.mail.EmailMessage.send", side_effect=SMTPServerDisconnected("down")
        ),
        pytest.raises(SMTPServerDisconnected),
    ):
        services.mail_request_deliver(request_id=confirm.pk)
    assert MailRequest.objects.get(pk=confirm.pk).claimed_at is None

    assert tasks.deliver_mail_request.apply(args=[confirm.pk]).get() is True
    assert tasks.deliver_mail_request.apply(args=[confirm.pk]).get() is False
    assert len(mail.outbox) == 1
    assert tasks.deliver_mail_request.autoretry_for == tasks.deliver_notification.autoretry_for


def test_a_follow_of_a_record_unpublished_before_the_worker_ran_sends_nothing(client):
    motion = lost_requests(client)
    motion.unpublish()

    services.mail_request_deliver(
        request_id=MailRequest.objects.get(kind=MailRequest.Kind.CONFIRM).pk
    )

    assert mail.outbox == []
    assert not Subscriber.objects.filter(email="bo@example.org").exists()


def test_requests_the_sweep_gave_up_on_are_purged_with_their_address(client):
    lost_requests(client)
    MailRequest.objects.update(attempts=services.MAX_ATTEMPTS)

    with time_machine.travel(timedelta(days=2)):
        assert services.unsent_mail_request_ids() == []  # given up
        tasks.purge_unconfirmed.apply()
    assert MailRequest.objects.count() == 3
    with time_machine.travel(timedelta(days=4)):
        tasks.purge_unconfirmed.apply()
    assert not MailRequest.objects.exists()
    assert mail.outbox == []


def test_forgetting_an_address_deletes_the_mails_it_asked_for(client, follow):
    follow("anna@example.org", MotionFactory())
    lost_requests(client)

    services.subscriber_forget(subscriber=Subscriber.objects.get(email="anna@example.org"))

    assert sorted(MailRequest.objects.values_list("email", flat=True)) == [
        "bo@example.org",
        "okand@example.org",
    ]
