"""Rich text is sanitised on its way into the database: the sanitiser keeps Wagtail's stored
format, and every way of writing a rich-text field stores what it returns."""

from datetime import date

import pytest
from django.apps import apps
from django.db import connection
from django.template import Context, Template
from wagtail.fields import RichTextField
from wagtail.models import Page

from motions import services
from motions.models import CommitteeProposal, Decision, Motion
from motions.richtext import SanitisedRichTextField, paragraphs, sanitise, sanitise_stored
from tests.factories import MotionFactory, ProposalFactory
from tests.security.xss import PAYLOADS, html_problems

HOSTILE = [
    *PAYLOADS.values(),
    # Through Wagtail's link rewriter, which reads tags with a regular expression: a `>` left
    # in an attribute value would end the tag early and let the rest through as markup.
    '<a linktype="zzz" id="><script>alert(1)</script>">x</a>',
    '<embed embedtype="image" alt="/><script>alert(1)</script>" id="1" format="left"/>',
]

# What Draftail stores: block keys, page and document links, an image, a rule, a list.
WAGTAIL_FORMAT = (
    '<h2 data-block-key="k1">Rubrik</h2>'
    '<p data-block-key="k2">Se <a linktype="page" id="3">sidan</a>, '
    '<a linktype="document" id="7">beslutet</a>, <a href="https://www.boras.se/?a=1&amp;b=2">'
    'Borås</a>, <a href="mailto:kf@example.org">e-post</a> och <a href="#bilaga">bilagan</a>.'
    "<br/><b>Fet</b> <i>kursiv</i></p>"
    '<embed alt="Karta över Norrby" embedtype="image" format="left" id="1"/><hr/>'
    '<ul><li data-block-key="k3">ett</li><li data-block-key="k4">två</li></ul>'
)


def render(html: str) -> str:
    """Stored rich text as a public page shows it."""
    return Template("{% load wagtailcore_tags %}{{ html|richtext }}").render(
        Context({"html": html})
    )


@pytest.mark.parametrize("payload", HOSTILE)
def test_the_sanitiser_leaves_nothing_that_runs(payload):
    # <embed embedtype="image"> is Wagtail's stored placeholder, replaced when rendered.
    assert [p for p in html_problems(sanitise(payload)) if p != "<embed>"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("payload", HOSTILE)
def test_sanitised_text_stays_inert_once_wagtail_expands_its_links(payload):
    assert html_problems(render(sanitise(payload))) == []


def test_wagtails_stored_format_comes_back_unchanged():
    assert sanitise(WAGTAIL_FORMAT) == WAGTAIL_FORMAT


@pytest.mark.parametrize("text", [WAGTAIL_FORMAT, *HOSTILE])
def test_a_second_pass_changes_nothing(text):
    """So re-saving a row, or a revision published later, does not churn its text."""
    once = sanitise(text)
    assert sanitise(once) == once


@pytest.mark.django_db
@pytest.mark.parametrize(
    "broken",
    [
        '<a linktype="page" id="sida">x</a>',
        '<a linktype="page">x</a>',
        '<embed embedtype="image" id="1" format="affisch"/>',
        '<embed embedtype="image" format="left"/>',
        '<embed embedtype="media" url="javascript:alert(1)"/>',
    ],
)
def test_a_malformed_link_or_image_is_dropped_so_the_page_still_renders(broken):
    """Wagtail would fail on these when it renders the page (a 500 for every visitor)."""
    clean = sanitise(f"<p>före {broken} efter</p>")
    assert "linktype" not in clean
    assert "embed" not in clean
    assert "före" in render(clean)


def test_typed_text_becomes_escaped_paragraphs():
    assert paragraphs('Rad ett\r\nrad två\rrad tre\n\n\n<script>alert(1)</script> & "x"\n') == (
        "<p>Rad ett<br/>rad två<br/>rad tre</p>"
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;</p>"
    )
    assert paragraphs("  \n ") == ""


def test_every_rich_text_field_of_the_site_is_sanitised():
    """A rich-text field declared with Wagtail's own class would store what it is given."""
    fields = [
        f"{model._meta.label}.{field.name}"
        for app in ("motions", "plans", "cms", "subscriptions")
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, RichTextField) and not isinstance(field, SanitisedRichTextField)
    ]
    assert fields == []


@pytest.mark.django_db
def test_a_service_save_stores_and_keeps_the_sanitised_text(public_site):
    motion = MotionFactory(body=public_site.body, text=PAYLOADS["img onerror"] + "<p>kvar</p>")
    assert motion.text == "<p>kvar</p>"  # the saved instance holds what was stored
    assert Motion.objects.get(pk=motion.pk).text == "<p>kvar</p>"
    assert motion.latest_revision.content["text"] == "<p>kvar</p>"


@pytest.mark.django_db
def test_queryset_writes_store_sanitised_text():
    motion = MotionFactory()
    Motion.objects.filter(pk=motion.pk).update(text=PAYLOADS["script"] + "<p>update</p>")
    assert Motion.objects.get(pk=motion.pk).text == "<p>update</p>"
    motion.text = PAYLOADS["javascript link"]
    Motion.objects.bulk_update([motion], ["text"])
    assert Motion.objects.get(pk=motion.pk).text == "<a>klicka</a>"


@pytest.mark.django_db
def test_a_draft_revision_and_the_revision_published_later_hold_sanitised_text():
    """A draft lives only in its revision; publishing it later writes the row from the revision."""
    proposal = ProposalFactory()
    services.proposal_revise(
        proposal=proposal,
        outcomes={1: "approved", 2: "approved"},
        text=PAYLOADS["svg onload"] + "<p>utkast</p>",
        publish=False,
    )
    revision = CommitteeProposal.objects.get(pk=proposal.pk).latest_revision
    assert revision.content["text"] == "<p>utkast</p>"
    revision.content["text"] = PAYLOADS["script"] + "<p>inläst</p>"  # e.g. an import
    revision.save()
    revision.publish()
    assert CommitteeProposal.objects.get(pk=proposal.pk).text == "<p>inläst</p>"


@pytest.mark.django_db
def test_a_page_revision_published_later_stores_sanitised_text(public_site):
    home = public_site.home
    home.intro = "<p>Välkommen</p>" + PAYLOADS["img onerror"]
    home.save_revision().publish()
    assert Page.objects.get(pk=home.pk).specific.intro == "<p>Välkommen</p>"


@pytest.mark.django_db
def test_text_stored_before_the_sanitiser_is_cleaned_in_batches_changing_only_dirty_rows():
    """What the data migration runs: raw rows from before (e.g. the old proposal form)."""
    clean, *dirty = [MotionFactory(submitted_on=date(2024, 1, n)) for n in range(1, 5)]
    with connection.cursor() as cursor:  # around the field, as the old code left the rows
        for motion in dirty:
            cursor.execute(
                f"UPDATE {Motion._meta.db_table} SET text = %s WHERE id = %s",
                [PAYLOADS["script"] + "<p>gammal</p>", motion.pk],
            )
        cursor.execute(
            f"UPDATE {Motion._meta.db_table} SET text = %s WHERE id = %s",
            ["<p>redan ren</p>", clean.pk],
        )
    assert sanitise_stored(Motion, ["text"], batch_size=2) == 3
    assert {m.text for m in Motion.objects.all()} == {"<p>gammal</p>", "<p>redan ren</p>"}
    assert sanitise_stored(Decision, ["text"], batch_size=2) == 0
