"""An officer's follow-up goes through the secretariat's approval: submit → approve → published,
submit → reject (with a comment) → revised → resubmitted. Only the secretariat of the follow-up's
own municipality may approve, whatever it posts; the public status changes only on approval."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import TaskState, Workflow, WorkflowContentType, WorkflowState, WorkflowTask

from motions.models import RoleKind
from plans.models import FollowUp, Measurement, SecretariatApprovalTask
from plans.status import Status
from tests.factories import (
    BodyFactory,
    CommitmentFactory,
    FollowUpFactory,
    IndicatorFactory,
    OrganFactory,
)
from tests.motions.test_integrity import form_errors, read_form
from tests.plans.test_admin import followup_post, formset
from tests.records import grant, staff_member

pytestmark = pytest.mark.django_db

OFFICER_PERMISSIONS = ["add_followup", "change_followup", "view_followup", "view_commitment"]
SECRETARIAT_PERMISSIONS = [*OFFICER_PERMISSIONS, "publish_followup", "change_commitment"]
PERSONNUMMER = "811218-9876"


@pytest.fixture
def workflow(db):
    """The workflow the migration creates (re-made if a transactional test flushed it)."""
    workflow = Workflow.objects.filter(name="Godkännande av uppföljning").first()
    if workflow is None:
        workflow = Workflow.objects.create(name="Godkännande av uppföljning")
        task = SecretariatApprovalTask.objects.create(name="Sekretariatets godkännande")
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowContentType.objects.get_or_create(
            content_type=ContentType.objects.get_for_model(FollowUp),
            defaults={"workflow": workflow},
        )
    return workflow


@pytest.fixture
def world(body, workflow, django_user_model):
    # The installation's superuser: Wagtail would mail every submission to them.
    django_user_model.objects.create_superuser("root", "root@example.org", "x")
    organ = OrganFactory(body=body, kind="committee", name="Arbetslivsnämnden")
    other_organ = OrganFactory(body=body, kind="committee", name="Tekniska nämnden")
    indicator = IndicatorFactory(body=body, unit="MSEK", baseline_year=2014)
    commitment = CommitmentFactory(
        decision__motion__body=body, responsible_organ=organ, indicators=[indicator]
    )
    officer = staff_member("handlaggare", "Handläggare", OFFICER_PERMISSIONS)
    grant(officer, body, RoleKind.OFFICER, organ=organ)
    secretariat = staff_member("kansliet", "Sekretariat", SECRETARIAT_PERMISSIONS, body=body)
    elsewhere = BodyFactory(name="Kungälvs kommun", slug="kungalv")
    stranger = staff_member("kansliet-kungalv", "Sekretariat", SECRETARIAT_PERMISSIONS)
    grant(stranger, elsewhere)
    for user, email in (
        (officer, "handlaggare@boras.example"),
        (secretariat, "kansliet@boras.example"),
        (stranger, "kansliet@kungalv.example"),
    ):
        user.email = email
        user.save()
    return {
        "body": body,
        "organ": organ,
        "other_organ": other_organ,
        "indicator": indicator,
        "commitment": commitment,
        "officer": officer,
        "secretariat": secretariat,
        "elsewhere": elsewhere,
        "stranger": stranger,
    }


def as_user(client, user):
    client.logout()
    client.force_login(user)
    return client


def submit(client, commitment, **fields):
    data = {**followup_post(commitment), "action-submit": "action-submit", **fields}
    response = client.post(reverse("wagtailsnippets_plans_followup:add"), data)
    assert response.status_code == 302, form_errors(response, data)
    return FollowUp.objects.latest("pk")


def task_state_of(followup) -> TaskState:
    return followup.current_workflow_task_state


def act(client, followup, action: str, task_state=None, **data):
    task_state = task_state or task_state_of(followup)
    url = reverse(
        "wagtailsnippets_plans_followup:workflow_action", args=[followup.pk, action, task_state.pk]
    )
    return client.post(url, data)


def refused(response) -> bool:
    """Wagtail's admin answers a PermissionDenied with a redirect to its dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def mails_to(mailoutbox, address):
    return [m for m in mailoutbox if address in m.to]


def test_submit_then_approve_publishes_and_only_then_the_public_status_changes(
    client, world, mailoutbox
):
    commitment = world["commitment"]
    followup = submit(as_user(client, world["officer"]), commitment)

    assert followup.live is False
    assert followup.workflow_in_progress
    commitment.refresh_from_db()
    assert commitment.current_status == Status.NOT_STARTED
    # Only Borås's secretariat hears of it: not Kungälv's, the superuser or the officer.
    assert [m.to for m in mailoutbox] == [["kansliet@boras.example"]]
    assert "/admin/snippets/plans/followup/edit/" in mailoutbox[0].body
    # The officer cannot act on their own submission.
    assert refused(act(client, followup, "approve"))

    mailoutbox.clear()
    response = act(as_user(client, world["secretariat"]), followup, "approve", comment="Bra.")
    assert response.status_code == 302

    followup.refresh_from_db()
    commitment.refresh_from_db()
    assert followup.live is True
    assert commitment.current_status == Status.IN_PROGRESS
    assert commitment.last_followup_on == followup.period_end
    [approved] = mails_to(mailoutbox, "handlaggare@boras.example")
    assert "Bra." in approved.body
    assert f"/admin/snippets/plans/followup/inspect/{followup.pk}/" in approved.body


