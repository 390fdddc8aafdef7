"""The search page /sok/: published records only, grouped, highlighted, paginated, kept up to date."""

import pytest
from django.db import connection

from motions import services
from motions.models import Motion
from tests.factories import CommitmentFactory, DecisionFactory, FollowUpFactory, MotionFactory

pytestmark = pytest.mark.django_db


def test_finds_motions_by_title_and_clause_and_highlights_them(client, public_site):
    MotionFactory(
        body=public_site.body,
        title="Fler bänkar i parken",
        clauses=["att kommunen planterar lindträd", "att kommunen återrapporterar"],
    )
    page = client.get("/sok/", {"q": "parken"})
    assert page.status_code == 200
    assert "<mark>parken</mark>" in page.content.decode()
    by_clause = client.get("/sok/", {"q": "lindträd"}).content.decode()
    assert "Fler bänkar i" in by_clause
    assert "<mark>lindträd</mark>" in by_clause


def test_results_are_grouped_by_type(client, public_site):
    motion = MotionFactory(body=public_site.body, title="Cykelbana längs Viskan")
    DecisionFactory(motion=motion, title="Beslut om cykelbana längs Viskan")
    html = client.get("/sok/", {"q": "Viskan"}).content.decode()
    assert 'id="group-motioner"' in html
    assert 'id="group-beslut"' in html
    assert "Beslut om cykelbana längs <mark>Viskan</mark>" in html


def test_draft_is_never_found_and_published_motion_is_found_at_once(client, public_site):
    draft = MotionFactory(body=public_site.body, title="Hemligt förslag zebrafink", publish=False)
    hidden = client.get("/sok/", {"q": "zebrafink"})
    assert 'class="search-result"' not in hidden.content.decode()
    assert all(g.count == 0 for g in hidden.context["groups"])
    services.motion_publish(motion=draft)  # no update_index: the signal keeps the index current
    assert "<mark>zebrafink</mark>" in client.get("/sok/", {"q": "zebrafink"}).content.decode()


def test_an_expired_record_is_neither_shown_nor_counted(client, public_site):
    """Wagtail expires a record at its expiry date: it leaves the site, so search too."""
    motion = MotionFactory(body=public_site.body, title="Tillfällig motion om myrstackar")
    Motion.objects.filter(pk=motion.pk).update(expired=True)
    response = client.get("/sok/", {"q": "myrstackar"})
    assert all(group.count == 0 for group in response.context["groups"])
    assert 'class="search-result"' not in response.content.decode()


def test_query_is_escaped(client, public_site):
    MotionFactory(body=public_site.body, title="Skolgårdar")
    html = client.get("/sok/", {"q": "<script>alert(1)</script> Skolgårdar"}).content.decode()
    assert "<script>alert(1)</script>" not in html


def test_form_is_labelled(client, public_site):
    html = client.get("/sok/").content.decode()
    assert '<label for="search-q">' in html
    assert 'id="search-q"' in html


def test_one_type_is_paginated_and_a_page_past_the_end_is_explained(client, public_site):
    for n in range(23):
        MotionFactory(body=public_site.body, title=f"Gatubelysning etapp {n}")
    first = client.get("/sok/", {"q": "Gatubelysning", "typ": "motioner"}).content.decode()
    assert first.count('class="search-result"') == 20
    assert "sida=2" in first
    second = client.get(
        "/sok/", {"q": "Gatubelysning", "typ": "motioner", "sida": 2}
    ).content.decode()
    assert second.count('class="search-result"') == 3
    beyond = client.get("/sok/", {"q": "Gatubelysning", "typ": "motioner", "sida": 99})
    assert beyond.status_code == 404
    assert "2" in beyond.context["error"]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"q": "x" * 500}, 400),
        ({"q": "park", "typ": "nope"}, 400),
        ({"q": "park", "typ": "motioner", "sida": "abc"}, 400),
    ],
)
def test_bad_input_is_a_clear_message(client, public_site, params, status):
    response = client.get("/sok/", params)
    assert response.status_code == status
    assert response.context["error"]


@pytest.mark.parametrize("count", [3, 15])
def test_query_count_is_fixed(client, public_site, django_assert_max_num_queries, count):
    for n in range(count):
        DecisionFactory(
            motion=MotionFactory(body=public_site.body, title=f"Lekplats nummer {n}"),
            title=f"Beslut lekplats {n}",
        )
    client.get("/sok/", {"q": "lekplats"})
    # Per type (motions, decisions, commitments, action plans, follow-ups): count, hits,
    # published re-check; + clauses.
    with django_assert_max_num_queries(19):
        response = client.get("/sok/", {"q": "lekplats"})
    assert response.context["groups"][0].count == count


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Swedish stemming is PostgreSQL's")
def test_swedish_stemming_on_postgresql(client, public_site):
    MotionFactory(body=public_site.body, title="Trygga lekplatser i Norrby")
    html = client.get("/sok/", {"q": "lekplatsen"}).content.decode()
    assert "Trygga lekplatser i Norrby" in html.replace("<mark>", "").replace("</mark>", "")


def test_published_follow_ups_are_found_and_drafts_are_not(client, public_site):
    commitment = CommitmentFactory(
        decision=DecisionFactory(motion=MotionFactory(body=public_site.body))
    )
    FollowUpFactory(commitment=commitment, narrative="Grillplatsen vid Kvarnbacken är byggd.")
    FollowUpFactory(
        commitment=commitment, narrative="Utkast om hemligaste skateparken.", publish=False
    )

    found = client.get("/sok/", {"q": "Kvarnbacken"}).content.decode()
    assert 'id="group-uppfoljningar"' in found
    assert "<mark>Kvarnbacken</mark>" in found

    hidden = client.get("/sok/", {"q": "hemligaste"})
    assert all(group.count == 0 for group in hidden.context["groups"])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the indexes are PostgreSQL's")
def test_postgresql_search_filters_and_joins_on_the_indexed_expressions(public_site):
    """cms 0004 and 0005 index the expressions the backend filters and joins on; if a Wagtail
    upgrade changes them, every search reads the whole index table and model table again."""
    from wagtail.search.backends import get_search_backend
    from wagtail.search.models import IndexEntry

    quote = connection.ops.quote_name
    entries, motions = quote(IndexEntry._meta.db_table), quote(Motion._meta.db_table)
    matches = f'({entries}."title" || {entries}."body") @@'
    joins = f'({motions}."id")::varchar(50)'
    results = get_search_backend().search("park", Motion.objects.filter(live=True))
    sql, _params = results.get_queryset().query.sql_with_params()
    assert matches in sql
    assert joins in sql
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # an empty table is otherwise read whole
        for query in (
            f"SELECT 1 FROM {entries} WHERE {matches} to_tsquery('park')",
            f"SELECT 1 FROM {motions} WHERE {joins} = '1'",
        ):
            cursor.execute(f"EXPLAIN {query}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    assert "cms_searchentry_title_body_gin" in plans[0]
    assert "motions_motion_search_id" in plans[1]
