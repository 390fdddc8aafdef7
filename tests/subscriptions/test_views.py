"""Following without an account, over HTTP: double opt-in, links that must change nothing
when bad, the subscriber's own page, one-click unsubscribe and the rate limit."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from subscriptions import services
from subscriptions.models import Event, Notification, Subscriber, Subscription
from tests.factories import MotionFactory, PartyFactory

pytestmark = pytest.mark.django_db

FOLLOW_URL = "/folj/"


@pytest.fixture
def post_follow(client, django_capture_on_commit_callbacks):
    """POST the follow form; the confirmation mail is queued on commit, so run those callbacks."""

    def post(target, email="anna@example.org", frequency="immediate", **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                FOLLOW_URL,
                {"email": email, "frequency": frequency, "target": services.target_key(target)},
                **extra,
            )

    return post


def _path(url: str) -> str:
    return urlsplit(url).path


def _link(message, name: str) -> str:
    """The path of the first link in `message` that points at the named view."""
    prefix = reverse(f"subscriptions:{name}", args=["X"]).rsplit("X", 1)[0]
    match = re.search(re.escape(prefix) + r"[^\s/]+/", message.body)
    assert match, f"no {name} link in {message.body!r}"
    return match.group(0)


def test_follow_form_include_is_labelled_and_posts_to_the_follow_view():
    motion = MotionFactory()
    html = render_to_string("subscriptions/follow_form.html", {"target": motion})
    assert f'value="motion:{motion.pk}"' in html
    assert f'for="follow-email-motion{motion.pk}"' in html
    assert f'id="follow-email-motion{motion.pk}"' in html
    assert 'action="/folj/"' in html
    assert "<legend>" in html


def test_following_sends_one_confirmation_mail_and_changes_nothing_until_confirmed(
    client, post_follow
):
    motion = MotionFactory()
    response = post_follow(motion, email="Anna@Example.org")

    assert response.status_code == 200
    assert "anna@example.org" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@example.org"]
    assert motion.case_number in message.subject
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None

    confirm = _link(message, "confirm")
    assert client.get(confirm).status_code == 200
    Subscription.objects.get(confirmed_at__isnull=True)  # a GET (a mail scanner) confirms nothing
    response = client.post(confirm)
    assert response.status_code == 200
    assert (
        "följer" in response.content.decode().lower()
        or "following" in response.content.decode().lower()
    )
    assert Subscription.objects.get().confirmed_at is not None


def test_a_reused_confirmation_link_is_refused_and_changes_nothing(client, post_follow):
    post_follow(MotionFactory())
    confirm = _link(mail.outbox[0], "confirm")
    client.post(confirm)
    confirmed_at = Subscription.objects.get().confirmed_at

    response = client.post(confirm)

    assert response.status_code == 410
    assert Subscription.objects.get().confirmed_at == confirmed_at


def test_an_expired_confirmation_link_is_refused_and_confirms_nothing(client, post_follow):
    post_follow(MotionFactory())
    confirm = _link(mail.outbox[0], "confirm")

    with time_machine.travel(timedelta(days=4)):
        response = client.post(confirm)

    assert response.status_code == 410
    assert Subscription.objects.get().confirmed_at is None


@pytest.mark.parametrize("view", ["confirm", "unsubscribe", "manage"])
def test_a_tampered_link_is_refused_with_a_clear_page_and_changes_nothing(
    client, view, post_follow
):
    post_follow(MotionFactory())
    link = _link(mail.outbox[0], view)
    tampered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]

    response = client.post(tampered)

    assert response.status_code == 400
    assert "<h1>" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None
    assert Subscriber.objects.count() == 1


def test_a_malformed_address_is_refused_with_an_error_linked_to_the_field(client, post_follow):
    motion = MotionFactory()
    response = post_follow(motion, email="inte-en-adress")

    assert response.status_code == 400
    html = response.content.decode()
    error_id = f"follow-email-motion{motion.pk}-error"
    assert f'id="{error_id}"' in html
    assert re.search(rf'aria-describedby="[^"]*{error_id}', html)
    assert 'aria-invalid="true"' in html
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


def test_a_draft_motion_cannot_be_followed(client, post_follow):
    draft = MotionFactory(publish=False)
    response = post_follow(draft)
    assert response.status_code == 400
    assert not Subscriber.objects.exists()
    assert client.get(FOLLOW_URL, {"target": services.target_key(draft)}).status_code == 200
    assert (
        draft.title
        not in client.get(FOLLOW_URL, {"target": services.target_key(draft)}).content.decode()
    )


def test_the_subscriber_page_lists_and_deletes_subscriptions_one_by_one(client, follow):
    motion, party = MotionFactory(), PartyFactory()
    follow("anna@example.org", motion)
    kept = follow("anna@example.org", party, frequency="weekly")
    subscriber = Subscriber.objects.get()
    page = _path(services.manage_url(subscriber))

    html = client.get(page).content.decode()
    assert motion.case_number in html
    assert party.name in html

    removed = Subscription.objects.get(object_id=motion.pk, content_type__model="motion")
    response = client.post(page, {"action": "delete", "subscription": removed.pk})
    assert response.status_code == 302
    assert list(Subscription.objects.all()) == [kept]


def test_delete_everything_about_me_leaves_no_row_with_the_address(client, follow):
    motion = MotionFactory()
    follow("anna@example.org", motion)
    follow("bo@example.org", motion)
    anna = Subscriber.objects.get(email="anna@example.org")
    event = Event.objects.create(kind="decision", title="x", **Event.source_key(motion))
    Notification.objects.create(subscriber=anna, event=event, frequency="immediate")
    page = _path(services.manage_url(anna))

    response = client.post(page, {"action": "forget"})

    assert response.status_code == 200
    assert not Subscriber.objects.filter(email="anna@example.org").exists()
    assert not Subscription.objects.filter(subscriber_id=anna.pk).exists()
    assert not Notification.objects.filter(subscriber_id=anna.pk).exists()
    assert Subscriber.objects.filter(email="bo@example.org").exists()
    assert client.get(page).status_code == 410  # the page is gone with the address


def test_one_click_unsubscribe_works_without_csrf_as_rfc_8058_requires(follow):
    follow("anna@example.org", MotionFactory())
    anna = Subscriber.objects.get()
    path = _path(services.unsubscribe_url(anna))
    client = Client(enforce_csrf_checks=True)

    assert client.get(path).status_code == 200
    assert Subscriber.objects.exists()  # a GET deletes nothing
    response = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert not Subscriber.objects.exists()
    assert not Subscription.objects.exists()


def test_the_form_is_rate_limited_per_address(client, post_follow):
    motion = MotionFactory()
    for _ in range(5):
        assert post_follow(motion).status_code == 200
    response = post_follow(motion)
    assert response.status_code == 429
    assert len(mail.outbox) == 5
    assert post_follow(motion, email="bo@example.org").status_code == 200


def test_the_form_is_rate_limited_per_client(client, post_follow):
    motion = MotionFactory()
    for n in range(20):
        assert (
            post_follow(motion, email=f"p{n}@example.org", REMOTE_ADDR="10.0.0.1").status_code
            == 200
        )
    response = post_follow(motion, email="p99@example.org", REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert not Subscriber.objects.filter(email="p99@example.org").exists()
    other = post_follow(motion, email="p99@example.org", REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200


def test_behind_a_proxy_the_limit_counts_the_visitor_not_the_proxy(post_follow, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    motion = MotionFactory()
    for n in range(20):
        response = post_follow(
            motion, email=f"p{n}@example.org", REMOTE_ADDR="10.0.0.9", HTTP_X_REAL_IP="198.51.100.1"
        )
        assert response.status_code == 200
    blocked = post_follow(
        motion, email="p99@example.org", REMOTE_ADDR="10.0.0.9", HTTP_X_REAL_IP="198.51.100.1"
    )
    assert blocked.status_code == 429
    other_visitor = post_follow(
        motion, email="p99@example.org", REMOTE_ADDR="10.0.0.9", HTTP_X_REAL_IP="198.51.100.2"
    )
    assert other_visitor.status_code == 200


def test_asking_for_the_manage_link_reveals_nothing_about_who_subscribes(client, follow):
    follow("anna@example.org", MotionFactory())
    known = client.post("/folj/mina/", {"email": "anna@example.org"})
    unknown = client.post("/folj/mina/", {"email": "okand@example.org"})

    assert known.status_code == unknown.status_code == 200
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna@example.org"]
    assert "/folj/mina/" in mail.outbox[0].body


def test_the_subscriber_page_costs_the_same_queries_for_few_and_many_follows(
    client, follow, django_assert_max_num_queries
):
    """Targets of every kind are prefetched: 6 follows cost what 1 does."""
    counts = []
    for size in (1, 6):
        motions = [MotionFactory() for _ in range(size)]
        for motion in motions:
            follow("anna@example.org", motion)
            follow("anna@example.org", motion.submitters.first().party, frequency="weekly")
        page = _path(services.manage_url(Subscriber.objects.get()))
        client.get(page)  # warm the content-type and page-URL caches
        with django_assert_max_num_queries(12) as captured:
            html = client.get(page).content.decode()
        counts.append(len(captured))
        assert all(m.case_number in html for m in motions)

    assert counts[0] == counts[1]
