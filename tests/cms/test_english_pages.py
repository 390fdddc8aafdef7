"""The English pages: the CMS pages' English titles and introductions, and the records' Swedish
text marked lang="sv" so a screen reader reads it with a Swedish voice."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.models import FollowUpIndexPage
from tests.factories import (
    CommitmentFactory,
    DecisionFactory,
    FollowUpFactory,
    MotionFactory,
    PartyFactory,
)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _set(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()


def test_english_pages_show_the_english_title_and_introduction(english, public_site):
    _set(
        public_site.motions,
        title_en="Motions",
        intro="<p>Motioner till fullmäktige.</p>",
        intro_en="<p>Motions to the council.</p>",
    )

    html = english.get(public_site.motions_url).content.decode()

    assert "<h1>Motions</h1>" in html
    assert "<title>Motions – " in html
    assert "Motions to the council." in html
    assert "Motioner till fullmäktige." not in html


def test_swedish_pages_keep_the_swedish_title(client, public_site):
    _set(public_site.motions, title_en="Motions", intro_en="<p>Motions to the council.</p>")

    html = client.get(public_site.motions_url).content.decode()

    assert "<h1>Motioner</h1>" in html
    assert "Motions to the council." not in html


def test_a_title_without_english_is_marked_swedish(english, public_site):
    html = english.get(public_site.privacy.url).content.decode()

    assert '<h1 lang="sv">Personuppgifter</h1>' in html
    assert re.search(r'<div class="rich-text" lang="sv">\s*<p>Så behandlar vi', html)


def test_the_breadcrumb_of_a_record_shows_the_english_title(english, public_site):
    _set(public_site.motions, title_en="Motions")
    party = PartyFactory(body=public_site.body)

    html = english.get(public_site.motions.url + f"parti/{party.slug}/").content.decode()

    assert f'href="{public_site.motions_url}">Motions</a>' in html


def _motion_page(site):
    motion = MotionFactory(
        body=site.body,
        title="Fler cykelbanor i centrum",
        clauses=["att kommunen bygger cykelbanor"],
        text="<p>Vi föreslår cykelbanor.</p>",
    )
    DecisionFactory(motion=motion, text="<p>Fullmäktige bifaller motionen.</p>")
    return motion


def test_record_text_is_marked_swedish_on_the_english_motion_page(english, public_site):
    html = english.get(_motion_page(public_site).get_url()).content.decode()

    assert '<h1 lang="sv">Fler cykelbanor i centrum</h1>' in html
    assert '<p class="clause__text" lang="sv">att kommunen bygger cykelbanor</p>' in html
    assert re.search(r'lang="sv">\s*<p>Vi föreslår cykelbanor.</p>', html)
    assert re.search(r'lang="sv">\s*<p>Fullmäktige bifaller motionen.</p>', html)
    assert '<h2 id="motion-text">The motion</h2>' in html  # the page's own text stays English


def test_the_swedish_motion_page_has_no_extra_lang_attributes(client, public_site):
    html = client.get(_motion_page(public_site).get_url()).content.decode()

    assert "<h1>Fler cykelbanor i centrum</h1>" in html
    # only <html> and the language switch's own button say which language they are in
    assert html.count('lang="sv"') == 2


def test_record_titles_in_lists_are_marked_swedish(english, public_site):
    MotionFactory(body=public_site.body, title="Fler parkbänkar")

    html = english.get(public_site.motions_url).content.decode()

    assert re.search(r'<h3 class="motion-row__title" lang="sv"><a [^>]*>Fler parkbänkar</a>', html)


def test_commitment_text_is_marked_swedish(english, public_site):
    public_site.home.add_child(
        instance=FollowUpIndexPage(
            title="Uppföljning", title_en="Follow-up", slug="uppfoljning", body=public_site.body
        )
    )
    commitment = CommitmentFactory(
        decision__motion__body=public_site.body, title="Bygga cykelbanor"
    )
    FollowUpFactory(commitment=commitment, narrative="Två av tre sträckor är klara.")

    html = english.get(commitment.get_url()).content.decode()

    assert '<h1 lang="sv">Bygga cykelbanor</h1>' in html
    assert '<p class="lead" lang="sv">' in html
    assert '<p lang="sv">Två av tre sträckor är klara.</p>' in html
    assert '">Follow-up</a></p>' in html  # the breadcrumb in English


def test_marking_swedish_text_adds_no_query(client, public_site):
    url = _motion_page(public_site).get_url()
    counts = []
    for language in ("sv", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        client.get(url)  # warm the index-URL cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
