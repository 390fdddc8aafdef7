"""Every public page says when its data last changed; feeds say it in Atom's <updated>."""

from datetime import UTC, datetime

import time_machine
from django.core.cache import cache

from cms import freshness
from tests.factories import MotionFactory

SAVED = datetime(2030, 3, 4, 9, 15, tzinfo=UTC)  # after the fixtures wrote theirs


def test_the_footer_shows_when_the_last_publish_was(
    client, public_site, django_capture_on_commit_callbacks
):
    with time_machine.travel(SAVED, tick=False), django_capture_on_commit_callbacks(execute=True):
        MotionFactory(body=public_site.body)
    page = client.get(public_site.motions_url).content.decode()
    assert 'class="site-footer__changed"' in page
    assert '<time datetime="2030-03-04T10:15:00+01:00">' in page  # Stockholm time


def test_without_the_cached_time_wagtails_log_gives_it(public_site):
    with time_machine.travel(SAVED, tick=False):
        MotionFactory(body=public_site.body)  # the service logs the publish
    cache.clear()
    assert freshness.last_changed() == SAVED
    assert cache.get(freshness.KEY) == SAVED


def test_a_feed_says_when_its_newest_entry_changed(client, public_site):
    with time_machine.travel(SAVED, tick=False):
        MotionFactory(body=public_site.body)
    feed = client.get("/flode/boras/motioner/").content.decode()
    assert "<updated>2030-03-04" in feed
