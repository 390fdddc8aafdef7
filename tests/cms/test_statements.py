"""The privacy notice and the accessibility statement the demo publishes say only what is true
of the product: the cookies it sets, how long e-mail follows are kept, the legal basis and the
controller, how accessibility was checked and what is known to fail."""

import re
from datetime import timedelta

import pytest
from django.conf import settings

from cms.management.commands.load_demo import accessibility_statement, controller, privacy_notice
from cms.models import Compliance, SiteSettings
from subscriptions.services import CONFIRM_MAX_AGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(client, public_site):
    page = privacy_notice(public_site.body)
    page.slug = "integritet"  # beside the fixture's own notice
    page = public_site.home.add_child(instance=page)
    site_settings = SiteSettings.for_site(public_site.site)
    site_settings.controller = controller(public_site.body)
    site_settings.save()
    return page


@pytest.fixture
def statement(public_site):
    page = accessibility_statement(public_site.body)
    page.slug = "tillganglighetsredogorelse"
    return public_site.home.add_child(instance=page)


def test_the_notice_names_the_controller_and_the_legal_basis(client, notice, public_site):
    html = client.get(notice.url).content.decode()

    controller_name = SiteSettings.for_site(public_site.site).controller
    assert f"{controller_name} är personuppgiftsansvarig" in html
    assert "artikel 6.1 e" in html


def test_the_notice_names_every_cookie_a_visitor_gets(client, notice, public_site):
    html = client.get(notice.url).content.decode()
    anonymous = client.get(public_site.motions_url).cookies
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    named = set(re.findall(r"<li><b>(\w+)</b>", html))
    for cookie in [*anonymous.keys(), *client.cookies.keys()]:
        assert cookie in named, cookie
    assert named >= {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    assert settings.SESSION_COOKIE_NAME in named
    assert settings.SESSION_COOKIE_NAME not in anonymous  # "only for signed-in staff"
    assert settings.CSRF_COOKIE_AGE == 52 * 7 * 24 * 3600  # "gäller i ett år"
    assert settings.LANGUAGE_COOKIE_AGE is None  # "försvinner när du stänger webbläsaren"
    assert "inga kakor för statistik" in html


def test_the_notice_says_how_long_an_unconfirmed_follow_is_kept(client, notice):
    html = client.get(notice.url).content.decode()

    assert timedelta(days=3) == CONFIRM_MAX_AGE
    assert "inte bekräftas inom tre dagar raderas" in html
    assert "raderas e-postadressen" in html


def test_the_statement_is_honest_about_compliance_and_method(client, statement):
    html = client.get(statement.url).content.decode()

    assert statement.compliance == Compliance.PARTIAL
    assert "delvis förenlig" in html
    assert "kontrolleras inte" in html  # uploaded PDFs: the known failure
    assert "axe-core" in html
    assert "WCAG 2.1" in html
    assert "Någon manuell granskning med skärmläsare" in html  # not claimed as done
    assert 'href="https://www.digg.se/tdosanmalan"' in html
    assert "1 december 2026" in html  # the statement's date
    assert f"mailto:{statement.feedback_email}" in html
