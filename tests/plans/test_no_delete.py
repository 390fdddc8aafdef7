"""Commitments, action plans and published follow-ups are never hard-deleted (REQ-ARCH-01); a
follow-up that was never published is a draft, not yet an allmän handling, and may be deleted.
Gallring removes a commitment with its follow-ups, and refuses while other records refer to one."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from wagtail.models import ModelLogEntry

from cms.models import FollowUpIndexPage
from motions.gallring import RecordDeletionRefused
from motions.models import Decision, GallringRecord
from plans import services
from plans.models import ActionPlan, Commitment, FollowUp
from tests.factories import CommitmentFactory, FollowUpFactory, OrganFactory
from tests.records import REFUSED, bulk_delete_url, gallra_url, grant, snippet_url, staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(client):
    user = staff_member(
        "sekreterare",
        "Sekretariat",
        ["gallra", "change_commitment", "change_actionplan", "change_decision"],
    )
    client.force_login(user)
    return user


@pytest.fixture
def tracker(public_site):
    page = public_site.home.add_child(
        instance=FollowUpIndexPage(title="Uppföljning", slug="uppfoljning", body=public_site.body)
    )
    cache.clear()
    return page


def gallring_post(**overrides):
    return {
        "decision_reference": "KS 2026-00042, dokumenthanteringsplan 4.1",
        "decided_on": "2026-01-15",
        "reason": "Gallras enligt planen.",
        "confirm": "on",
        **overrides,
    }


def action_plan(decision, **fields):
    organ = OrganFactory(body=decision.body)
    return services.action_plan_create(
        body=decision.body,
        title=fields.pop("title", "Handlingsplan för trygghet"),
        decision=decision,
        responsible_organ=organ,
        period_start=date(2025, 1, 1),
        period_end=date(2027, 12, 31),
        target_year=2027,
        goals=["Tryggare stadsdelar"],
        actions=fields.pop("actions", [{"title": "Belysning i parker", "owner": organ}]),
        publish=True,
        **fields,
    )


def records(body=None):
    commitment = CommitmentFactory(
        title="Åtagande om gallringsskyddad belysning",
        **({"decision__motion__body": body} if body else {}),
    )
    return {
        "commitment": commitment,
        "action plan": action_plan(commitment.decision),
        "published follow-up": FollowUpFactory(
            commitment=commitment, narrative="Belysningen är beställd."
        ),
    }


@pytest.mark.parametrize("name", ["commitment", "action plan", "published follow-up"])
def test_a_superuser_is_refused_the_delete_view_and_bulk_delete(client, superuser, name):
    obj = records()[name]

    listing = client.get(snippet_url(obj, "list"))
    assert snippet_url(obj, "delete", obj.pk) not in listing.content.decode()

    for response in (
        client.get(snippet_url(obj, "delete", obj.pk), follow=True),
        client.post(snippet_url(obj, "delete", obj.pk), follow=True),
        client.post(bulk_delete_url(obj), follow=True),
    ):
        assert any(REFUSED in str(message) for message in response.context["messages"])
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_the_public_commitment_page_still_shows_it_after_refused_deletes(
    client, superuser, tracker
):
    found = records(body=tracker.body)
    commitment, followup = found["commitment"], found["published follow-up"]
    for obj in (followup, commitment):
        client.post(snippet_url(obj, "delete", obj.pk))
        client.post(bulk_delete_url(obj))
    client.logout()
    page = client.get(commitment.get_url())
    assert page.status_code == 200
    assert "gallringsskyddad belysning" in page.content.decode()
    assert "Belysningen är beställd." in page.content.decode()


def test_a_draft_follow_up_never_published_may_be_deleted(client, superuser):
    """REQ-OFF-02: a draft is not yet an allmän handling."""
    draft = FollowUpFactory(publish=False)
    listing = client.get(snippet_url(draft, "list"))
    assert snippet_url(draft, "delete", draft.pk) in listing.content.decode()
    client.post(snippet_url(draft, "delete", draft.pk))
    assert not FollowUp.objects.filter(pk=draft.pk).exists()

    other = FollowUpFactory(publish=False)
    other.delete()
    assert not FollowUp.objects.filter(pk=other.pk).exists()


def unreferenced_records():
    """Records nothing else points at (a plan without actions), so no PROTECT key stops a
    delete: only the register's own rule does."""
    commitment = CommitmentFactory()
    return {
        "commitment": commitment,
        "action plan": action_plan(commitment.decision, actions=[]),
        "published follow-up": FollowUpFactory(),
    }


@pytest.mark.parametrize("name", ["commitment", "action plan", "published follow-up"])
def test_delete_in_code_raises(name):
    obj = unreferenced_records()[name]
    model = type(obj)
    with pytest.raises(RecordDeletionRefused), transaction.atomic():
        obj.delete()
    with pytest.raises(RecordDeletionRefused), transaction.atomic():
        model.objects.filter(pk=obj.pk).delete()
    assert model.objects.filter(pk=obj.pk).exists()


def test_gallring_refuses_a_decision_with_commitments_then_removes_the_commitment(
    client, secretary
):
    found = records()
    commitment, followup = found["commitment"], found["published follow-up"]
    grant(secretary, commitment.body)
    decision = commitment.decision

    refused = client.post(gallra_url(decision), gallring_post())
    assert refused.status_code == 200
    assert "åtagande" in refused.content.decode()
    assert Decision.objects.filter(pk=decision.pk).exists()

    response = client.post(gallra_url(commitment), gallring_post())
    assert response.status_code == 302
    assert not Commitment.objects.filter(pk=commitment.pk).exists()
    assert not FollowUp.objects.filter(pk=followup.pk).exists()
    kept = GallringRecord.objects.get(model_label="plans.Commitment")
    assert kept.object_repr == "Åtagande om gallringsskyddad belysning"
    assert kept.removed["plans.FollowUp"] == 1
    assert ModelLogEntry.objects.filter(
        action="motions.gallra",
        content_type=ContentType.objects.get_for_model(Commitment),
        object_id=str(commitment.pk),
        user=secretary,
    ).exists()


def test_gallring_refuses_an_action_plan_commitments_refer_to(client, secretary):
    commitment = CommitmentFactory()
    grant(secretary, commitment.body)
    plan = action_plan(commitment.decision)
    Commitment.objects.filter(pk=commitment.pk).update(action_plan=plan)
    refused = client.post(gallra_url(plan), gallring_post())
    assert commitment.title in refused.content.decode()
    assert ActionPlan.objects.filter(pk=plan.pk).exists()

    Commitment.objects.filter(pk=commitment.pk).update(action_plan=None)
    assert client.post(gallra_url(plan), gallring_post()).status_code == 302
    assert not ActionPlan.objects.filter(pk=plan.pk).exists()


def test_gallring_a_published_follow_up_updates_the_commitment_status(client, secretary):
    followup = FollowUpFactory(status="on_hold", progress=10)
    grant(secretary, followup.commitment.body)
    assert client.post(gallra_url(followup), gallring_post()).status_code == 302
    followup.commitment.refresh_from_db()
    assert followup.commitment.current_progress is None


def test_without_the_gallring_permission_nothing_is_removed(client, django_user_model):
    user = django_user_model.objects.create_user("handlaggare", password="x")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="delete_commitment"),
    )
    client.force_login(user)
    commitment = CommitmentFactory()
    assert client.post(gallra_url(commitment), gallring_post()).status_code == 403
    assert Commitment.objects.filter(pk=commitment.pk).exists()
    assert not GallringRecord.objects.exists()
