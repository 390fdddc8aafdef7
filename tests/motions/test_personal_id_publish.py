"""REQ-PRIV-02 through the admin: a personnummer typed into a public field is not published
until someone who may publish confirms it is not one; a draft stays private and is saved.

The edit forms are read from the page and posted back as a browser does."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.text import capfirst
from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import rich_text

from motions.forms import (
    PERSONAL_IDS_CHECKED,
    PERSONAL_IDS_LOG_ACTION,
    PersonalIdsCheckedFormatter,
)
from motions.models import Clause, CommitteeProposal, Decision, Motion, MotionEvent
from plans import services as plan_services
from plans.models import Commitment, EvidenceLink, FollowUp, Goal, Indicator
from tests.factories import (
    CommitmentFactory,
    DecisionFactory,
    FollowUpFactory,
    IndicatorFactory,
    MeetingFactory,
    MotionFactory,
    OrganFactory,
    ProposalFactory,
)
from tests.motions.test_integrity import form_errors, read_form
from tests.records import grant, snippet_url, staff_member

pytestmark = pytest.mark.django_db

PERSONNUMMER = "811218-9876"  # a valid check digit
NOT_A_PERSONNUMMER = "811218-9877"  # the same with a wrong one
PUBLISH = {"action-publish": "action-publish"}
CHECKBOX = f'type="checkbox" name="{PERSONAL_IDS_CHECKED}"'


def label(model, field: str, row: int | None = None) -> str:
    """How the admin names a field in its message: "Rubrik", or "Att-sats 1: Text" in a row."""
    with translation.override("sv"):
        name = str(capfirst(model._meta.get_field(field).verbose_name))
        if row is None:
            return name
        return f"{capfirst(model._meta.verbose_name)} {row}: {name}"


def flags(response) -> dict[str, str]:
    """Field named → message, for each personal identity number flag on the admin's form."""
    form = response.context["form"]
    forms = [form, *(row for formset in form.formsets.values() for row in formset.forms)]
    with translation.override("sv"):
        return {
            error.params["field"]: str(error.message % error.params)
            for each in forms
            for errors in each.errors.as_data().values()
            for error in errors
            if error.code == "personal_id"
        }


def post_edit(client, obj, changes: dict, **extra):
    """Open the record's edit form, change some fields and send it as the admin's buttons do."""
    url = snippet_url(obj, "edit", obj.pk)
    data = read_form(client.get(url))
    return client.post(url, {**data, **changes, **extra})


def confirmations(obj):
    return ModelLogEntry.objects.filter(
        action=PERSONAL_IDS_LOG_ACTION,
        object_id=str(obj.pk),
        content_type__model=obj._meta.model_name,
    )


@pytest.fixture
def motion(public_site):
    return MotionFactory(body=public_site.body, submitted_on=date(2024, 1, 10))


@pytest.fixture
def editor(client):
    """A case officer who may edit motions and use the lifecycle buttons, but not publish."""
    user = staff_member("handlaggare", "Handläggare", ["add_motion", "change_motion"])
    client.force_login(user)
    return user


# --- the snippet edit views ----------------------------------------------------------------


def test_publishing_a_personnummer_is_refused_with_the_field_named_and_nothing_changes(
    client, superuser, motion
):
    title, revisions = motion.title, motion.revisions.count()
    response = post_edit(client, motion, {"title": f"Motion från {PERSONNUMMER}"}, **PUBLISH)

    assert response.status_code == 200
    named = flags(response)
    assert list(named) == [label(Motion, "title")]
    assert PERSONNUMMER in named[label(Motion, "title")]
    assert escape(named[label(Motion, "title")]) in response.content.decode()
    assert CHECKBOX in response.content.decode()
    motion.refresh_from_db()
    assert motion.title == title
    assert motion.revisions.count() == revisions
    assert not confirmations(motion).exists()


