"""The secretariat's list of late follow-ups: its own municipality's commitments only, with the
organ that owes the follow-up, how late it is and the reminders already sent."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from motions.models import RoleKind
from plans import reminders, tasks
from tests.factories import BodyFactory, CommitmentFactory, OrganFactory
from tests.records import grant, staff_member

pytestmark = pytest.mark.django_db
URL = "/admin/plans/late-follow-ups/"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def late(body):
    organ = OrganFactory(body=body, kind="committee", name="Arbetslivsnämnden")
    commitment = CommitmentFactory(
        decision__motion__body=body, responsible_organ=organ, title="Från bidrag till lön"
    )
    officer = staff_member("anna", "Handläggare", ["view_commitment", "add_followup"])
    grant(officer, body, RoleKind.OFFICER, organ=organ)
    officer.email = "anna@boras.example"
    officer.save()
    due = commitment.decision.decided_on + reminders.FOLLOWUP_INTERVAL
    return commitment, officer, due


def test_the_secretariat_sees_its_late_commitments_with_the_reminders_sent(
    client, body, late, django_capture_on_commit_callbacks
):
    _commitment, _officer, due = late
    CommitmentFactory(
        decision__motion__body=BodyFactory(name="Kungälvs kommun"), title="Samhällskontraktet"
    )
    with time_machine.travel(due + timedelta(7)), django_capture_on_commit_callbacks(execute=True):
        tasks.owner_reminders.delay()
    secretariat = staff_member("kansliet", "Sekretariat", ["view_commitment"], body=body)
    client.force_login(secretariat)

    with time_machine.travel(due + timedelta(12)):
        html = client.get(URL).content.decode()
    assert "Från bidrag till lön" in html
    assert "Arbetslivsnämnden" in html
    assert "<td>12</td>" in html
    assert "Försenad uppföljning (mer än 7 dagar)" in html
    assert "Samhällskontraktet" not in html  # Kungälv's, and late too


def test_a_commitment_not_yet_due_is_not_listed(client, body, late):
    _commitment, _officer, due = late
    client.force_login(staff_member("kansliet", "Sekretariat", ["view_commitment"], body=body))
    with time_machine.travel(due - timedelta(1)):
        html = client.get(URL).content.decode()
    assert "Från bidrag till lön" not in html
    assert "Ingen uppföljning är försenad." in html


def test_an_officer_or_a_user_without_a_municipality_may_not_open_it(client, body, late):
    _commitment, officer, _due = late
    client.force_login(officer)
    response = client.get(URL)
    assert response.status_code in (302, 403)
    assert "Från bidrag till lön" not in response.content.decode()
    client.force_login(staff_member("nobody", "Ingen roll", ["view_commitment"]))
    assert client.get(URL).status_code in (302, 403)


def test_the_list_runs_a_fixed_number_of_queries(client, body, late, django_assert_max_num_queries):
    commitment, _officer, due = late
    client.force_login(staff_member("kansliet", "Sekretariat", ["view_commitment"], body=body))
    with time_machine.travel(due + timedelta(40)):
        with django_assert_max_num_queries(17):
            assert client.get(URL).status_code == 200
        for n in range(30):
            CommitmentFactory(
                decision=commitment.decision,
                responsible_organ=OrganFactory(body=body, kind="committee"),
                title=f"Sent åtagande {n}",
            )
        reminders.owner_plan(today=due + timedelta(40))
        with django_assert_max_num_queries(17):
            html = client.get(URL).content.decode()
    assert html.count("Sent åtagande") == 30
    assert reverse("plans_late_reporters") == URL
