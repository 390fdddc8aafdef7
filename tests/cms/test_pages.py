"""The public site over HTTP: home, the motion list and page, party and organ pages, 404s,
what must never leak, and the number of queries each page costs."""

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.html import escape

from motions import services
from motions.models import Motion, Outcome, VoteMethod
from tests.factories import (
    AreaFactory,
    DecisionFactory,
    MeetingFactory,
    MotionFactory,
    OrganFactory,
    PartyFactory,
    PersonFactory,
    ProposalFactory,
)

pytestmark = pytest.mark.django_db

A, R, ANS = Outcome.APPROVED, Outcome.REJECTED, Outcome.ANSWERED
BORAS_TITLE = "Inga särskilt utsatta områden ska finnas i Borås!"


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def boras(public_site):
    """Seed 001 in miniature: a motion by (M) with two clauses, KS's proposal changed from
    "anses besvarad" to "bifalls", and the council's decision after a vote with a reservation."""
    body = public_site.body
    moderates = PartyFactory(body=body, name="Moderaterna", abbreviation="M", slug="m")
    social_democrats = PartyFactory(
        body=body, name="Socialdemokraterna", abbreviation="S", slug="s"
    )
    council = OrganFactory(
        body=body, name="Kommunfullmäktige", abbreviation="KF", slug="kf", seats=73
    )
    executive = OrganFactory(
        body=body, name="Kommunstyrelsen", abbreviation="KS", slug="ks", executive=True
    )
    motion = MotionFactory(
        body=body,
        case_number="KS 2023-00987",
        title=BORAS_TITLE,
        submitted_on=date(2023, 12, 21),
        clauses=[
            "att Borås Stad inrättar en handlingsplan för Hulta-Hässleholmen och Norrby",
            "att Borås Stad utreder om Gårdstensmodellen kan användas",
        ],
        submitters=[
            {"person": PersonFactory(body=body, name="Anna Christensen"), "party": moderates}
        ],
    )
    services.motion_refer(motion=motion, organ=executive, sent_on=date(2024, 1, 15))
    proposal = ProposalFactory(
        motion=motion,
        organ=executive,
        proposed_on=date(2024, 8, 28),
        outcomes={1: ANS, 2: ANS},
        text="<p>Motionen anses besvarad.</p>",
    )
    services.proposal_revise(
        proposal=proposal, outcomes={1: A, 2: A}, text="<p>Motionen bifalles.</p>"
    )
    meeting = MeetingFactory(organ=council, date=date(2024, 9, 23))
    decision = DecisionFactory(
        motion=motion,
        meeting=meeting,
        paragraph=187,
        outcomes={1: A, 2: R},
        vote_method=VoteMethod.VOTE,
        votes=(40, 25, 3, 5),
        party_votes=[
            {
                "party": moderates,
                "votes_for": 15,
                "votes_against": 0,
                "votes_abstaining": 0,
                "votes_absent": 1,
            },
            {
                "party": social_democrats,
                "votes_for": 25,
                "votes_against": 25,
                "votes_abstaining": 3,
                "votes_absent": 4,
            },
        ],
        statements=[
            {"party": social_democrats, "text": "Vi reserverar oss mot beslutet om att-sats 1."}
        ],
    )
    return public_site, motion, proposal, decision, council, moderates


def motion_url(site, motion) -> str:
    return f"{site.motions_url}{motion.slug}/"


# --- pages render ---------------------------------------------------------------------------


def test_home_shows_latest_motions_and_decisions(client, boras):
    site, motion, _proposal, decision, *_ = boras
    response = client.get("/")
    assert response.status_code == 200
    content = html(response)
    assert "Senaste motionerna" in content
    assert BORAS_TITLE in content
    assert f'href="{motion_url(site, motion)}"' in content
    assert "§ 187" in content
    assert decision.title in content


def test_motion_list_is_newest_first(client, public_site):
    for year in (2022, 2024, 2023):
        MotionFactory(
            body=public_site.body, submitted_on=date(year, 3, 1), title=f"Motion från {year}"
        )
    content = html(client.get(public_site.motions_url))
    positions = [content.index(f"Motion från {year}") for year in (2024, 2023, 2022)]
    assert positions == sorted(positions)
    assert "3 motioner" in content


