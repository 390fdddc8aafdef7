"""The audit log per municipality (REQ-OFF-03): which entries a user reads, and what each one
says changed. Over HTTP in tests/cms/test_audit_admin.py."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page

from cms.models import ContentPage, HomePage
from motions import audit
from motions.gallring import record_gallra
from motions.models import RoleKind
from tests.factories import BodyFactory, MotionFactory, OrganFactory
from tests.records import grant, staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def a():
    return BodyFactory(name="Alingsås kommun")


@pytest.fixture
def b():
    return BodyFactory(name="Bollebygds kommun")


@pytest.fixture
def secretary(a):
    return staff_member("sekreterare", "Sekretariat", ["change_motion", "gallra"], body=a)


def retitle(motion, title, user):
    """A new revision of `motion` with another title, logged as the admin's "save draft" logs it."""
    motion.title = title
    return motion.save_revision(user=user, log_action=True)


def log_of(user, **narrowed):
    return audit.audit_rows(user, audit.audit_log(user, audit.AuditFilter(**narrowed)))


def test_the_secretariat_reads_its_municipalitys_edits_with_the_old_and_new_title(a, b, secretary):
    ours = MotionFactory(body=a, title="Fler parkbänkar")
    theirs = MotionFactory(body=b, title="Hemlig motion i Bollebygd")
    retitle(ours, "Fler parkbänkar i Nolhaga", secretary)
    retitle(theirs, "Bollebygds nya titel", secretary)

    rows = log_of(secretary)

    assert {row.record_id for row in rows} == {str(ours.pk)}
    assert not any("Bollebygd" in row.record for row in rows)
    edit = next(row for row in rows if row.action_code == "wagtail.edit")
    assert [(c.old, c.new) for c in edit.changes] == [
        ("Fler parkbänkar", "Fler parkbänkar i Nolhaga")
    ]
    assert edit.user == "sekreterare"
    assert edit.record_url.endswith(f"/{ours.pk}/")


def test_an_auditor_reads_the_same_log_and_an_officer_or_a_user_without_a_role_none(
    a, b, secretary
):
    ours = MotionFactory(body=a, title="Alingsås motion")
    MotionFactory(body=b, title="Bollebygds motion")
    auditor = grant(staff_member("revisor", "Revisorer", ["view_motion"]), a, RoleKind.AUDITOR)
    officer = grant(
        staff_member("handlaggare", "Handläggare", []),
        a,
        RoleKind.OFFICER,
        organ=OrganFactory(body=a),
    )
    nobody = staff_member("ingen", "Utan roll", ["change_motion"])

    assert {r.record for r in log_of(auditor)} == {r.record for r in log_of(secretary)}
    assert {r.record_id for r in log_of(auditor)} == {str(ours.pk)}
    assert audit.can_read_log(auditor)
    assert audit.can_read_log(secretary)
    assert not audit.can_read_log(officer)
    assert not audit.can_read_log(nobody)
    assert log_of(nobody) == []


def test_a_superuser_reads_every_municipality_each_entry_naming_its_own(a, b):
    ours = MotionFactory(body=a)
    theirs = MotionFactory(body=b)
    admin = get_user_model().objects.create_superuser("admin", password="x")

    bodies = {row.record_id: row.body for row in log_of(admin)}

    assert bodies[str(ours.pk)] == "Alingsås kommun"
    assert bodies[str(theirs.pk)] == "Bollebygds kommun"


def test_a_record_removed_by_gallring_keeps_its_log_with_the_gallringsbeslut(a, b, secretary):
    motion = MotionFactory(body=a, title="Gallras snart")
    pk = motion.pk
    record_gallra(
        instance=motion,
        decision_reference="KS 2026-00042",
        decided_on=date(2026, 1, 15),
        reason="Dubblett",
        user=secretary,
    )
    other_secretary = staff_member("annan", "Sekretariat B", ["change_motion"], body=b)

    rows = log_of(secretary)

    gallring = next(row for row in rows if row.action_code == "motions.gallra")
    assert gallring.record == f"{motion.case_number}: Gallras snart"
    assert gallring.body == "Alingsås kommun"  # from its GallringRecord: the motion is gone
    assert any("KS 2026-00042" in str(change) for change in gallring.changes)
    assert gallring.record_url is None  # nothing left to open
    assert {row.record_id for row in rows} == {str(pk)}
    assert log_of(other_secretary) == []


def test_a_lifecycle_entry_shows_its_data(a, secretary):
    motion = MotionFactory(body=a)
    log(instance=motion, action="motions.refer", user=secretary, data={"due_on": "2026-03-01"})

    refer = next(row for row in log_of(secretary) if row.action_code == "motions.refer")

    assert [str(change) for change in refer.changes] == ["Due on: 2026-03-01"]


def test_a_changed_reference_is_shown_by_name_not_by_id(a, secretary):
    motion = MotionFactory(body=a)
    motion.body = BodyFactory(name="Ett annat namn")
    motion.save_revision(user=secretary, log_action=True)
    admin = get_user_model().objects.create_superuser("root", password="x")

    edit = next(row for row in log_of(admin) if row.action_code == "wagtail.edit")

    assert ("Alingsås kommun", "Ett annat namn") in [(c.old, c.new) for c in edit.changes]


def test_pages_under_the_municipalitys_home_page_are_in_its_log_only(a, b, secretary):
    root = Page.get_first_root_node()
    home_a = root.add_child(instance=HomePage(title="Alingsås", slug="alingsas", body=a))
    home_b = root.add_child(instance=HomePage(title="Bollebygd", slug="bollebygd", body=b))
    ours = home_a.add_child(instance=ContentPage(title="Om Alingsås", slug="om", body="<p>A</p>"))
    theirs = home_b.add_child(
        instance=ContentPage(title="Om Bollebygd", slug="om", body="<p>B</p>")
    )
    for page in (ours, theirs):
        page.save_revision(user=secretary)  # as the admin's create view saves the first one
        page.title = f"{page.title} (ändrad)"
        page.save_revision(user=secretary, log_action=True)

    rows = log_of(secretary, record_type="pages")

    assert rows
    assert all("Alingsås" in row.record for row in rows)
    edit = next(row for row in rows if row.action_code == "wagtail.edit")
    assert [(c.old, c.new) for c in edit.changes] == [("Om Alingsås", "Om Alingsås (ändrad)")]


def test_the_filters_narrow_the_log(a, secretary):
    motion = MotionFactory(body=a, title="Filtrerad")
    colleague = staff_member("kollega", "Sekretariat 2", ["change_motion"], body=a)
    retitle(motion, "Filtrerad av kollegan", colleague)
    tomorrow = timezone.localdate() + timedelta(days=1)

    assert {r.user for r in log_of(secretary, user_id=colleague.pk)} == {"kollega"}
    assert {r.action_code for r in log_of(secretary, action="wagtail.edit")} == {"wagtail.edit"}
    assert log_of(secretary, since=tomorrow) == []
    assert log_of(secretary, until=tomorrow)
    assert log_of(secretary, record_type="motions.motion")
    assert log_of(secretary, record_type="motions.decision") == []
    assert log_of(secretary, record_type="pages") == []
