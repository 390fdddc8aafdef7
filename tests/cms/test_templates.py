"""The public HTML: the motion's story, the list's filters and pages, the footer, Swedish and the error pages."""

import gettext
import re
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.template import loader
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from motions import services
from motions.models import Outcome
from tests.factories import (
    DecisionFactory,
    MotionFactory,
    PartyFactory,
    PersonFactory,
    ProposalFactory,
)

PO_FILE = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def test_motion_page_strikes_out_the_old_proposal_and_inserts_the_new(client, public_site):
    party = PartyFactory(body=public_site.body, name="Moderaterna", abbreviation="M")
    motion = MotionFactory(
        body=public_site.body,
        party=party,
        person=PersonFactory(body=public_site.body, name="Anna Christensen"),
    )
    proposal = ProposalFactory(motion=motion, outcomes={1: Outcome.ANSWERED, 2: Outcome.ANSWERED})
    services.proposal_revise(
        proposal=proposal, outcomes={1: Outcome.APPROVED, 2: Outcome.ANSWERED}, text=""
    )

    html = client.get(motion.get_url()).content.decode()

    assert "Anna Christensen" in html
    assert ">M</abbr>" in html
    # Swedish is the default language: the outcome labels come from the model choices.
    assert re.search(r"<del>.*anses besvarad</del>\s*<ins>.*bifalls</ins>", html)
    assert "Tidigare förslag, struket:" in html  # what screen readers hear for the <del>
    assert html.count("<del>") == 1  # clause 2 did not change


def test_list_filters_keep_each_other_and_can_be_removed_one_by_one(client, public_site):
    party = PartyFactory(body=public_site.body, abbreviation="M", slug="m")
    for _ in range(27):
        MotionFactory(body=public_site.body, party=party)

    html = client.get(public_site.motions_url, {"party": "m", "year": "2024"}).content.decode()

    assert '<label for="id_party">' in html
    assert "27 motioner" in html
    assert 'href="?party=m&amp;year=2024&amp;page=2"' in html  # the next page keeps the filters
    assert 'href="?party=m"' in html  # removes only the year
    assert 'href="?year=2024"' in html  # removes only the party


def test_list_query_count_does_not_grow_with_the_rows(
    client, public_site, django_assert_max_num_queries
):
    party = PartyFactory(body=public_site.body)
    counts = []
    for total in (2, 12):
        for _ in range(total - public_site.body.motions.count()):
            MotionFactory(body=public_site.body, party=party)
        client.get(public_site.motions_url)  # warm the index-URL cache
        with django_assert_max_num_queries(25), CaptureQueriesContext(connection) as queries:
            assert client.get(public_site.motions_url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def _motion_with_story(site, size):
    """A motion whose story grows with `size`: clauses, submitters, reservations and statements."""
    parties = [PartyFactory(body=site.body) for _ in range(size)]
    people = [PersonFactory(body=site.body) for _ in range(size)]
    motion = MotionFactory(
        body=site.body,
        clauses=[f"att kommunen gör sak {n}" for n in range(size)],
        submitters=[
            {"person": person, "party": party}
            for person, party in zip(people, parties, strict=True)
        ],
    )
    everyone = [
        {"person": person, "party": party} for person, party in zip(people, parties, strict=True)
    ]
    ProposalFactory(
        motion=motion, reservations=[{**who, "text": "Vi reserverar oss."} for who in everyone]
    )
    DecisionFactory(
        motion=motion,
        statements=[{**who, "kind": "minuted", "text": "Anteckning."} for who in everyone],
    )
    return motion


def test_motion_page_query_count_does_not_grow_with_the_story(client, public_site):
    counts = []
    for size in (1, 5):
        url = _motion_with_story(public_site, size).get_url()
        client.get(url)  # warm the index-URL cache
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_every_page_links_the_accessibility_statement_and_privacy_notice(client, public_site):
    html = client.get(public_site.motions_url).content.decode()

    assert f'href="{public_site.accessibility.url}"' in html
    assert f'href="{public_site.privacy.url}"' in html
    assert '<main id="main"' in html
    assert 'href="#main"' in html
    assert '<html lang="sv">' in html


def test_accessibility_statement_shows_what_digg_requires(client, public_site):
    html = client.get(public_site.accessibility.url).content.decode()

    for required in [
        public_site.body.name,
        "delvis förenlig",
        "12 § DOS-lagen",
        "9 § DOS-lagen",
        "Självskattning",
        "15 januari 2025",
        "mailto:tillganglighet@example.org",
        "https://www.digg.se/tdosanmalan",
    ]:
        assert required in html, required


def test_language_switch_shows_the_site_in_english(client, public_site):
    client.post("/i18n/setlang/", {"language": "en", "next": public_site.motions_url})

    html = client.get(public_site.motions_url).content.decode()

    assert '<html lang="en">' in html
    assert "Filter motions" in html


def test_server_error_page_renders_without_a_request_or_database():
    """No django_db mark: pytest-django makes any query here fail the test."""
    with translation.override("sv"):
        html = loader.get_template("500.html").render()
    assert "Något gick fel" in html


def _entries():
    return PO_FILE.read_text(encoding="utf-8").split("\n\n")[1:]  # the first entry is the header


def test_every_message_has_a_swedish_translation():
    """A missing or fuzzy msgstr shows English (or a guess) in the Swedish UI."""
    untranslated = [
        e for e in _entries() if re.fullmatch(r'msgstr(\[\d\])? ""', e.strip().splitlines()[-1])
    ]
    fuzzy = [e for e in _entries() if "#, fuzzy" in e]
    assert not untranslated, untranslated[:5]
    assert not fuzzy, fuzzy[:5]


def test_compiled_catalogue_matches_the_po_file():
    """The .mo is committed so a fresh machine needs no gettext; it must not lag the .po."""
    with PO_FILE.with_suffix(".mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    entries = [
        (
            re.search(r'^msgctxt "(.+)"$', e.strip(), re.M),
            re.search(r'^msgid "(.+)"\nmsgstr "(.+)"$', e.strip(), re.M),
        )
        for e in _entries()
        if "msgid_plural" not in e
    ]

    def unquote(text):
        return text.replace('\\"', '"')

    stale = [
        m[1]
        for context, m in entries
        if m
        and (
            catalogue.pgettext(unquote(context[1]), unquote(m[1]))
            if context
            else catalogue.gettext(unquote(m[1]))
        )
        != unquote(m[2])
    ]
    assert not stale, f"run compilemessages -l sv; stale: {stale[:5]}"
