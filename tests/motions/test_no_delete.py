"""Nothing registered is hard-deleted (REQ-ARCH-01): not through the admin's delete view or bulk
delete, not by a superuser, not by `.delete()` in code. Gallring removes a record under a named
gallringsbeslut, through the admin as a secretary would, and leaves a log entry and a record."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from wagtail.models import ModelLogEntry

from motions import services
from motions.gallring import GallringRefused, RecordDeletionRefused, record_gallra
from motions.models import (
    Appeal,
    CommitteeProposal,
    Decision,
    GallringRecord,
    Motion,
    MotionEvent,
    Referral,
)
from tests.factories import DecisionFactory, MotionFactory, OrganFactory, ProposalFactory
from tests.records import REFUSED, bulk_delete_url, gallra_url, grant, snippet_url, staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(client):
    """A council secretary with the gallring permission and the usual change rights, no delete."""
    user = staff_member(
        "sekreterare",
        "Sekretariat",
        ["gallra", "change_motion", "change_decision", "change_committeeproposal"],
    )
    client.force_login(user)
    return user


@pytest.fixture
def clerk(client):
    """A case officer who may change and even delete motions, but not gallra."""
    user = staff_member("handlaggare", "Handläggare", ["change_motion", "delete_motion"])
    client.force_login(user)
    return user


def refusal_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def records():
    """One of each registered record in the council's part of the register."""
    motion = MotionFactory(title="Motion om gallringsskyddade lekplatser")
    organ = OrganFactory(body=motion.body, name="Tekniska nämnden")
    referral = services.motion_refer(motion=motion, organ=organ, sent_on=date(2024, 3, 1))
    proposal = ProposalFactory(motion=motion)
    decision = DecisionFactory(motion=motion)
    appeal = Appeal.objects.create(
        decision=decision, case_number="1234-24", lodged_on=date(2024, 6, 10)
    )
    return {
        "motion": motion,
        "referral": referral,
        "proposal": proposal,
        "decision": decision,
        "appeal": appeal,
    }


@pytest.mark.parametrize("name", ["motion", "proposal", "decision", "appeal"])
def test_a_superuser_is_refused_the_delete_view_and_bulk_delete(client, superuser, name):
    obj = records()[name]

    # Nothing offers a delete: not the listing's row menu, not the edit view's header.
    listing = client.get(snippet_url(obj, "list"))
    assert snippet_url(obj, "delete", obj.pk) not in listing.content.decode()
    edit = client.get(snippet_url(obj, "edit", obj.pk))
    assert snippet_url(obj, "delete", obj.pk) not in edit.content.decode()

    # A forged request to the delete view, GET or POST: refused with the reason, in Swedish.
    for response in (
        client.get(snippet_url(obj, "delete", obj.pk), follow=True),
        client.post(snippet_url(obj, "delete", obj.pk), follow=True),
    ):
        assert any(REFUSED in message for message in refusal_messages(response))

    # A forged bulk delete naming it: refused as a whole, with the reason.
    response = client.post(bulk_delete_url(obj), follow=True)
    assert any(REFUSED in message for message in refusal_messages(response))

    assert type(obj).objects.filter(pk=obj.pk).exists()
    assert not GallringRecord.objects.exists()


def test_the_public_motion_page_still_shows_a_motion_after_refused_deletes(
    client, superuser, public_site
):
    motion = MotionFactory(body=public_site.body, title="Motion om kvarvarande parkbänkar")
    client.post(snippet_url(motion, "delete", motion.pk))
    client.post(bulk_delete_url(motion))
    client.logout()
    page = client.get(motion.get_url())
    assert page.status_code == 200
    assert "kvarvarande parkbänkar" in page.content.decode()


def unreferenced_records():
    """Records nothing else points at yet (drafts have no events), so no PROTECT key stops a
    delete: only the register's own rule does."""
    motion = MotionFactory()
    return {
        "motion": MotionFactory(),
        "draft proposal": ProposalFactory(motion=motion, publish=False),
        "draft decision": DecisionFactory(motion=motion, publish=False),
        "event": MotionEvent.objects.create(motion=motion, kind="raised", happened_on=date.today()),
    }


@pytest.mark.parametrize("name", ["motion", "draft proposal", "draft decision", "event"])
def test_delete_in_code_raises_for_an_instance_and_a_queryset(name):
    obj = unreferenced_records()[name]
    model = type(obj)
    with pytest.raises(RecordDeletionRefused), transaction.atomic():
        obj.delete()
    with pytest.raises(RecordDeletionRefused), transaction.atomic():
        model.objects.filter(pk=obj.pk).delete()
    assert model.objects.filter(pk=obj.pk).exists()


