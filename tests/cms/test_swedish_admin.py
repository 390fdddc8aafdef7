"""The admin in Swedish: the pages a secretary uses show no English, Wagtail's own messages
included (cms/admin_messages.py), and booleans read Ja/Nej, not True/False."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from motions.models import Body
from motions.yesno import yes_no
from tests.factories import (
    CommitmentFactory,
    DecisionFactory,
    FollowUpFactory,
    MotionFactory,
    ProposalFactory,
)

# English that Wagtail 8.0's Swedish catalogue left in the admin, and Python's booleans.
ENGLISH = [
    "True",
    "False",
    "Actions (footer)",
    "Autosave is paused",
    "Date updated",
    "Edit account avatar",
    "Exploring",
    "Saved",
    "Show issue",
    "Side panel width",
    "Side panels",
    "Minimap",
    "Any",
    "To be created by",
    "Create a new",
    "There are no",
    "Why not",
    "add one",
    " of ",
]


class VisibleText(HTMLParser):
    """The text a user sees or hears: text nodes outside scripts and styles, and the labels
    given in title, aria-label, placeholder and alt."""

    HIDDEN = {"script", "style", "template"}
    LABELS = {"title", "aria-label", "placeholder", "alt"}

    def __init__(self):
        super().__init__()
        self.hidden = 0
        self.texts = []

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in self.HIDDEN
        self.texts += [value for name, value in attrs if name in self.LABELS and value]

    def handle_endtag(self, tag):
        self.hidden -= tag in self.HIDDEN

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def visible_texts(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.texts


def english_in(texts: list[str]) -> list[str]:
    """The texts holding a known English marker: a whole text, or words inside one."""
    found = []
    for text in texts:
        for marker in ENGLISH:
            whole_word = re.search(rf"(^|\W){re.escape(marker.strip())}(\W|$)", text)
            paginated = marker == " of " and re.search(r"\d+-\d+ of \d+", text)
            if text == marker or (len(marker) > 4 and whole_word) or paginated:
                found.append(text)
    return found


@pytest.fixture
def records(public_site):
    motion = MotionFactory(body=public_site.body)
    proposal = ProposalFactory(motion=motion)
    decision = DecisionFactory(motion=motion)
    commitment = CommitmentFactory(decision=decision)
    followup = FollowUpFactory(commitment=commitment)
    return public_site, motion, proposal, decision, commitment, followup


def secretary_pages(records) -> list[str]:
    site, motion, proposal, decision, commitment, followup = records
    pages = [
        "/admin/",
        reverse("cms_audit_log"),
        reverse("workspace_index"),
        reverse("motions_report_index"),
        reverse("plans_late_reporters"),
        "/admin/reports/page-types-usage/",
        "/admin/settings/cms/sitesettings/",
        "/admin/pages/",
        f"/admin/pages/{site.home.pk}/",
        f"/admin/pages/{site.home.pk}/edit/",
        f"/admin/motions/{motion.pk}/lifecycle/close/",
    ]
    for path, obj in [
        ("motions/motion", motion),
        ("motions/committeeproposal", proposal),
        ("motions/decision", decision),
        ("plans/commitment", commitment),
        ("plans/followup", followup),
        ("motions/body", site.body),
    ]:
        pages += [
            f"/admin/snippets/{path}/",
            f"/admin/snippets/{path}/add/",
            f"/admin/snippets/{path}/edit/{obj.pk}/",
            f"/admin/snippets/{path}/inspect/{obj.pk}/",
            f"/admin/snippets/{path}/history/{obj.pk}/",
        ]
    pages += ["/admin/snippets/motions/appeal/"]  # empty: "There are no ... Why not add one?"
    return pages


def test_the_secretarys_admin_pages_show_no_english(client, superuser, records):
    english = {}
    for url in secretary_pages(records):
        response = client.get(url, follow=True)  # the settings redirect to the site's own
        assert response.status_code == 200, url
        if found := english_in(visible_texts(response.content.decode())):
            english[url] = sorted(set(found))
    assert not english, english


def test_booleans_read_ja_nej_in_lists_and_inspect_views(client, superuser, records):
    body = records[0].body
    body_field = next(
        f.name for f in Body._meta.get_fields() if f.get_internal_type() == "BooleanField"
    )
    value = getattr(body, body_field)

    listed = visible_texts(client.get("/admin/snippets/motions/body/").content.decode())
    inspected = visible_texts(
        client.get(f"/admin/snippets/motions/body/inspect/{body.pk}/").content.decode()
    )

    assert yes_no(value) in ("Ja", "Nej")
    assert "True" not in listed + inspected
    assert "False" not in listed + inspected
    assert yes_no(value) in inspected


@pytest.mark.django_db
def test_wagtails_default_page_workflow_has_a_swedish_name():
    """Created by Wagtail's migrations in English; the admin shows the name as it is stored."""
    from wagtail.models import Task, Workflow

    assert not Workflow.objects.filter(name__icontains="approval").exists()
    assert not Task.objects.filter(name__icontains="approval").exists()
    assert Workflow.objects.filter(name="Granskning av redaktör").exists()
