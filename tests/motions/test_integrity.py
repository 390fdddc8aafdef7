"""One aggregate, one writer: what the lifecycle writes survives every revision of the motion.

Driven through the admin as a secretary clicks: the edit form is read from the page and posted
back as a browser would, so the test breaks if a form starts writing records it does not own."""

from datetime import date
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from motions.models import (
    CommitteeProposal,
    Decision,
    EventKind,
    Motion,
    MotionEvent,
    MotionStatus,
    Referral,
)
from tests.factories import MeetingFactory, MotionFactory, OrganFactory

pytestmark = pytest.mark.django_db

EDIT = "wagtailsnippets_motions_motion:edit"
REVERT = "wagtailsnippets_motions_motion:revisions_revert"


class _FormReader(HTMLParser):
    """The name → value pairs a browser would post from the page's edit form."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, {}
        self._select = self._textarea = None
        self._multiple = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id or self.inside
            return
        if not self.inside or ("name" not in attrs and tag != "option"):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self.data[attrs["name"]] = attrs.get("value", "on" if kind == "checkbox" else "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.data[self._textarea] = ""
        elif tag == "select":
            self._select = attrs["name"]
            self._multiple = "multiple" in attrs
            self.data.setdefault(self._select, [] if self._multiple else "")
        elif tag == "option" and self._select and "selected" in attrs:
            if self._multiple:
                self.data[self._select].append(attrs.get("value", ""))
            else:
                self.data[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            # A browser drops the newline that follows <textarea>.
            self.data[self._textarea] = self.data[self._textarea].removeprefix("\n")
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def form_errors(response, data) -> str:
    """What the admin complained about, for a failing assertion's message."""
    import re

    html = response.content.decode()
    errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>(.*?)</', html, re.S)
    return f"{[e.strip() for e in errors if e.strip()]} posted {data}"


def read_form(response, form_id: str = "w-editor-form") -> dict:
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    assert reader.data, f"no form #{form_id} on the page"
    return reader.data