def test_reject_with_a_comment_then_revise_and_resubmit(client, world, mailoutbox):
    commitment = world["commitment"]
    officer_client = as_user(client, world["officer"])
    followup = submit(officer_client, commitment, reason="Pågår")
    mailoutbox.clear()

    response = act(
        as_user(client, world["secretariat"]),
        followup,
        "reject",
        comment="Ange källan för statusen.",
    )
    assert response.status_code == 302
    state = followup.workflow_states.get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    [rejected] = mails_to(mailoutbox, "handlaggare@boras.example")
    assert "Ange källan för statusen." in rejected.body
    assert not FollowUp.objects.get(pk=followup.pk).live

    # The officer revises the draft and submits it again; the same workflow resumes.
    mailoutbox.clear()
    as_user(client, world["officer"])
    url = reverse("wagtailsnippets_plans_followup:edit", args=[followup.pk])
    data = {**read_form(client.get(url)), "source": "Nämndens årsrapport 2025"}
    response = client.post(url, {**data, "action-submit": "action-submit"})
    assert response.status_code == 302, form_errors(response, data)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert [m.to for m in mailoutbox] == [["kansliet@boras.example"]]

    act(as_user(client, world["secretariat"]), followup, "approve")
    followup.refresh_from_db()
    assert followup.live is True
    assert followup.source == "Nämndens årsrapport 2025"


def test_another_municipalitys_secretariat_cannot_see_or_approve(client, world, workflow):
    followup = submit(as_user(client, world["officer"]), world["commitment"])
    task_state = task_state_of(followup)
    stranger = world["stranger"]
    # Kungälv's own follow-up in moderation, to aim a crafted POST through.
    theirs = FollowUpFactory(
        commitment=CommitmentFactory(decision__motion__body=world["elsewhere"]), publish=False
    )
    workflow.start(theirs, stranger)

    as_user(client, stranger)
    edit = reverse("wagtailsnippets_plans_followup:edit", args=[followup.pk])
    assert client.get(edit).status_code == 404
    assert act(client, followup, "approve").status_code == 404
    # Its own follow-up in the URL, Borås's task state in the POST: refused.
    assert refused(act(client, theirs, "approve", task_state=task_state))
    assert task_state.pk not in TaskState.objects.reviewable_by(stranger).values_list(
        "pk", flat=True
    )
    task_state.refresh_from_db()
    followup.refresh_from_db()
    assert (task_state.status, followup.live) == (TaskState.STATUS_IN_PROGRESS, False)
    # Borås's secretariat has it among the tasks to review.
    assert task_state.pk in TaskState.objects.reviewable_by(world["secretariat"]).values_list(
        "pk", flat=True
    )


def test_an_officer_cannot_publish_directly(client, world):
    as_user(client, world["officer"])
    data = {**followup_post(world["commitment"]), "action-publish": "action-publish"}
    response = client.post(reverse("wagtailsnippets_plans_followup:add"), data)
    assert response.status_code == 302
    followup = FollowUp.objects.get()
    assert followup.live is False
    world["commitment"].refresh_from_db()
    assert world["commitment"].current_status == Status.NOT_STARTED


def test_an_officer_cannot_report_on_another_organs_commitment(client, world):
    theirs = CommitmentFactory(
        decision__motion__body=world["body"], responsible_organ=world["other_organ"]
    )
    as_user(client, world["officer"])
    data = {**followup_post(theirs), "action-submit": "action-submit"}
    response = client.post(reverse("wagtailsnippets_plans_followup:add"), data)
    assert response.status_code == 200
    assert "commitment" in response.context["form"].errors
    assert not FollowUp.objects.exists()


def test_indicator_values_become_measurements_only_when_approved(client, world):
    indicator = world["indicator"]
    rows = [{"indicator": indicator.pk, "year": "2025", "value": "71.5", "note": "Prognos"}]
    followup = submit(
        as_user(client, world["officer"]),
        world["commitment"],
        **formset("indicator_values", rows),
    )
    assert followup.indicator_values.count() == 1
    assert not Measurement.objects.exists()

    act(as_user(client, world["secretariat"]), followup, "approve")
    [measurement] = Measurement.objects.all()
    assert (measurement.indicator, measurement.year, measurement.value, measurement.unit) == (
        indicator,
        2025,
        Decimal("71.50"),
        "MSEK",
    )
    assert measurement.followup_id == followup.pk


def test_indicator_values_only_for_the_commitments_own_indicators(client, world):
    unrelated = IndicatorFactory(body=world["body"], title="Annat nyckeltal")
    early = [{"indicator": world["indicator"].pk, "year": "2010", "value": "5", "note": ""}]
    other = [{"indicator": unrelated.pk, "year": "2025", "value": "5", "note": ""}]
    as_user(client, world["officer"])
    for rows in (early, other):
        data = {
            **followup_post(world["commitment"]),
            **formset("indicator_values", rows),
            "action-submit": "action-submit",
        }
        response = client.post(reverse("wagtailsnippets_plans_followup:add"), data)
        assert response.status_code == 200
    assert not FollowUp.objects.exists()


def test_a_personal_identity_number_is_caught_on_submit(client, world):
    as_user(client, world["officer"])
    data = {
        **followup_post(world["commitment"], narrative=f"Kontakt {PERSONNUMMER}"),
        "action-submit": "action-submit",
    }
    response = client.post(reverse("wagtailsnippets_plans_followup:add"), data)
    assert response.status_code == 200
    assert "narrative" in response.context["form"].errors
    assert not FollowUp.objects.exists()