def test_motion_list_filters_by_year_status_and_party(client, boras):
    site, _motion, *_rest, moderates = boras
    other = MotionFactory(
        body=site.body, submitted_on=date(2025, 1, 10), title="En motion om cykelvägar"
    )

    by_year = html(client.get(site.motions_url, {"year": 2025}))
    assert "En motion om cykelvägar" in by_year
    assert BORAS_TITLE not in by_year

    by_status = html(client.get(site.motions_url, {"status": "decided"}))
    assert BORAS_TITLE in by_status
    assert other.title not in by_status

    by_party = html(client.get(site.motions_url, {"party": moderates.slug}))
    assert BORAS_TITLE in by_party
    assert other.title not in by_party


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"year": "abc"}, "year", lambda: forms.IntegerField().error_messages["invalid"]),
        (
            {"party": "nope"},
            "party",
            lambda: forms.ModelChoiceField(None).error_messages["invalid_choice"],
        ),
        ({"status": "bogus"}, "status", None),
    ],
)
def test_a_bad_filter_value_is_a_form_error_not_a_crash(client, boras, query, field, message):
    site = boras[0]
    response = client.get(site.motions_url, query)
    assert response.status_code == 200
    content = html(response)
    assert re.search(rf'id="id_{field}[-_]error"', content)  # the message sits beside its field
    if message:
        with translation.override("sv"):
            assert escape(str(message())) in content
    assert BORAS_TITLE in content  # the unfiltered list is still shown


def test_motion_page_shows_the_whole_record(client, boras):
    site, motion, *_ = boras
    response = client.get(motion_url(site, motion))
    assert response.status_code == 200
    content = html(response)
    assert f"<h1>{BORAS_TITLE}</h1>" in content
    assert "KS 2023-00987" in content
    assert "Anna Christensen" in content
    # Clauses with their proposed and decided outcomes.
    assert "Att-satser och utfall" in content
    assert "att Borås Stad inrättar en handlingsplan för Hulta-Hässleholmen och Norrby" in content
    assert 'class="outcome outcome--approved">bifalls<' in content
    assert 'class="outcome outcome--rejected">avslås<' in content
    assert "delvis bifallen" in content.lower()
    # The decision: §, votes per party and the reservation.
    assert "§ 187" in content
    assert "Röster per parti, § 187" in content
    assert "<td>25</td>" in content
    assert "Vi reserverar oss mot beslutet om att-sats 1." in content
    # Both versions of KS's proposal, with what changed struck out and inserted.
    assert "Hur förslaget ändrades" in content
    assert "Version 1" in content
    assert "Version 2" in content
    assert "anses besvarad</del>" in content
    assert "bifalls</ins>" in content
    assert "<del>anses besvarad.</del>" in content
    assert "<ins>bifalles.</ins>" in content


def test_party_and_organ_pages_list_their_motions(client, boras):
    site, _motion, _proposal, _decision, council, moderates = boras
    party_page = client.get(f"{site.motions_url}parti/{moderates.slug}/")
    assert party_page.status_code == 200
    assert "Moderaterna" in html(party_page)
    assert BORAS_TITLE in html(party_page)

    organ_page = client.get(f"{site.motions_url}organ/{council.slug}/")
    assert organ_page.status_code == 200
    assert "Kommunfullmäktige" in html(organ_page)
    assert BORAS_TITLE in html(organ_page)

    quiet_party = PartyFactory(body=site.body)
    assert BORAS_TITLE not in html(client.get(f"{site.motions_url}parti/{quiet_party.slug}/"))


def test_an_area_page_lists_the_published_motions_about_it_and_can_be_followed(client, boras):
    site, motion = boras[0], boras[1]
    norrby = AreaFactory(body=site.body, name="Norrby", slug="norrby")
    in_area = Motion.areas.through.objects.create
    in_area(motion=motion, area=norrby)
    draft = MotionFactory(body=site.body, title="Utkast om Norrby", publish=False)
    in_area(motion=draft, area=norrby)
    elsewhere = MotionFactory(body=site.body, title="Motion om Sjöbo")

    motion_page = html(client.get(motion_url(site, motion)))
    assert f'href="{site.motions_url}omrade/norrby/">Norrby</a>' in motion_page
    response = client.get(f"{site.motions_url}omrade/norrby/")

    assert response.status_code == 200
    content = html(response)
    assert "<h1>Norrby</h1>" in content
    assert BORAS_TITLE in content
    assert draft.title not in content
    assert elsewhere.title not in content
    assert f'value="area:{norrby.pk}"' in content  # the follow form
    assert "/flode/boras/omrade/norrby/" in content


