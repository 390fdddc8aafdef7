"""REQ-PRIV-02 beyond the records: the site's own pages and the organisation's lookup tables
(names of parties, people, organs, areas) are public too, and checked the same way."""

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry
from wagtail.test.utils.form_data import rich_text

from motions.forms import PERSONAL_IDS_CHECKED, PERSONAL_IDS_LOG_ACTION
from motions.models import Party
from tests.motions.test_integrity import read_form
from tests.motions.test_personal_id_publish import PERSONNUMMER, PUBLISH, confirmations, flags

pytestmark = pytest.mark.django_db


def edit_page(client, page, body, **extra):
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = read_form(client.get(url), "page-edit-form")
    return client.post(url, {**data, "body": rich_text(body), **extra})


def test_a_page_is_not_published_with_a_personnummer_until_confirmed(
    client, superuser, public_site
):
    privacy = public_site.privacy
    body = f"<p>Kontakta dataskyddsombudet ({PERSONNUMMER}).</p>"

    refused = edit_page(client, privacy, body, **PUBLISH)

    assert refused.status_code == 200
    assert list(flags(refused)) == ["Text"]
    privacy.refresh_from_db()
    assert PERSONNUMMER not in privacy.body
    assert PERSONNUMMER not in client.get(privacy.url).text

    as_draft = edit_page(client, privacy, body)  # "Spara utkast" is not checked
    assert as_draft.status_code == 302
    privacy.refresh_from_db()
    assert privacy.has_unpublished_changes
    assert PERSONNUMMER not in client.get(privacy.url).text

    confirmed = edit_page(client, privacy, body, **PUBLISH, **{PERSONAL_IDS_CHECKED: "on"})
    assert confirmed.status_code == 302
    assert PERSONNUMMER in client.get(privacy.url).text
    assert PageLogEntry.objects.filter(page=privacy, action=PERSONAL_IDS_LOG_ACTION).exists()


def test_a_party_name_is_checked_on_every_save(client, superuser, public_site):
    """Lookup tables have no drafts: what is saved is public at once."""
    url = reverse("wagtailsnippets_motions_party:add")
    data = {**read_form(client.get(url)), "body": public_site.body.pk, "slug": "ny"}
    data.update(name=f"Lista {PERSONNUMMER}", abbreviation="L")

    refused = client.post(url, data)

    assert refused.status_code == 200
    assert list(flags(refused)) == ["Namn"]
    assert not Party.objects.filter(slug="ny").exists()

    confirmed = client.post(url, {**data, PERSONAL_IDS_CHECKED: "on"})
    assert confirmed.status_code == 302
    assert confirmations(Party.objects.get(slug="ny")).exists()


def test_a_new_page_published_with_a_confirmed_personnummer_is_logged(
    client, superuser, public_site
):
    url = reverse("wagtailadmin_pages:add", args=["cms", "contentpage", public_site.home.pk])
    data = read_form(client.get(url), "page-edit-form")
    data.update(title="Kontakt", slug="kontakt", body=rich_text(f"<p>{PERSONNUMMER}</p>"))

    assert list(flags(client.post(url, {**data, **PUBLISH}))) == ["Text"]
    confirmed = client.post(url, {**data, **PUBLISH, PERSONAL_IDS_CHECKED: "on"})

    assert confirmed.status_code == 302
    page = public_site.home.get_children().get(slug="kontakt")
    assert page.live
    assert PageLogEntry.objects.filter(page=page, action=PERSONAL_IDS_LOG_ACTION).exists()