@pytest.fixture
def secretary(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def motion(public_site):
    return MotionFactory(
        body=public_site.body, submitted_on=date(2024, 1, 10), clauses=["att A", "att B"]
    )


@pytest.fixture
def organs(motion):
    council = OrganFactory(body=motion.body)
    executive = OrganFactory(body=motion.body, executive=True)
    return council, executive


def act(client, motion, action: str, data: dict):
    """Open a lifecycle action's form, fill it in and send it, as the secretary does."""
    url = reverse("motions_action", args=[motion.pk, action])
    key = _request_key(client.get(url))
    response = client.post(url, {**data, "request_key": key})
    assert response.status_code == 302, response.content.decode()[:2000]
    return key


def _request_key(response) -> str:
    html = response.content.decode()
    marker = 'name="request_key" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def run_the_chain(client, motion, organs):
    """Referral answered, proposal registered, decision taken: all through the admin."""
    council, executive = organs
    raised_at = MeetingFactory(organ=council, date=date(2024, 1, 25))
    act(client, motion, "raise", {"meeting": raised_at.pk})
    act(client, motion, "refer", {"organ": executive.pk, "sent_on": "2024-02-01"})
    referral = Referral.objects.get(motion=motion)
    act(
        client,
        motion,
        "response",
        {"referral": referral.pk, "answered_on": "2024-03-01", "summary": "Tillstyrks."},
    )
    act(
        client,
        motion,
        "proposal",
        {
            "organ": executive.pk,
            "proposed_on": "2024-04-01",
            "clause_1": "approved",
            "clause_2": "approved",
        },
    )
    meeting = MeetingFactory(organ=council, date=date(2024, 5, 20))
    act(client, motion, "schedule", {"meeting": meeting.pk})
    act(
        client,
        motion,
        "decide",
        {
            "meeting": meeting.pk,
            "paragraph": "12",
            "decided_on": "2024-05-20",
            "clause_1": "approved",
            "clause_2": "approved",
        },
    )


def assert_chain_kept(motion):
    motion = Motion.objects.get(pk=motion.pk)
    assert motion.raised_at.date == date(2024, 1, 25)
    assert motion.deadline_on == date(2025, 1, 10)
    assert motion.status == MotionStatus.DECIDED
    assert motion.result == "approved"
    referral = Referral.objects.get(motion=motion)
    assert referral.answered_on == date(2024, 3, 1)
    assert referral.response_summary == "Tillstyrks."
    assert CommitteeProposal.objects.published().filter(motion=motion).count() == 1
    assert Decision.objects.published().filter(motion=motion).count() == 1
    kinds = list(MotionEvent.objects.filter(motion=motion).values_list("kind", flat=True))
    assert kinds.count(EventKind.PROPOSAL_REGISTERED) == 1
    assert kinds.count(EventKind.DECIDED) == 1


def test_publishing_an_older_motion_revision_keeps_referral_proposal_and_decision(
    secretary, motion, organs
):
    first_revision = motion.latest_revision
    run_the_chain(secretary, motion, organs)
    assert_chain_kept(motion)

    # The secretary opens the motion's first revision and publishes it again.
    url = reverse(REVERT, args=[motion.pk, first_revision.pk])
    data = read_form(secretary.get(url))
    response = secretary.post(url, {**data, "action-publish": "action-publish"})
    assert response.status_code == 302, form_errors(response, data)

    assert_chain_kept(motion)
    page = secretary.get(motion.get_url())
    html = page.content.decode()
    assert "Tillstyrks." in html
    assert "§ 12" in html


def test_publishing_the_edit_form_after_the_chain_keeps_everything(secretary, motion, organs):
    run_the_chain(secretary, motion, organs)
    url = reverse(EDIT, args=[motion.pk])
    data = read_form(secretary.get(url))
    data["title"] = "Ny rubrik efter beslutet"
    response = secretary.post(url, {**data, "action-publish": "action-publish"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Motion.objects.get(pk=motion.pk).title == "Ny rubrik efter beslutet"
    assert_chain_kept(motion)


def test_a_lifecycle_action_keeps_the_editors_pending_draft(secretary, motion, organs):
    _council, executive = organs
    url = reverse(EDIT, args=[motion.pk])
    data = read_form(secretary.get(url))
    data["title"] = "Utkast till ny rubrik"
    assert secretary.post(url, data).status_code == 302  # "Save draft"
    assert Motion.objects.get(pk=motion.pk).has_unpublished_changes

    act(secretary, motion, "refer", {"organ": executive.pk, "sent_on": "2024-02-01"})

    motion = Motion.objects.get(pk=motion.pk)
    assert motion.has_unpublished_changes
    assert motion.latest_revision.content["title"] == "Utkast till ny rubrik"
    assert motion.title != "Utkast till ny rubrik"  # the public text is unchanged
    assert motion.status == MotionStatus.IN_PREPARATION

    # Publishing the draft later keeps the referral and the status it gave.
    data = read_form(secretary.get(url))
    assert secretary.post(url, {**data, "action-publish": "action-publish"}).status_code == 302
    motion = Motion.objects.get(pk=motion.pk)
    assert motion.title == "Utkast till ny rubrik"
    assert motion.status == MotionStatus.IN_PREPARATION
    assert Referral.objects.filter(motion=motion).count() == 1


def test_a_proposal_on_a_draft_motion_survives_publishing_the_motion(secretary, organs):
    """The first build's data loss: a proposal registered on a draft motion through its
    lifecycle tab vanished when the motion was then published from its edit form."""
    _council, executive = organs
    motion = MotionFactory(
        body=executive.body, submitted_on=date(2024, 1, 10), clauses=["att A"], publish=False
    )
    act(
        secretary,
        motion,
        "proposal",
        {"organ": executive.pk, "proposed_on": "2024-04-01", "clause_1": "approved"},
    )
    url = reverse(EDIT, args=[motion.pk])
    data = read_form(secretary.get(url))
    assert secretary.post(url, {**data, "action-publish": "action-publish"}).status_code == 302

    motion = Motion.objects.get(pk=motion.pk)
    assert motion.live
    assert CommitteeProposal.objects.published().filter(motion=motion).count() == 1
    assert motion.status == MotionStatus.PROPOSAL_READY
    assert "Inget förslag ännu" not in secretary.get(motion.get_url()).content.decode()


def test_a_revision_saved_by_the_first_build_still_publishes_without_touching_the_records(
    secretary, motion, organs
):
    """Revisions stored before referrals and proposals left the motion's cluster hold them as
    children; publishing one must neither restore nor drop them."""
    run_the_chain(secretary, motion, organs)
    old = Motion.objects.get(pk=motion.pk).latest_revision
    old.content = {
        **old.content,
        "referrals": [],  # as if the referral had not been sent when it was saved
        "proposals": [{"pk": 999999, "motion": motion.pk, "organ": organs[1].pk}],
    }
    old.save(update_fields=["content"])
    old.publish()
    assert_chain_kept(motion)


def test_publishing_an_older_revision_keeps_the_motion_reported_undecided(secretary, motion):
    """The 5:35 report marks the motion; a revision saved before it must not unmark it."""
    from motions import reports

    first_revision = motion.latest_revision
    report = reports.report_prepare(body=motion.body, as_of=date(2025, 3, 1))
    reports.report_issue(report=report, user=None, council_paragraph="41")
    assert Motion.objects.get(pk=motion.pk).reported_undecided_on == date(2025, 3, 1)

    url = reverse(REVERT, args=[motion.pk, first_revision.pk])
    data = read_form(secretary.get(url))
    assert secretary.post(url, {**data, "action-publish": "action-publish"}).status_code == 302

    motion = Motion.objects.get(pk=motion.pk)
    assert motion.reported_undecided_on == date(2025, 3, 1)
    assert motion.reported_undecided_paragraph == "41"


def test_a_record_error_on_a_field_the_form_lacks_is_shown_not_a_server_error(
    secretary, motion, organs
):
    """An older motion raised at a committee meeting (before the council rule) is edited: the
    meeting is not on the form, so the refusal must be the record's message, not a 500."""
    _council, executive = organs
    Motion.objects.filter(pk=motion.pk).update(
        raised_at=MeetingFactory(organ=executive, date=date(2024, 1, 22))
    )
    url = reverse(EDIT, args=[motion.pk])
    data = read_form(secretary.get(url))
    data["title"] = "Ny rubrik"

    response = secretary.post(url, data)

    assert response.status_code == 200
    assert "kommunfullmäktige" in response.content.decode()
    assert Motion.objects.get(pk=motion.pk).title != "Ny rubrik"
