"""One Wagtail site per municipality: the request's municipality by hostname or by the
portal's path fallback, each site's own name, colour and footer pages, the portal's list,
the API's `body` rule, follow pages, and e-mail links to the municipality's own site."""

import re

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import RequestFactory
from wagtail.models import Site

from cms import sites
from cms.models import PALETTE, Colour, HomePage
from subscriptions import services
from subscriptions.models import Subscription
from tests.factories import BodyFactory, DecisionFactory, MotionFactory

pytestmark = pytest.mark.django_db


def page(client, path, host="localhost"):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, (host, path, response.status_code)
    return response.content.decode()


# --- the request's municipality -------------------------------------------------------------


def test_the_hostname_or_the_portals_path_names_the_municipality(client, municipalities):
    boras, vasteras = municipalities
    factory = RequestFactory()

    def body_of(path, host):
        request = factory.get(path, HTTP_HOST=host)
        request._wagtail_site = sites.resolve(request)[0]
        return sites.request_body_id(request)

    assert body_of("/", "boras.localhost") == boras.body.pk
    assert body_of("/", "vasteras.localhost") == vasteras.body.pk
    assert body_of("/boras/motioner/", "localhost") == boras.body.pk
    assert body_of("/boras/", "127.0.0.1") == boras.body.pk  # any host of the portal
    assert body_of("/", "localhost") is None  # the portal is no municipality's
    assert body_of("/sok/", "localhost") is None
    assert body_of("/vasteras/", "boras.localhost") == boras.body.pk  # no fallback there


def test_the_site_map_is_cached_and_forgotten_when_a_site_is_saved(municipalities):
    boras, _vasteras = municipalities
    sites.site_map()
    request = RequestFactory().get("/", HTTP_HOST="kungalv.localhost")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert sites.resolve(request)[0].is_default_site  # unknown host: the portal
    assert len(queries) == 0

    Site.objects.create(hostname="kungalv.localhost", root_page=boras.home)
    assert sites.resolve(request)[0].hostname == "kungalv.localhost"


def test_a_path_without_its_slash_goes_to_the_municipalitys_home(client, municipalities):
    response = client.get("/boras?x=1", HTTP_HOST="localhost")
    assert response.status_code == 301
    assert response["Location"] == "/boras/?x=1"


def test_a_page_not_found_under_a_municipalitys_path_leads_back_to_its_home(client, municipalities):
    response = client.get("/boras/finns-inte/", HTTP_HOST="localhost")
    assert response.status_code == 404
    main = response.content.decode().split('<main id="main"', 1)[1]
    assert '<a href="/boras/">' in main


def test_record_links_made_without_a_request_point_to_the_municipalitys_own_site(
    municipalities,
):
    boras, vasteras = municipalities
    assert boras.motion.get_url() == f"http://boras.localhost/motioner/{boras.motion.slug}/"
    assert vasteras.commitment.get_url() == (
        f"http://vasteras.localhost/uppfoljning/{vasteras.commitment.slug}/"
    )


# --- the portal and each site's own settings -------------------------------------------------


def test_the_portal_lists_the_municipalities_with_links_to_each(client, municipalities):
    html = page(client, "/")
    for m in municipalities:
        assert f'<a href="/{m.slug}/">{m.name}</a>' in html
        assert f'href="http://{m.host}/"' in html
        assert m.marker not in html  # a list of municipalities, not their records
    assert "<title>Alla kommuner – Beslutsspår</title>" in html


@pytest.mark.parametrize("which", [0, 1])
@pytest.mark.parametrize("by", ["host", "path"])
def test_title_header_and_footer_are_the_municipalitys_own(client, municipalities, which, by):
    own, other = municipalities[which], municipalities[1 - which]
    host, prefix = (own.host, "") if by == "host" else ("localhost", f"/{own.slug}")
    html = page(client, f"{prefix}/motioner/", host)

    assert f"<title>Motioner – {own.name}</title>" in html
    assert f'<span class="site-name__org">{own.name}</span>' in html
    assert f'<body class="theme-{"blue" if own.slug == "boras" else "red"}">' in html
    assert f'href="{prefix}/personuppgifter/">' in html
    assert f'href="{prefix}/tillganglighet/">' in html
    assert f"Kommunstyrelsen i {own.name}" in html
    assert f"mailto:kommun@{own.slug}.example" in html
    assert other.name not in html
    privacy = page(client, f"{prefix}/personuppgifter/", host)
    assert f"Kommunstyrelsen i {own.name} är personuppgiftsansvarig" in privacy
    statement = page(client, f"{prefix}/tillganglighet/", host)
    assert f"tillganglighet@{own.slug}.example" in statement


