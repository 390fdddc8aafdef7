"""The admin outside the snippet views asks the same access rule (`motions.access`): list
filters, choosers, form fields, the bulk delete, the dashboard, the 5:35 report, gallring and
the site settings offer only the user's own municipality's records, and name each record's
municipality when a user sees more than one. The full matrix of URLs and roles is
tests/security/test_permission_matrix.py."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page, Site

from cms.models import HomePage
from cms.roles import role_set_up
from motions import reports
from motions.models import Area, GallringRecord, Motion, Organ, OrganKind, RoleKind
from tests.factories import (
    AreaFactory,
    BodyFactory,
    CommitmentFactory,
    MeetingFactory,
    MotionFactory,
    OrganFactory,
    ProposalFactory,
)
from tests.records import bulk_delete_url, grant, snippet_url, staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def boras(db):
    return BodyFactory(name="Borås Stad", slug="boras")


@pytest.fixture
def kungalv(db):
    return BodyFactory(name="Kungälvs kommun", slug="kungalv")


def council(body):
    return OrganFactory(body=body, kind=OrganKind.COUNCIL, name="Kommunfullmäktige")


@pytest.fixture
def secretary(client, boras):
    """Borås's secretariat, signed in, with the role's own permissions (cms.roles)."""
    user = staff_member("sekreterare", "Tom grupp", [])
    user.groups.add(role_set_up(body=boras, kind=RoleKind.SECRETARIAT).group)
    client.force_login(user)
    return user


@pytest.fixture
def regional(client, boras, kungalv):
    """A regional secretariat: roles in two municipalities."""
    user = staff_member("region", "Tom grupp", [])
    for body in (boras, kungalv):
        user.groups.add(role_set_up(body=body, kind=RoleKind.SECRETARIAT).group)
    client.force_login(user)
    return user


def test_list_filters_offer_only_the_users_own_municipality_and_organs(
    client, secretary, boras, kungalv
):
    own = CommitmentFactory(decision__motion__body=boras)
    other = CommitmentFactory(decision__motion__body=kungalv)
    response = client.get(snippet_url(own, "list"))
    fields = response.context["filters"].form.fields
    assert list(fields["body"].queryset) == [boras]
    assert own.responsible_organ in fields["responsible_organ"].queryset
    assert other.responsible_organ not in fields["responsible_organ"].queryset
    # Wagtail's filters built from `list_filter` ask the same rule.
    motion = MotionFactory(body=boras)
    response = client.get(snippet_url(motion, "list"))
    assert list(response.context["filters"].form.fields["body"].queryset) == [boras]
    # Naming the other municipality in the filter is an invalid choice, not its records.
    response = client.get(snippet_url(motion, "list"), {"body": kungalv.pk})
    assert not response.context["filters"].is_valid()


def test_one_municipality_shows_no_municipality_column_or_labels(client, secretary, boras):
    motion = MotionFactory(body=boras)
    council(boras)
    response = client.get(snippet_url(motion, "list"))
    assert "municipality" not in [column.name for column in response.context["view"].columns]
    form = client.get(reverse("wagtailsnippets_motions_meeting:add")).context["form"]
    labels = [str(label) for value, label in form.fields["organ"].choices if value]
    assert labels == ["Kommunfullmäktige"]


def test_a_user_of_two_municipalities_sees_which_record_is_whose(
    client, regional, boras, kungalv, django_assert_max_num_queries
):
    for body in (boras, kungalv):
        council(body)
        MotionFactory(body=body, title=f"Motion i {body.slug}")
    # Lists: a municipality column.
    response = client.get(reverse("wagtailsnippets_motions_motion:list"))
    assert "municipality" in [column.name for column in response.context["view"].columns]
    content = response.content.decode()
    assert "Borås Stad" in content
    assert "Kungälvs kommun" in content
    # Select labels: "Kommunfullmäktige (Borås Stad)", not "Kommunfullmäktige" twice.
    form = client.get(reverse("wagtailsnippets_motions_meeting:add")).context["form"]
    labels = {str(label) for value, label in form.fields["organ"].choices if value}
    assert labels == {"Kommunfullmäktige (Borås Stad)", "Kommunfullmäktige (Kungälvs kommun)"}
    # The chooser widget of a saved choice names it too.
    meeting = MeetingFactory(organ=Organ.objects.get(body=kungalv))
    page = client.get(snippet_url(meeting, "edit", meeting.pk)).content.decode()
    assert "Kommunfullmäktige (Kungälvs kommun)" in page
    # Choosers: a municipality column, and the chosen record's label names it.
    chooser = Organ.snippet_viewset.chooser_viewset
    response = client.get(reverse(chooser.get_url_name("choose")))
    assert "Kungälvs kommun" in response.json()["html"]
    organ = Organ.objects.get(body=kungalv)
    response = client.get(reverse(chooser.get_url_name("chosen"), args=[organ.pk]))
    assert response.json()["result"]["string"] == "Kommunfullmäktige (Kungälvs kommun)"


def test_the_municipality_column_costs_no_query_per_row(
    client, regional, boras, kungalv, django_assert_max_num_queries
):
    """Proposals find their municipality through their motion: selected with the list."""
    for _number in range(2):
        ProposalFactory(motion__body=boras)
    list_url = reverse("wagtailsnippets_motions_committeeproposal:list")
    client.get(list_url)
    with CaptureQueriesContext(connection) as few:
        client.get(list_url)
    for _number in range(6):
        ProposalFactory(motion__body=kungalv)
    with django_assert_max_num_queries(len(few)):
        response = client.get(list_url)
    assert len(response.context["object_list"]) == 8
    assert "Kungälvs kommun" in response.content.decode()


def test_bulk_delete_finds_only_reachable_rows(client, boras, kungalv):
    """Even for a user who may delete areas, another municipality's are neither listed (by
    name, on the confirm page) nor deleted."""
    user = staff_member("sekreterare", "Radera stadsdelar", ["delete_area", "view_area"])
    grant(user, boras)
    client.force_login(user)
    own = AreaFactory(body=boras, name="Norrby")
    other = AreaFactory(body=kungalv, name="Ytterby")
    assert client.get(bulk_delete_url(other)).status_code == 404
    both = f"{bulk_delete_url(own)}&id={other.pk}"
    page = client.get(both).content.decode()
    assert "Norrby" in page
    assert "Ytterby" not in page
    client.post(both)
    assert list(Area.objects.all()) == [other]


def test_the_dashboard_lists_only_the_users_own_deadlines(client, secretary, boras, kungalv):
    # Submitted in February 2024 and undecided: past the one-year deadline.
    own = MotionFactory(body=boras, case_number="KS 2024-00001")
    other = MotionFactory(body=kungalv, case_number="KS 2024-09999")
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert own.case_number in page
    assert other.case_number not in page


def test_lifecycle_forms_and_reports_offer_only_the_users_municipality(
    client, secretary, boras, kungalv
):
    motion = MotionFactory(body=boras)
    own_organ = OrganFactory(body=boras, name="Tekniska nämnden")
    OrganFactory(body=kungalv, name="Kungälvs tekniska nämnd")
    response = client.get(reverse("motions_action", args=[motion.pk, "refer"]))
    assert list(response.context["form"].fields["organ"].queryset) == [own_organ]
    response = client.get(reverse("motions_report_index"))
    assert response.context["bodies"] == [boras]
    # The write-off and the report for another municipality: not found, nothing prepared.
    assert client.get(reverse("motions_bulk_write_off"), {"body": kungalv.pk}).status_code == 404
    response = client.post(
        reverse("motions_report_index"), {"body": kungalv.pk, "as_of": "2025-06-01"}
    )
    assert response.status_code == 404
    assert not kungalv.undecided_reports.exists()


def test_gallring_lists_only_the_users_own_removals(client, secretary, boras, kungalv):
    for body, name in ((boras, "Gallrad i Borås"), (kungalv, "Gallrad i Kungälv")):
        GallringRecord.objects.create(
            body=body,
            model_label="motions.motion",
            object_id="1",
            object_repr=name,
            decision_reference="KS 2026-1",
            decided_on=date(2026, 1, 1),
            reason="Enligt plan",
            removed={},
            user_name="x",
        )
    page = client.get(reverse("motions_gallring")).content.decode()
    assert "Gallrad i Borås" in page
    assert "Gallrad i Kungälv" not in page


def site_of(body):
    home = Page.get_first_root_node().add_child(
        instance=HomePage(title=body.name, slug=body.slug, body=body)
    )
    return Site.objects.create(hostname=f"{body.slug}.example.org", root_page=home)


def settings_url(site):
    return reverse("wagtailsettings:edit", args=["cms", "sitesettings", site.pk])


def test_site_settings_open_only_the_users_own_sites(client, secretary, superuser, boras, kungalv):
    own, other = site_of(boras), site_of(kungalv)
    client.force_login(secretary)
    assert client.get(settings_url(own)).status_code == 200
    assert client.get(settings_url(other)).status_code in (302, 403)
    # The settings menu's first stop is the user's own site, whichever site the admin is on.
    response = client.get(reverse("wagtailsettings:edit", args=["cms", "sitesettings"]))
    assert response.url == settings_url(own)
    client.force_login(superuser)
    assert client.get(settings_url(other)).status_code == 200


def test_roles_are_for_superusers_only(client, boras, superuser):
    role = role_set_up(body=boras, kind=RoleKind.AUDITOR)
    # Even a group given every permission on roles sees none.
    user = staff_member("nyfiken", "Roller", [])
    user.user_permissions.add(*Permission.objects.filter(content_type__model="role"))
    grant(user, boras)
    url = reverse("wagtailsnippets_motions_role:list")
    client.force_login(user)
    assert client.get(url).status_code in (302, 403)
    client.force_login(superuser)
    response = client.get(url)
    assert response.status_code == 200
    assert role.group.name == "Borås Stad: Granskare"
    assert role.group.name in response.content.decode()


def test_an_auditor_reads_the_report_without_the_controls_to_change_it(client, boras):
    auditor = staff_member("revisor", "Tom grupp", [])
    auditor.groups.add(role_set_up(body=boras, kind=RoleKind.AUDITOR).group)
    MotionFactory(body=boras, submitted_on=date(2024, 3, 1))  # undecided after a year
    report = reports.report_prepare(body=boras, as_of=date(2025, 6, 1))
    assert report.rows.exists()
    client.force_login(auditor)
    index = client.get(reverse("motions_report_index")).content.decode()
    assert "2025-06-01" in index
    assert 'name="as_of"' not in index
    detail = client.get(reverse("motions_report_detail", args=[report.pk])).content.decode()
    assert 'name="issue"' not in detail
    assert "<textarea" not in detail


@pytest.fixture
def secretary_who_audits(client, boras, kungalv):
    """Borås's secretariat who is also Kungälv's auditor: each group's permissions apply
    where its own role reaches."""
    user = staff_member("sekreterare-granskare", "Tom grupp", [])
    user.groups.add(role_set_up(body=boras, kind=RoleKind.SECRETARIAT).group)
    user.groups.add(role_set_up(body=kungalv, kind=RoleKind.AUDITOR).group)
    client.force_login(user)
    return user


def test_a_secretary_who_audits_another_municipality_changes_nothing_there(
    client, secretary_who_audits, boras, kungalv
):
    own = MotionFactory(body=boras, title="Borås motion")
    audited = MotionFactory(body=kungalv, title="Kungälvs motion")
    OrganFactory(body=kungalv, name="Kungälvs tekniska nämnd")

    # Kungälv is read, as the auditor reads it ...
    listed = client.get(snippet_url(audited, "list")).content.decode()
    assert "Kungälvs motion" in listed
    assert "Borås motion" in listed
    # ... but neither edited, referred, written off, reported on nor deleted.
    assert client.get(snippet_url(audited, "edit", audited.pk)).status_code != 200
    client.post(snippet_url(audited, "edit", audited.pk), {"title": "Ändrad"})
    audited.refresh_from_db()
    assert audited.title == "Kungälvs motion"
    assert client.get(reverse("motions_action", args=[audited.pk, "refer"])).status_code == 404
    assert client.get(reverse("motions_bulk_write_off"), {"body": kungalv.pk}).status_code == 404
    response = client.post(
        reverse("motions_report_index"), {"body": kungalv.pk, "as_of": "2025-06-01"}
    )
    assert response.status_code == 404
    assert not kungalv.undecided_reports.exists()
    client.post(bulk_delete_url(audited))
    assert Motion.objects.filter(pk=audited.pk).exists()
    # A new motion may be filed in Borås only.
    form = client.get(reverse("wagtailsnippets_motions_motion:add")).context["form"]
    assert list(form.fields["body"].queryset) == [boras]

    # In Borås the secretary works as before.
    assert client.get(snippet_url(own, "edit", own.pk)).status_code == 200
    assert client.get(reverse("motions_action", args=[own.pk, "refer"])).status_code == 200