@pytest.mark.parametrize(
    "path",
    [
        "/finns-inte/",
        "/motioner/ks-1999-00000/",
        "/motioner/parti/finns-inte/",
        "/motioner/organ/finns-inte/",
        "/motioner/omrade/finns-inte/",
    ],
)
def test_unknown_urls_give_the_custom_404_page(client, boras, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Sidan hittades inte" in html(response)
    assert "Gå till startsidan" in html(response)


@pytest.mark.parametrize(
    ("page", "status"),
    [("999999", 404), ("0", 400), ("-1", 400), ("abc", 400), ("99999999999999999999999", 400)],
)
def test_out_of_range_page_numbers_give_404_and_malformed_ones_400(client, boras, page, status):
    site = boras[0]
    assert client.get(site.motions_url, {"page": page}).status_code == status
    assert client.get(f"{site.motions_url}parti/m/", {"page": page}).status_code == status


def test_a_party_of_another_municipality_is_not_found_here(client, boras):
    site = boras[0]
    foreign = PartyFactory()  # another Body
    assert client.get(f"{site.motions_url}parti/{foreign.slug}/").status_code == 404


def test_footer_links_to_the_accessibility_statement_and_privacy_notice(client, boras):
    site = boras[0]
    for path in ("/", site.motions_url, motion_url(site, boras[1])):
        content = html(client.get(path))
        assert f'href="{site.accessibility.url}"' in content
        assert "Tillgänglighetsredogörelse" in content
        assert f'href="{site.privacy.url}"' in content
    assert client.get(site.accessibility.url).status_code == 200
    assert client.get(site.privacy.url).status_code == 200


def test_pages_are_in_swedish(client, boras):
    content = html(client.get(boras[0].motions_url))
    assert '<html lang="sv">' in content
    assert "Filtrera motioner" in content


# --- privacy: drafts never reach a public channel ----------------------------------------------

SECRET = "Hemlighetsmakeri"


@pytest.fixture
def draft_motion(boras):
    site, _motion, _proposal, _decision, council, moderates = boras
    draft = MotionFactory(
        body=site.body,
        title=f"{SECRET} i utkastet",
        publish=False,
        case_number="KS 2024-99999",
        submitters=[{"person": PersonFactory(body=site.body), "party": moderates}],
    )
    services.motion_refer(motion=draft, organ=council, sent_on=date(2024, 3, 1))
    DecisionFactory(
        motion=draft,
        meeting=MeetingFactory(organ=council, date=date(2024, 10, 1)),
        title=f"{SECRET} beslut",
        publish=True,
    )
    return draft


def test_a_draft_motion_is_404_and_absent_from_every_page(client, boras, draft_motion):
    site, *_rest, council, moderates = boras
    response = client.get(motion_url(site, draft_motion))
    assert response.status_code == 404
    assert "Sidan hittades inte" in html(response)
    for path in (
        "/",
        site.motions_url,
        f"{site.motions_url}?year=2024",
        f"{site.motions_url}parti/{moderates.slug}/",
        f"{site.motions_url}organ/{council.slug}/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert SECRET not in html(response), path
        assert "KS 2024-99999" not in html(response), path


def test_unpublished_proposal_and_decision_on_a_published_motion_do_not_show(client, public_site):
    motion = MotionFactory(body=public_site.body)
    ProposalFactory(motion=motion, publish=False, text=f"<p>{SECRET} förslag</p>")
    DecisionFactory(motion=motion, publish=False, title=f"{SECRET} beslut", paragraph=4321)
    for path in (motion_url(public_site, motion), "/", public_site.motions_url):
        content = html(client.get(path))
        assert SECRET not in content, path
        assert "4321" not in content, path
    content = html(client.get(motion_url(public_site, motion)))
    assert "Inget förslag ännu" in content


def test_a_draft_revision_of_a_published_proposal_does_not_show(client, public_site):
    """Editing a published proposal without publishing must leave the public page as it was."""
    motion = MotionFactory(body=public_site.body, clauses=["att en sak görs"])
    proposal = ProposalFactory(
        motion=motion, outcomes={1: ANS}, text="<p>Motionen anses besvarad.</p>"
    )
    services.proposal_revise(
        proposal=proposal, outcomes={1: A}, text=f"<p>{SECRET}</p>", publish=False
    )
    content = html(client.get(motion_url(public_site, motion)))
    assert SECRET not in content
    assert "bifalls" not in content
    assert "anses besvarad" in content


# --- query counts: the same on small and large data ---------------------------------------------

# Measured, on SQLite and PostgreSQL alike, with 3 and with 30 motions (each with three clauses,
# a revised proposal and a decision with party votes): the count must not depend on the data.
LIST_QUERIES = 17
DETAIL_QUERIES = 29  # with the decisions' appeals, for the date a decision can be appealed until
HOME_QUERIES = 14  # with the ways in: motions, by area, by party, commitments by target year
AREA_QUERIES = 13


def add_motions(site, count: int):
    """Motions with three clauses, a revised proposal and a decision with votes each."""
    party = PartyFactory(body=site.body)
    council = OrganFactory(body=site.body, seats=5)
    for n in range(count):
        motion = MotionFactory(
            body=site.body,
            party=party,
            clauses=["att a", "att b", "att c"],
            submitted_on=date(2024, 1, 1 + n % 28),
        )
        proposal = ProposalFactory(motion=motion, outcomes={1: ANS, 2: ANS, 3: ANS})
        services.proposal_revise(
            proposal=proposal, outcomes={1: A, 2: R, 3: A}, text="<p>Ändrat</p>"
        )
        DecisionFactory(
            motion=motion,
            meeting=MeetingFactory(organ=council),
            outcomes={1: A, 2: R, 3: A},
            vote_method=VoteMethod.VOTE,
            votes=(3, 2, 0, 0),
            party_votes=[{"party": party, "votes_for": 3, "votes_against": 2}],
            statements=[{"party": party, "text": "Reservation"}],
        )
    return motion


@pytest.mark.parametrize("count", [3, 30])
def test_motion_list_query_count_does_not_grow(
    client, public_site, django_assert_max_num_queries, count
):
    add_motions(public_site, count)
    client.get(public_site.motions_url)  # fill the per-process caches (index URLs, site root)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(public_site.motions_url)
    assert response.status_code == 200
    assert html(response).count('class="motion-row"') == min(count, 25)


@pytest.mark.parametrize("count", [3, 30])
def test_area_page_query_count_does_not_grow(
    client, public_site, django_assert_max_num_queries, count
):
    area = AreaFactory(body=public_site.body)
    add_motions(public_site, count)
    for motion in Motion.objects.all():
        Motion.areas.through.objects.create(motion=motion, area=area)
    url = f"{public_site.motions_url}omrade/{area.slug}/"
    client.get(url)
    with django_assert_max_num_queries(AREA_QUERIES):
        response = client.get(url)
    assert html(response).count('class="motion-row"') == min(count, 25)


@pytest.mark.parametrize("count", [3, 30])
def test_motion_page_query_count_does_not_grow(
    client, public_site, django_assert_max_num_queries, count
):
    last = add_motions(public_site, count)
    client.get("/")  # fill the per-process caches
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = client.get(motion_url(public_site, last))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_home_query_count_does_not_grow(client, public_site, django_assert_max_num_queries, count):
    add_motions(public_site, count)
    client.get("/")
    with django_assert_max_num_queries(HOME_QUERIES):
        assert client.get("/").status_code == 200


# --- settings -----------------------------------------------------------------------------


def run_without_secret(command: list[str], **extra_env) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(DJANGO_SETTINGS_MODULE="cms.settings.base", **extra_env)
    return subprocess.run(
        [sys.executable, *command],
        env=env,
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_site_and_the_workers_refuse_to_start_without_a_secret_key_when_debug_is_off():
    web = run_without_secret(["-c", "import cms.wsgi"])
    assert web.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in web.stderr
    broker = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/3"
    worker = run_without_secret(
        ["-m", "celery", "-A", "cms", "worker", "--pool=solo"], CELERY_BROKER_URL=broker
    )
    assert worker.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in worker.stderr

    started = run_without_secret(["-c", "import cms.wsgi"], SECRET_KEY="x" * 50)
    assert started.returncode == 0, started.stderr


def test_checking_for_missing_migrations_needs_no_secret():
    """A CI step or a developer's tool that only reads the code needs no production secret."""
    result = run_without_secret(["manage.py", "makemigrations", "--check", "--dry-run"])
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_static_files_are_served_by_whitenoise_with_debug_off(client, settings, tmp_path):
    """With DEBUG off Django serves no static files; WhiteNoise serves the collected ones."""
    assert not settings.DEBUG
    # Right after SecurityMiddleware, as WhiteNoise documents, so no other middleware runs for a file.
    middleware = settings.MIDDLEWARE
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") == (
        middleware.index("django.middleware.security.SecurityMiddleware") + 1
    )
    settings.STATIC_ROOT = (
        tmp_path  # what collectstatic fills; read when the client's handler starts
    )
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "site.css").write_text("body { color: #222; }")
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"body { color: #222; }"
    assert response.headers["Content-Type"].startswith("text/css")
