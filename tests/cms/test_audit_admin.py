"""The admin's audit log over HTTP: a secretariat and an auditor read their municipality's log
with the before/after and download it as CSV; nobody else reads it; Wagtail's reports across
all municipalities are for superusers only."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.log_actions import log
from wagtail.models import GroupPagePermission, Page

from motions.models import RoleKind
from tests.factories import BodyFactory, MotionFactory, OrganFactory, PartyFactory
from tests.records import grant, snippet_url, staff_member
from tests.security.test_xss_corpus import form_data

pytestmark = pytest.mark.django_db

AUDIT = "cms_audit_log"
EXPORT = "cms_audit_log_export"
GLOBAL_REPORTS = [
    "wagtailadmin_reports:site_history",
    "wagtailadmin_reports:site_history_results",
    "wagtailadmin_reports:workflow",
    "wagtailadmin_reports:workflow_tasks",
    "wagtailadmin_reports:page_types_usage",
]
MOTION_PERMISSIONS = ["add_motion", "change_motion", "publish_motion", "view_motion"]


@pytest.fixture
def a():
    return BodyFactory(name="Alingsås kommun")


@pytest.fixture
def b():
    return BodyFactory(name="Bollebygds kommun")


@pytest.fixture
def secretary(a):
    return staff_member("sekreterare", "Sekretariat", MOTION_PERMISSIONS, body=a)


@pytest.fixture
def auditor(a):
    return grant(staff_member("revisor", "Granskare", ["view_motion"]), a, RoleKind.AUDITOR)


@pytest.fixture
def theirs(b):
    """Another municipality's motion, edited there: its title must never show in A's log."""
    motion = MotionFactory(body=b, title="Bollebygds hemliga motion")
    motion.title = "Bollebygds hemliga motion, ändrad"
    motion.save_revision(log_action=True)
    return motion


def edit_title_in_the_admin(client, motion, title):
    url = snippet_url(motion, "edit", motion.pk)
    data = form_data(client, url)
    data["title"] = title
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["form"].errors


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_secretariat_sees_an_edit_made_in_the_admin_with_the_old_and_new_title(
    client, a, secretary, theirs
):
    motion = MotionFactory(body=a, title="Fler parkbänkar")
    client.force_login(secretary)
    edit_title_in_the_admin(client, motion, "Fler parkbänkar i Nolhaga")

    page = client.get(reverse(AUDIT)).content.decode()

    assert "<del>Fler parkbänkar</del> → <ins>Fler parkbänkar i Nolhaga</ins>" in page
    assert snippet_url(motion, "edit", motion.pk) in page
    assert "Bollebygd" not in page
    assert "Alingsås kommun" not in page  # one municipality: no column naming it


def test_an_auditor_reads_the_same_log_and_opens_records_read_only(client, a, auditor, theirs):
    motion = MotionFactory(body=a, title="Fler parkbänkar")
    motion.title = "Fler parkbänkar i Nolhaga"
    motion.save_revision(log_action=True)
    client.force_login(auditor)

    page = client.get(reverse(AUDIT)).content.decode()

    assert "<del>Fler parkbänkar</del> → <ins>Fler parkbänkar i Nolhaga</ins>" in page
    assert snippet_url(motion, "inspect", motion.pk) in page
    assert snippet_url(motion, "edit", motion.pk) not in page
    assert "Bollebygd" not in page


def test_the_csv_holds_the_municipalitys_rows_only_with_formulas_made_text(
    client, a, secretary, theirs
):
    formula = '=HYPERLINK("http://evil.example","klicka")'
    organ = OrganFactory(body=a, name=formula)
    log(instance=organ, action="wagtail.create", user=secretary)
    motion = MotionFactory(body=a, title="Fler parkbänkar")
    client.force_login(secretary)

    response = client.get(reverse(EXPORT))

    assert response["Content-Type"].startswith("text/csv")
    header, *rows = csv_rows(response)
    assert len(header) == 8  # time, user, municipality, record type, id, record, action, changes
    assert {row[5] for row in rows} == {"'" + formula, str(motion)}
    assert not any("Bollebygd" in cell for row in rows for cell in row)


def test_the_csv_follows_the_filter(client, a, secretary):
    motion = MotionFactory(body=a)
    log(instance=motion, action="motions.refer", user=secretary, data={"due_on": "2026-03-01"})
    client.force_login(secretary)

    _header, *rows = csv_rows(client.get(reverse(EXPORT), {"action": "motions.refer"}))

    assert [row[7] for row in rows] == ["Due on: 2026-03-01"]


@pytest.mark.parametrize("kind", [None, RoleKind.OFFICER, RoleKind.PARTY_GROUP])
def test_users_without_a_secretariat_or_auditor_role_are_refused(client, a, theirs, kind):
    user = staff_member("utan", "Utan", MOTION_PERMISSIONS)
    if kind == RoleKind.OFFICER:
        grant(user, a, kind, organ=OrganFactory(body=a))
    elif kind == RoleKind.PARTY_GROUP:
        grant(user, a, kind, party=PartyFactory(body=a))
    client.force_login(user)

    assert client.get(reverse(AUDIT)).status_code == 403
    assert client.get(reverse(EXPORT)).status_code == 403
    assert reverse(AUDIT) not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_a_superuser_sees_every_municipality_with_its_name(client, superuser, a, theirs):
    MotionFactory(body=a, title="Alingsås motion")

    page = client.get(reverse(AUDIT)).content.decode()

    assert "Alingsås motion" in page
    assert "Bollebygds hemliga motion" in page
    assert "Alingsås kommun" in page
    assert "Bollebygds kommun" in page


@pytest.mark.parametrize("report", GLOBAL_REPORTS)
def test_wagtails_reports_across_municipalities_are_for_superusers_only(client, secretary, report):
    client.force_login(secretary)
    refused = client.get(reverse(report))

    assert refused.status_code == 403
    assert reverse(AUDIT) in refused.content.decode()


def test_a_superuser_still_reads_the_site_history(client, superuser, theirs):
    assert client.get(reverse("wagtailadmin_reports:site_history")).status_code == 200


def test_the_menu_offers_the_audit_log_not_the_reports_across_municipalities(client, secretary):
    """Even to a secretariat that edits pages, to whom Wagtail would show those reports."""
    editors = Group.objects.get(name="Sekretariat")
    GroupPagePermission.objects.create(
        group=editors,
        page=Page.get_first_root_node(),
        permission=Permission.objects.get(codename="change_page"),
    )
    client.force_login(secretary)

    page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert reverse(AUDIT) in page
    assert reverse("wagtailadmin_reports:aging_pages") in page  # scoped by page permissions
    for report in GLOBAL_REPORTS:
        assert reverse(report) not in page


@pytest.mark.parametrize("entries", [5, 60])
def test_a_page_of_the_log_costs_the_same_queries_however_many_entries(
    client, a, secretary, django_assert_max_num_queries, entries
):
    motions = [MotionFactory(body=a) for _ in range(3)]
    for i in range(entries):
        motion = motions[i % 3]
        motion.title = f"Titel {i}"
        motion.save_revision(user=secretary, log_action=True)
    client.force_login(secretary)
    client.get(reverse(AUDIT))  # the user's permissions and session, read once

    with django_assert_max_num_queries(QUERIES):
        response = client.get(reverse(AUDIT))

    assert response.content.decode().count("<ins>Titel") == min(entries, 50)


QUERIES = 16