def test_the_confirmation_box_is_not_shown_before_anything_is_flagged(client, superuser, motion):
    page = client.get(snippet_url(motion, "edit", motion.pk)).content.decode()
    assert f'name="{PERSONAL_IDS_CHECKED}"' not in page


def test_a_personnummer_in_a_clause_is_flagged_on_that_clause(client, superuser, motion):
    response = post_edit(client, motion, {"clauses-1-text": f"att {PERSONNUMMER} hörs"}, **PUBLISH)
    assert response.status_code == 200
    assert list(flags(response)) == [label(Clause, "text", row=2)]
    assert Clause.objects.filter(text__contains=PERSONNUMMER).count() == 0


def test_a_personnummer_in_rich_text_is_flagged(client, superuser, motion):
    html = "<p>Förslagsställaren har personnummer 811218&nbsp;9876.</p>"
    response = post_edit(client, motion, {"text": rich_text(html)}, **PUBLISH)
    assert response.status_code == 200
    assert list(flags(response)) == [label(Motion, "text")]
    motion.refresh_from_db()
    assert "9876" not in motion.text


def test_a_draft_with_a_personnummer_is_saved_and_stays_private(client, superuser, motion):
    title = motion.title
    response = post_edit(client, motion, {"title": f"Motion från {PERSONNUMMER}"})

    assert response.status_code == 302, form_errors(response, {})
    motion.refresh_from_db()
    assert motion.title == title  # the public record
    assert PERSONNUMMER in motion.latest_revision.as_object().title  # the private draft
    assert motion.has_unpublished_changes
    assert not confirmations(motion).exists()


def test_a_ticked_box_publishes_and_the_history_says_who_confirmed_which_field(
    client, superuser, motion
):
    response = post_edit(
        client,
        motion,
        {"title": f"Motion från {PERSONNUMMER}", PERSONAL_IDS_CHECKED: "on"},
        **PUBLISH,
    )

    assert response.status_code == 302, form_errors(response, {})
    motion.refresh_from_db()
    assert PERSONNUMMER in motion.title
    assert motion.live
    assert not motion.has_unpublished_changes
    (entry,) = confirmations(motion)
    assert entry.user == superuser
    assert entry.data == {"fields": [label(Motion, "title")]}
    assert PERSONNUMMER not in str(entry.data)  # the log is exported: no numbers in it
    with translation.override("sv"):
        message = PersonalIdsCheckedFormatter().format_message(entry)
    assert label(Motion, "title") in message
    history = client.get(snippet_url(motion, "history", motion.pk)).content.decode()
    assert escape(message) in history


def test_a_number_that_fails_the_check_digit_is_published_without_a_question(
    client, superuser, motion
):
    response = post_edit(
        client, motion, {"title": f"Ärende {NOT_A_PERSONNUMMER} och KS 2023/00123"}, **PUBLISH
    )
    assert response.status_code == 302, form_errors(response, {})
    motion.refresh_from_db()
    assert NOT_A_PERSONNUMMER in motion.title
    assert not confirmations(motion).exists()


def test_a_user_without_the_publish_permission_cannot_publish_by_ticking_the_box(
    client, editor, motion
):
    """Wagtail keeps their Publish a draft; the box neither publishes nor logs a confirmation."""
    grant(editor, motion.body)
    title = motion.title
    response = post_edit(
        client,
        motion,
        {"title": f"Motion från {PERSONNUMMER}", PERSONAL_IDS_CHECKED: "on"},
        **PUBLISH,
    )
    assert response.status_code == 302, form_errors(response, {})
    motion.refresh_from_db()
    assert motion.title == title
    assert motion.has_unpublished_changes
    assert not confirmations(motion).exists()


def _action_plan():
    decision = DecisionFactory()
    return plan_services.action_plan_create(
        body=decision.body,
        title="Trygghetsplan",
        decision=decision,
        responsible_organ=OrganFactory(body=decision.body, executive=True),
        period_start=date(2024, 1, 1),
        period_end=date(2026, 12, 31),
        target_year=2026,
        goals=["Fler känner sig trygga"],
        publish=True,
    )


