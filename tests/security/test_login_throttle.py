"""Guessing an admin password: five wrong tries lock that account from that address."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

PASSWORD = "rätt-lösenord-2026"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        "sekreterare", password=PASSWORD, is_superuser=True
    )


def sign_in(client, password, *, username="sekreterare", address="203.0.113.7"):
    return client.post(
        reverse("wagtailadmin_login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def signed_in(client) -> bool:
    return client.get(reverse("wagtailadmin_home")).status_code == 200


@pytest.mark.django_db
def test_the_right_password_is_refused_after_five_wrong_ones_and_the_page_says_why(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "fel").status_code == 200  # the login form again
    assert sign_in(client, "fel").status_code == 429  # the fifth locks

    response = sign_in(client, PASSWORD)

    assert response.status_code == 429
    assert "För många misslyckade inloggningsförsök" in response.text
    assert "15 minuter" in response.text
    assert not signed_in(client)


@pytest.mark.django_db
def test_the_lock_lifts_after_the_pause(client, editor):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, "fel")
        assert sign_in(client, PASSWORD).status_code == 429

        clock.shift(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
        response = sign_in(client, PASSWORD)

    assert response.status_code == 302
    assert signed_in(client)


@pytest.mark.django_db
def test_a_colleague_behind_the_same_address_can_still_sign_in(client, editor, django_user_model):
    """One town-hall address for all staff: one person's typing must not lock out the others."""
    django_user_model.objects.create_user("kollega", password=PASSWORD, is_superuser=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "fel")
    assert sign_in(client, PASSWORD).status_code == 429  # the guessed account is locked

    response = sign_in(client, PASSWORD, username="kollega")

    assert response.status_code == 302
    assert signed_in(client)


@pytest.mark.django_db
def test_behind_a_proxy_the_address_is_the_one_the_proxy_sets(client, editor, settings):
    """A visitor cannot escape the lock by sending a new address in a header of their own."""
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("wagtailadmin_login"),
            {"username": "sekreterare", "password": "fel"},
            HTTP_X_REAL_IP="198.51.100.1",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )

    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": "sekreterare", "password": PASSWORD},
        HTTP_X_REAL_IP="198.51.100.1",
        HTTP_X_FORWARDED_FOR="10.0.0.99",
    )

    assert response.status_code == 429


@pytest.mark.django_db
def test_a_sign_in_leaves_no_log_of_the_address_and_a_success_clears_the_failures(client, editor):
    """Personal data with no purpose here: who signed in from where is not kept."""
    sign_in(client, "fel")
    assert AccessAttempt.objects.count() == 1

    assert sign_in(client, PASSWORD).status_code == 302

    assert AccessLog.objects.count() == 0
    assert AccessAttempt.objects.count() == 0
