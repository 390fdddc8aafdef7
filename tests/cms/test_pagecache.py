"""The whole-page cache for anonymous visitors (cms.pagecache): served without queries,
emptied by publishing and unpublishing, never shared with signed-in visitors, and the
language form's CSRF token stays each visitor's own."""

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.factories import MotionFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300


def test_second_visit_to_the_list_is_served_without_queries(
    public_site, page_cache, client, django_assert_num_queries
):
    motion = MotionFactory(body=public_site.body, title="Fler cykelbanor i centrum")
    first = client.get(public_site.motions_url)
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"

    with django_assert_num_queries(0):
        second = client.get(public_site.motions_url)
    assert second["X-Page-Cache"] == "hit"
    assert motion.title in second.content.decode()


def test_publishing_a_motion_shows_it_on_the_cached_list_at_once(
    public_site, page_cache, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        MotionFactory(body=public_site.body, title="Fler cykelbanor i centrum")
    client.get(public_site.motions_url)  # cached now

    with django_capture_on_commit_callbacks(execute=True):
        MotionFactory(body=public_site.body, title="Belysning i Stadsparken")
    response = client.get(public_site.motions_url)

    assert response["X-Page-Cache"] == "miss"
    assert "Belysning i Stadsparken" in response.content.decode()


def test_an_unpublished_motion_disappears_from_the_cache(
    public_site, page_cache, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        motion = MotionFactory(body=public_site.body, title="Hemlig motion om parkering")
    url = motion.get_url()
    assert client.get(url).status_code == 200
    assert client.get(url)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        motion.unpublish()

    assert client.get(url).status_code == 404
    assert "Hemlig motion om parkering" not in client.get(public_site.motions_url).content.decode()


def test_each_visitor_gets_a_working_csrf_token_of_their_own(public_site, page_cache):
    MotionFactory(body=public_site.body)
    first = Client(enforce_csrf_checks=True)
    first_token = TOKEN.search(first.get(public_site.motions_url).content.decode()).group(1)

    second = Client(enforce_csrf_checks=True)
    response = second.get(public_site.motions_url)
    assert response["X-Page-Cache"] == "hit"
    second_token = TOKEN.search(response.content.decode()).group(1)
    assert second_token != first_token
    assert "pagecache" not in second_token

    switched = second.post(
        "/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": second_token}
    )
    assert switched.status_code == 302


def test_signed_in_visitors_are_never_served_from_the_cache(
    public_site, page_cache, client, admin_user
):
    MotionFactory(body=public_site.body)
    client.get(public_site.motions_url)
    assert client.get(public_site.motions_url)["X-Page-Cache"] == "hit"

    client.force_login(admin_user)
    assert django_settings.SESSION_COOKIE_NAME in client.cookies
    assert "X-Page-Cache" not in client.get(public_site.motions_url)


def test_languages_are_cached_apart(public_site, page_cache, client):
    MotionFactory(body=public_site.body)
    swedish = client.get(public_site.motions_url).content.decode()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(public_site.motions_url)

    assert english["X-Page-Cache"] == "miss"
    assert english.content.decode() != swedish


def test_nothing_is_cached_when_switched_off(public_site, client, settings):
    """Base settings switch it off unless CACHE_URL names a shared cache."""
    settings.PAGE_CACHE_SECONDS = 0
    MotionFactory(body=public_site.body)
    client.get(public_site.motions_url)
    assert "X-Page-Cache" not in client.get(public_site.motions_url)
