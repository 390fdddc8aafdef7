"""Following without an account, over HTTP: double opt-in, links that must change nothing
when bad, the subscriber's own page and its expiring link, one-click unsubscribe, the rate
limit, and forms that answer the same whoever the address belongs to."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail, signing
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from subscriptions import services
from subscriptions.models import Event, MailRequest, Notification, Subscriber, Subscription
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


def test_the_limit_holds_when_every_request_reaches_another_web_process(post_follow):
    """Each process has its own local cache: the count must live where all of them look."""
    motion = MotionFactory()
    for _ in range(5):
        cache.clear()
        assert post_follow(motion).status_code == 200
    cache.clear()
    assert post_follow(motion).status_code == 429


# Known and unknown addresses. Both 16 characters, so even Content-Length cannot differ.
KNOWN, UNKNOWN = "anna@example.org", "olle@example.org"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
SQL_VALUES = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b|\"s\d+_x\d+\"")


def _post_held(client, capture, url, data):
    """POST as a visitor; the tasks queued on commit are held back, as a broker holds them.
    Returns the response, the statements the request ran (values blanked) and the tasks."""
    with CaptureQueriesContext(connection) as queries, capture() as queued:
        response = client.post(url, data)
    return response, [SQL_VALUES.sub("?", q["sql"]) for q in queries], queued


def _page(response, email: str) -> str:
    """The page with the address it echoes and the per-response CSRF token blanked."""
    return CSRF_INPUT.sub("", response.content.decode().replace(email, "ADDRESS"))


def _assert_same_answer(known, unknown):
    assert known.status_code == unknown.status_code == 200
    # Every response has its own request id (for the logs); nothing else may differ.
    assert {**known.headers, "X-Request-ID": ""} == {**unknown.headers, "X-Request-ID": ""}
    assert sorted(known.cookies) == sorted(unknown.cookies)
    assert _page(known, KNOWN) == _page(unknown, UNKNOWN)


def test_asking_for_the_manage_link_answers_the_same_for_known_and_unknown_addresses(
    client, follow, django_capture_on_commit_callbacks
):
    """Same page, headers and database work: only the worker, later, tells them apart."""
    follow(KNOWN, MotionFactory())
    client.get("/folj/mina/")  # the site's settings and caches, as after any earlier visitor
    capture = django_capture_on_commit_callbacks
    known, known_sql, known_tasks = _post_held(client, capture, "/folj/mina/", {"email": KNOWN})
    unknown, unknown_sql, unknown_tasks = _post_held(
        client, capture, "/folj/mina/", {"email": UNKNOWN}
    )

    _assert_same_answer(known, unknown)
    assert known_sql == unknown_sql
    assert any(statement.startswith("INSERT") for statement in known_sql)
    assert MailRequest.objects.count() == 2  # a row for each, known or not
    assert mail.outbox == []  # nothing is looked up or sent in the request

    for task in known_tasks + unknown_tasks:
        task()
    assert [m.to for m in mail.outbox] == [[KNOWN]]
    assert "/folj/mina/" in mail.outbox[0].body
    assert not MailRequest.objects.exists()  # neither address is kept once handled


def test_following_answers_the_same_for_a_follower_and_a_stranger(
    client, follow, django_capture_on_commit_callbacks
):
    """Someone who already follows the motion and someone new get the same page, and the
    request does the same writes; the worker then mails "you already follow" or a link."""
    motion = MotionFactory()
    follow(KNOWN, motion)
    capture = django_capture_on_commit_callbacks
    form = {"frequency": "weekly", "target": services.target_key(motion)}
    client.get(FOLLOW_URL, {"target": form["target"]})  # warm the caches
    known, known_sql, known_tasks = _post_held(
        client, capture, FOLLOW_URL, {**form, "email": KNOWN}
    )
    unknown, unknown_sql, unknown_tasks = _post_held(
        client, capture, FOLLOW_URL, {**form, "email": UNKNOWN}
    )

    _assert_same_answer(known, unknown)
    assert known_sql == unknown_sql
    assert Subscriber.objects.get().email == KNOWN  # nobody recorded in the request
    assert mail.outbox == []

    for task in known_tasks + unknown_tasks:
        task()
    mails = {m.to[0]: m.body for m in mail.outbox}
    assert "/folj/bekrafta/" not in mails[KNOWN]
    assert "/folj/bekrafta/" in mails[UNKNOWN]
    kept = Subscription.objects.get(subscriber__email=KNOWN)
    assert kept.confirmed_at is not None
    assert kept.frequency == "immediate"  # a stranger cannot change an existing follow


def test_a_manage_link_works_for_a_week_then_offers_a_new_one(
    client, follow, django_capture_on_commit_callbacks
):
    motion = MotionFactory()
    follow(KNOWN, motion)
    page = _path(services.manage_url(Subscriber.objects.get()))

    with time_machine.travel(timedelta(days=6, hours=23)):
        assert client.get(page).status_code == 200
    with time_machine.travel(timedelta(days=7, hours=1)):
        expired = client.get(page)
        refused = client.post(page, {"action": "forget"})

    assert expired.status_code == refused.status_code == 410
    html = expired.content.decode()
    assert KNOWN not in html
    assert motion.case_number not in html
    assert 'action="/folj/mina/"' in html
    assert 'name="email"' in html
    assert Subscriber.objects.exists()  # the expired link deleted nothing

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/folj/mina/", {"email": KNOWN})
    assert client.get(_link(mail.outbox[0], "manage")).status_code == 200


def test_how_long_a_manage_link_works_is_a_setting(client, follow, settings):
    settings.SUBSCRIPTIONS_MANAGE_LINK_DAYS = 1
    follow(KNOWN, MotionFactory())
    page = _path(services.manage_url(Subscriber.objects.get()))

    with time_machine.travel(timedelta(hours=23)):
        assert client.get(page).status_code == 200
    with time_machine.travel(timedelta(hours=25)):
        assert client.get(page).status_code == 410


def test_a_manage_link_mailed_before_links_expired_offers_a_new_one(client, follow):
    follow(KNOWN, MotionFactory())
    undated = signing.Signer(salt=services.MANAGE_SALT).sign(Subscriber.objects.get().key)

    response = client.get(reverse("subscriptions:manage", args=[undated]))

    assert response.status_code == 410
    assert 'name="email"' in response.content.decode()


def test_the_one_click_unsubscribe_link_works_from_however_old_a_mail(follow):
    with time_machine.travel(timedelta(days=-400)):
        follow(KNOWN, MotionFactory())
        path = _path(services.unsubscribe_url(Subscriber.objects.get()))

    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert not Subscriber.objects.exists()


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


@pytest.mark.parametrize("odd", ["²", "١", "9" * 30])
def test_a_record_number_that_is_not_one_is_refused_on_the_follow_and_manage_pages(
    client, follow, odd
):
    """ "²" passes str.isdigit() and fails int(); the database refuses a 30-digit id."""
    follow(KNOWN, MotionFactory())
    page = _path(services.manage_url(Subscriber.objects.get()))
    before = Subscription.objects.count()

    assert client.get("/folj/", {"target": f"motion:{odd}"}).status_code == 200  # nothing to follow
    refused = client.post("/folj/", {"email": "a@example.org", "target": f"motion:{odd}"})
    assert refused.status_code == 400
    assert client.post(page, {"subscription": odd}).status_code == 302

    assert Subscription.objects.count() == before