RECORDS = {
    "proposal": (ProposalFactory, "paragraph", lambda: label(CommitteeProposal, "paragraph")),
    "decision": (DecisionFactory, "title", lambda: label(Decision, "title")),
    "commitment": (CommitmentFactory, "description", lambda: label(Commitment, "description")),
    "action plan goal": (_action_plan, "goals-0-text", lambda: label(Goal, "text", row=1)),
    "indicator": (IndicatorFactory, "source", lambda: label(Indicator, "source")),
    "follow-up": (
        lambda: FollowUpFactory(publish=False),
        "narrative",
        lambda: label(FollowUp, "narrative"),
    ),
    "evidence link": (
        lambda: FollowUpFactory(publish=False, evidence=[("Rapport", "https://example.org/r")]),
        "evidence_links-0-title",
        lambda: label(EvidenceLink, "title", row=1),
    ),
}


@pytest.mark.parametrize("kind", RECORDS)
def test_every_public_record_is_checked_when_published(client, superuser, kind):
    make, field, named = RECORDS[kind]
    record = make()
    # An indicator has no drafts: its Save publishes, and is checked.
    publish = {} if isinstance(record, Indicator) else PUBLISH
    response = post_edit(client, record, {field: f"Se {PERSONNUMMER}"}, **publish)
    assert response.status_code == 200, form_errors(response, {})
    assert list(flags(response)) == [named()]
    assert CHECKBOX in response.content.decode()
    assert not confirmations(record).exists()

    confirmed = post_edit(
        client, record, {field: f"Se {PERSONNUMMER}", PERSONAL_IDS_CHECKED: "on"}, **publish
    )
    assert confirmed.status_code == 302, form_errors(confirmed, {})
    assert confirmations(record).get().data == {"fields": [named()]}


# --- the lifecycle buttons ----------------------------------------------------------------


def lifecycle(client, motion, action: str, data: dict):
    url = reverse("motions_action", args=[motion.pk, action])
    page = client.get(url).content.decode()
    assert CHECKBOX not in page
    key = read_form_key(page)
    return client.post(url, {**data, "request_key": key})


def read_form_key(page: str) -> str:
    marker = 'name="request_key" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


@pytest.fixture
def council_meeting(motion):
    return MeetingFactory(organ=OrganFactory(body=motion.body), date=date(2024, 1, 25))


