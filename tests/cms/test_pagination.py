"""Deep list pages read ids first and then their rows: the order and contents must not change."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import MotionFactory


def test_later_pages_show_the_next_motions_newest_first(client, public_site):
    start = date(2024, 1, 1)
    for day in range(30):
        MotionFactory(
            body=public_site.body,
            submitted_on=start + timedelta(days=day),
            title=f"Motion nummer {day:02d}",
        )

    first = client.get(public_site.motions_url).content.decode()
    second = client.get(public_site.motions_url, {"page": 2}).content.decode()

    # 30 motions, 25 a page: page 2 holds the five oldest, oldest last.
    assert "Motion nummer 05" in first
    assert "Motion nummer 04" not in first
    titles = [f"Motion nummer {day:02d}" for day in (4, 3, 2, 1, 0)]
    positions = [second.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "Motion nummer 05" not in second


def test_a_deep_page_costs_the_same_queries_as_page_two(
    client, public_site, django_assert_max_num_queries
):
    for day in range(60):
        MotionFactory(body=public_site.body, submitted_on=date(2024, 1, 1) + timedelta(days=day))
    client.get(public_site.motions_url, {"page": 2})  # warm the index-URL cache
    with CaptureQueriesContext(connection) as page_two:
        client.get(public_site.motions_url, {"page": 2})
    with django_assert_max_num_queries(len(page_two)):
        response = client.get(public_site.motions_url, {"page": 3})
    assert response.status_code == 200
