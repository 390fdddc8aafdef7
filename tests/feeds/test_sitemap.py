"""sitemap.xml: the site's pages and every published motion, nothing else."""

from xml.etree import ElementTree

import pytest

from tests.factories import MotionFactory

pytestmark = pytest.mark.django_db
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locations(response):
    assert response.status_code == 200
    return [e.text for e in ElementTree.fromstring(response.content).iter(f"{NS}loc")]


def test_sitemap_index_lists_pages_and_motions(client, public_site):
    published = MotionFactory(body=public_site.body)
    draft = MotionFactory(body=public_site.body, publish=False)
    sections = locations(client.get("/sitemap.xml"))
    assert "http://testserver/sitemap-sider.xml" in sections
    assert "http://testserver/sitemap-motioner.xml" in sections
    motions = locations(client.get("/sitemap-motioner.xml"))
    assert motions == [f"http://testserver/motioner/{published.slug}/"]
    assert draft.slug not in "".join(motions)
    pages = locations(client.get("/sitemap-sider.xml"))  # Wagtail uses the Site's own hostname
    assert any(url.endswith("/motioner/") for url in pages)
    assert any(url.endswith("/tillganglighet/") for url in pages)


@pytest.mark.parametrize("count", [2, 12])
def test_motion_sitemap_queries_are_fixed(
    client, public_site, django_assert_max_num_queries, count
):
    for _n in range(count):
        MotionFactory(body=public_site.body)
    client.get("/sitemap-motioner.xml")
    with django_assert_max_num_queries(2):
        assert len(locations(client.get("/sitemap-motioner.xml"))) == count


def test_unknown_section_is_404(client, public_site):
    assert client.get("/sitemap-nothing.xml").status_code == 404