def _luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_every_colour_of_the_palette_has_contrast_with_white_and_is_in_the_stylesheet():
    css = (django_settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    assert set(PALETTE) == set(Colour)
    for colour, value in PALETTE.items():
        ratio = (1 + 0.05) / (_luminance(value) + 0.05)  # white text on it, it on white
        assert ratio >= 4.5, (colour, value, ratio)
        assert f".theme-{colour} {{ --brand: {value}; }}" in css


# --- the API's municipality -----------------------------------------------------------------


def test_on_a_municipalitys_site_the_api_body_may_only_name_its_own(client, municipalities):
    boras, vasteras = municipalities
    other = client.get("/api/v1/motions?body=vasteras", HTTP_HOST=boras.host)
    assert other.status_code == 404
    assert "one municipality's records" in other.json()["detail"]
    own = client.get("/api/v1/motions?body=boras", HTTP_HOST=boras.host).json()
    assert [row["id"] for row in own["data"]] == [boras.motion.pk]
    unknown = client.get("/api/v1/motions?body=ingenstans", HTTP_HOST=boras.host)
    assert unknown.status_code == 400

    portal = client.get("/api/v1/motions?body=vasteras", HTTP_HOST="localhost").json()
    assert [row["id"] for row in portal["data"]] == [vasteras.motion.pk]
    everyone = client.get("/api/v1/motions", HTTP_HOST="localhost").json()
    assert {row["id"] for row in everyone["data"]} == {boras.motion.pk, vasteras.motion.pk}


# --- following and e-mail ---------------------------------------------------------------------


def test_a_site_follows_only_its_own_records(client, municipalities):
    boras, vasteras = municipalities
    key = services.target_key(vasteras.motion)
    html = page(client, f"/folj/?target={key}", boras.host)
    assert vasteras.marker not in html
    assert '<p role="alert">' in html  # "This cannot be followed."
    response = client.post(
        "/folj/",
        {"email": "anna@example.org", "frequency": "immediate", "target": key},
        HTTP_HOST=boras.host,
    )
    assert response.status_code == 400
    assert not Subscription.objects.exists()


def test_e_mail_links_point_to_the_municipalitys_own_site(
    client, municipalities, django_capture_on_commit_callbacks
):
    boras, _vasteras = municipalities
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/boras/folj/",  # on the portal's path fallback
            {
                "email": "anna@example.org",
                "frequency": "immediate",
                "target": services.target_key(boras.motion),
            },
            HTTP_HOST="localhost",
        )
    assert response.status_code == 200
    [confirmation] = mail.outbox
    links = re.findall(r"https?://\S+", confirmation.body)
    assert links
    assert all(link.startswith("http://boras.localhost/folj/") for link in links), links
    assert confirmation.extra_headers["List-Unsubscribe"].startswith(
        "<http://boras.localhost/folj/avsluta/"
    )

    # The link opens on the municipality's own site, and only there.
    confirm = next(link for link in links if "/bekrafta/" in link).removeprefix(
        "http://boras.localhost"
    )
    assert client.get(confirm, HTTP_HOST="vasteras.localhost").status_code == 404
    assert client.post(confirm, HTTP_HOST=boras.host).status_code == 200

    # A decision on the followed motion, published from a task: its mail links to Borås's site.
    mail.outbox.clear()
    motion = MotionFactory(body=boras.body, title="Kanelbulle till alla")
    subscription = Subscription.objects.get()
    subscription.object_id = motion.pk
    subscription.save()
    with django_capture_on_commit_callbacks(execute=True):
        DecisionFactory(motion=motion)
    [notification] = mail.outbox
    assert f"http://boras.localhost/motioner/{motion.slug}/" in notification.body
    assert all(
        link.startswith("http://boras.localhost/")
        for link in re.findall(r"https?://\S+", notification.body)
    )


def test_one_site_alone_keeps_relative_links_and_the_base_url_in_e_mails(public_site):
    """An installation of one municipality (its home page as the default site's root)."""
    motion = MotionFactory(body=public_site.body)
    assert motion.get_url() == f"/motioner/{motion.slug}/"
    assert services.site_url(type(motion), motion.pk) == django_settings.WAGTAILADMIN_BASE_URL


def test_a_home_page_without_a_site_of_its_own_is_no_municipality_site(municipalities):
    body = BodyFactory(slug="kungalv")
    boras, _vasteras = municipalities
    boras.home.get_parent().add_child(instance=HomePage(title="Kungälv", slug="kungalv", body=body))
    request = RequestFactory().get("/kungalv/", HTTP_HOST="localhost")
    site, slug = sites.resolve(request)
    assert site.is_default_site
    assert slug == ""