def test_a_lifecycle_note_with_a_personnummer_is_refused_and_nothing_is_written(
    client, superuser, motion, council_meeting
):
    events = MotionEvent.objects.filter(motion=motion).count()
    response = lifecycle(
        client,
        motion,
        "raise",
        {"meeting": council_meeting.pk, "reason": f"Väckt av {PERSONNUMMER}"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert [e.code for e in errors["reason"]] == ["personal_id"]
    assert PERSONNUMMER in response.content.decode()
    assert CHECKBOX in response.content.decode()
    assert MotionEvent.objects.filter(motion=motion).count() == events
    motion.refresh_from_db()
    assert motion.raised_at is None


def test_a_publisher_confirms_a_lifecycle_note_and_it_is_logged_on_the_motion(
    client, superuser, motion, council_meeting
):
    response = lifecycle(
        client,
        motion,
        "raise",
        {
            "meeting": council_meeting.pk,
            "reason": f"Väckt av {PERSONNUMMER}",
            PERSONAL_IDS_CHECKED: "on",
        },
    )
    assert response.status_code == 302
    assert MotionEvent.objects.get(motion=motion, kind="raised").reason.endswith(PERSONNUMMER)
    (entry,) = confirmations(motion)
    assert entry.user == superuser
    assert len(entry.data["fields"]) == 1


def test_a_user_who_may_not_publish_cannot_confirm_a_lifecycle_note(
    client, editor, motion, council_meeting
):
    grant(editor, motion.body)
    events = MotionEvent.objects.filter(motion=motion).count()
    response = lifecycle(
        client,
        motion,
        "raise",
        {
            "meeting": council_meeting.pk,
            "reason": f"Väckt av {PERSONNUMMER}",
            PERSONAL_IDS_CHECKED: "on",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert [e.code for e in errors["reason"]] == ["personal_id"]
    assert PERSONAL_IDS_CHECKED in errors
    assert MotionEvent.objects.filter(motion=motion).count() == events
    assert not confirmations(motion).exists()


def test_a_lifecycle_note_that_fails_the_check_digit_goes_through(
    client, editor, motion, council_meeting
):
    grant(editor, motion.body)
    response = lifecycle(
        client,
        motion,
        "raise",
        {"meeting": council_meeting.pk, "reason": f"Se ärende {NOT_A_PERSONNUMMER}"},
    )
    assert response.status_code == 302
    assert MotionEvent.objects.filter(motion=motion, kind="raised").exists()


def test_the_register_proposal_button_checks_the_proposal_text(client, superuser, motion):
    executive = OrganFactory(body=motion.body, executive=True)
    data = {
        "organ": executive.pk,
        "proposed_on": "2024-04-01",
        "paragraph": "",
        "text": f"Förslagsställaren ({PERSONNUMMER}) har hörts.",
        **dict.fromkeys(("clause_1", "clause_2"), "approved"),
    }
    response = lifecycle(client, motion, "proposal", data)
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["text"]] == ["personal_id"]
    assert not CommitteeProposal.objects.filter(motion=motion).exists()

    confirmed = lifecycle(client, motion, "proposal", {**data, PERSONAL_IDS_CHECKED: "on"})
    assert confirmed.status_code == 302
    assert PERSONNUMMER in CommitteeProposal.objects.get(motion=motion).text
    assert confirmations(motion).exists()


# --- the end-of-term write-off ------------------------------------------------------------


def write_off(client, motion, meeting, **fields):
    return client.post(
        reverse("motions_bulk_write_off"),
        {
            "body": motion.body_id,
            f"motion-{motion.pk}": "on",
            "meeting": meeting.pk,
            "paragraph": "150",
            "decided_on": meeting.date.isoformat(),
            "title": "Avskrivning av motioner vid mandatperiodens slut",
            "legal_ground": "end_of_term",
            "register": "1",
            **fields,
        },
    )


def test_the_end_of_term_write_off_checks_its_title_and_reason(client, superuser, motion):
    meeting = MeetingFactory(organ=OrganFactory(body=motion.body), date=date(2026, 9, 28))
    reason = f"Motionären {PERSONNUMMER} har flyttat."
    response = write_off(client, motion, meeting, reason=reason)

    assert response.status_code == 200
    page = response.content.decode()
    assert PERSONNUMMER in page
    assert CHECKBOX in page
    assert not Decision.objects.filter(paragraph=150).exists()
    motion.refresh_from_db()
    assert motion.status != "written_off"

    confirmed = write_off(client, motion, meeting, reason=reason, **{PERSONAL_IDS_CHECKED: "on"})
    assert confirmed.status_code == 302
    decision = Decision.objects.get(paragraph=150)
    assert PERSONNUMMER in decision.text
    with translation.override("sv"):
        assert confirmations(decision).get().data == {"fields": [translation.gettext("Reason")]}


@pytest.mark.parametrize("paragraph", ["²", "99999999999", "-3"])
def test_a_write_off_paragraph_that_is_not_a_number_changes_nothing(
    client, superuser, motion, paragraph
):
    """Not the write-off's personal-number check, but the same form: odd input is a message."""
    meeting = MeetingFactory(organ=OrganFactory(body=motion.body), date=date(2026, 9, 28))
    response = write_off(
        client, motion, meeting, reason="Mandatperioden är slut.", paragraph=paragraph
    )

    assert response.status_code == 200
    assert not Decision.objects.exists()
    motion.refresh_from_db()
    assert motion.status != "written_off"