def gallring_post(**overrides):
    return {
        "decision_reference": "KS 2026-00042, dokumenthanteringsplan 3.2.1",
        "decided_on": "2026-01-15",
        "reason": "Gallras efter två år enligt planen.",
        "confirm": "on",
        **overrides,
    }


def test_a_secretary_gallrar_a_decision_then_its_motion_through_the_admin(client, secretary):
    found = records()
    motion, decision = found["motion"], found["decision"]
    grant(secretary, motion.body)

    # The listing's row menu and the edit view offer gallring.
    assert gallra_url(motion) in client.get(snippet_url(motion, "list")).content.decode()
    assert gallra_url(motion) in client.get(snippet_url(motion, "edit", motion.pk)).content.decode()
    # The motion still has its decision: refused, with what to do, and nothing changes.
    refused = client.post(gallra_url(motion), gallring_post())
    assert refused.status_code == 200
    assert "gallra" in refused.content.decode().lower()
    assert str(decision) in refused.content.decode()
    assert Motion.objects.filter(pk=motion.pk).exists()

    # The confirm form wants the gallringsbeslut: without it nothing happens.
    client.post(gallra_url(decision), gallring_post(decision_reference=""))
    assert Decision.objects.filter(pk=decision.pk).exists()

    response = client.post(gallra_url(decision), gallring_post())
    assert response.status_code == 302
    assert not Decision.objects.filter(pk=decision.pk).exists()
    motion.refresh_from_db()
    assert motion.decided_on is None  # the derived status no longer counts the decision

    response = client.post(gallra_url(motion), gallring_post(reason="Hela ärendet gallras."))
    assert response.status_code == 302
    assert not Motion.objects.filter(pk=motion.pk).exists()
    assert not Referral.objects.filter(pk=found["referral"].pk).exists()
    assert not CommitteeProposal.objects.filter(pk=found["proposal"].pk).exists()
    assert not MotionEvent.objects.filter(motion_id=motion.pk).exists()

    kept = GallringRecord.objects.get(model_label="motions.Motion", object_id=str(motion.pk))
    assert kept.case_number == motion.case_number
    assert kept.decision_reference == "KS 2026-00042, dokumenthanteringsplan 3.2.1"
    assert kept.decided_on == date(2026, 1, 15)
    assert kept.reason == "Hela ärendet gallras."
    assert kept.user == secretary
    assert kept.removed["motions.Referral"] == 1
    assert kept.removed["motions.CommitteeProposal"] == 1
    assert GallringRecord.objects.filter(model_label="motions.Decision").count() == 1

    entry = ModelLogEntry.objects.get(
        action="motions.gallra",
        content_type=ContentType.objects.get_for_model(Motion),
        object_id=str(motion.pk),
    )
    assert entry.user == secretary
    assert entry.data["decision_reference"] == "KS 2026-00042, dokumenthanteringsplan 3.2.1"

    # The kept list shows it.
    listing = client.get(reverse("motions_gallring")).content.decode()
    assert motion.case_number in listing
    assert "Hela ärendet gallras." in listing


def test_without_the_gallring_permission_gallring_is_forbidden(client, clerk):
    motion = MotionFactory()
    assert gallra_url(motion) not in client.get(snippet_url(motion, "list")).content.decode()
    response = client.post(gallra_url(motion), gallring_post())
    assert response.status_code == 403
    assert client.get(reverse("motions_gallring")).status_code == 403
    # Holding delete_motion changes nothing either.
    client.post(snippet_url(motion, "delete", motion.pk))
    assert Motion.objects.filter(pk=motion.pk).exists()
    assert not GallringRecord.objects.exists()
    assert not ModelLogEntry.objects.filter(action="motions.gallra").exists()


def test_the_service_refuses_without_a_reference_reason_or_past_date(superuser):
    motion = MotionFactory()
    valid = {"decision_reference": "KS 2026-1", "decided_on": date(2026, 1, 1), "reason": "Plan."}
    for bad in ({"decision_reference": " "}, {"reason": ""}, {"decided_on": date(2999, 1, 1)}):
        with pytest.raises(GallringRefused):
            record_gallra(instance=motion, user=superuser, **{**valid, **bad})
    assert Motion.objects.filter(pk=motion.pk).exists()
    record_gallra(instance=motion, user=superuser, **valid)
    assert not Motion.objects.filter(pk=motion.pk).exists()
