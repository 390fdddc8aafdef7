"""The secretary's register import in the admin, over HTTP: upload, columns (remembered per
municipality), dry run with every row error, commit all or nothing, cancel, and the rule that
nobody imports into another municipality. The engine's own rules are test_import_*.py."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import ModelLogEntry

from cms.roles import role_set_up
from motions.models import Motion, RoleKind
from registers import import_runs, importing
from registers.models import ImportMapping, ImportRun, ImportStatus
from tests.factories import BodyFactory, MotionFactory, PartyFactory
from tests.records import staff_member

pytestmark = pytest.mark.django_db

# "Ärende-id" is no heading the engine knows: the secretary maps it by hand, once.
HEADINGS = "Ärende-id;Rubrik;Inkom;Att-satser;Parti;Anteckning"
GOOD = [
    "KS 2024-1;Cykelbanor längs Viskan;2024-01-10;att bygga cykelbanor;M;intern",
    "KS 2024-2;Fler bänkar i parkerna;2024-02-12;att ställa ut bänkar;;",
]
UNKNOWN_PARTY = "KS 2024-3;Belysning i tunneln;2024-03-01;att tända lampor;XYZ;"


def csv_file(*rows, name="register.csv", headings=HEADINGS):
    return SimpleUploadedFile(name, "\n".join([headings, *rows]).encode(), "text/csv")


@pytest.fixture
def boras(db):
    body = BodyFactory(name="Borås Stad", slug="boras")
    PartyFactory(body=body, name="Moderaterna", abbreviation="M")
    return body


@pytest.fixture
def kungalv(db):
    return BodyFactory(name="Kungälvs kommun", slug="kungalv")


def secretariat_of(body, username):
    user = staff_member(username, "Tom grupp", [])
    user.groups.add(role_set_up(body=body, kind=RoleKind.SECRETARIAT).group)
    return user


@pytest.fixture
def secretary(client, boras):
    user = secretariat_of(boras, "sekreterare")
    client.force_login(user)
    return user


def upload(client, body, file):
    return client.post(reverse("registers_import"), {"body": body.pk, "file": file})


def columns(run, **chosen):
    """The mapping form's POST: heading -> field key."""
    return {f"column-{i}": chosen.get(heading, "") for i, heading in enumerate(run.headings)}


def mapping_shown(response) -> dict[str, str]:
    form = response.context["form"]
    return {form.fields[name].label: form[name].value() for name in form.fields}


BY_HAND = {
    "Ärende-id": "case_number",
    "Rubrik": "title",
    "Inkom": "submitted_on",
    "Att-satser": "clauses",
    "Parti": "party",
}


def test_upload_columns_dry_run_and_commit(
    client, secretary, boras, kungalv, django_capture_on_commit_callbacks
):
    # Step 1: the page offers only the user's own municipality, and the template.
    page = client.get(reverse("registers_import"))
    assert page.status_code == 200
    assert list(page.context["form"].fields["body"].queryset) == [boras]
    template = client.get(reverse("registers_import_template"))
    assert template.status_code == 200
    assert template.content[:4] == b"PK\x03\x04"  # an XLSX workbook

    response = upload(client, boras, csv_file(*GOOD, UNKNOWN_PARTY))
    run = ImportRun.objects.get()
    assert response.url == reverse("registers_import_mapping", args=[run.pk])
    assert (run.body, run.user, run.row_count) == (boras, secretary, 3)

    # Step 2: what the engine recognises is preselected; "Ärende-id" is not.
    shown = mapping_shown(client.get(response.url))
    assert shown["Rubrik"] == "title"
    assert shown["Ärende-id"] == ""
    assert shown["Anteckning"] == ""
    response = client.post(response.url, columns(run, **BY_HAND))
    assert response.url == reverse("registers_import_report", args=[run.pk])
    assert ImportMapping.objects.get(body=boras).mapping["Ärende-id"] == "case_number"

    # Step 3: the dry run counts the good rows and lists the bad one's error, row and column.
    page = client.get(response.url)
    run.refresh_from_db()
    assert (run.status, run.creates, run.updates, run.skips) == ("checked", 2, 0, 0), run.errors
    assert [(e["row"], e["column"]) for e in run.errors] == [(4, "Parti")]
    content = page.content.decode()
    assert "data-row-errors" in content
    assert "XYZ" in content
    assert reverse("registers_import_commit", args=[run.pk]) not in content  # no commit button
    # A forged commit of a plan with errors is refused and changes nothing.
    client.post(reverse("registers_import_commit", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportStatus.CHECKED
    assert not Motion.objects.exists()

    # The corrected file: its columns start from what the secretary chose last time.
    response = upload(client, boras, csv_file(*GOOD))
    fixed = ImportRun.objects.exclude(pk=run.pk).get()
    shown = mapping_shown(client.get(response.url))
    assert {heading: shown[heading] for heading in BY_HAND} == BY_HAND
    client.post(response.url, columns(fixed, **shown))
    fixed.refresh_from_db()
    assert (fixed.status, fixed.creates, fixed.errors) == ("checked", 2, [])

    # Step 4: commit; without a broker the task runs once the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registers_import_commit", args=[fixed.pk]))
    assert response.url == reverse("registers_import_run", args=[fixed.pk])
    fixed.refresh_from_db()
    assert fixed.status == ImportStatus.DONE
    assert fixed.content is None  # the uploaded file is not kept
    assert fixed.label.endswith("register.csv")
    assert set(Motion.objects.filter(body=boras).values_list("case_number", flat=True)) == {
        "KS 2024-1",
        "KS 2024-2",
    }
    assert ModelLogEntry.objects.filter(action=importing.LOG_ACTION).count() == 2
    page = client.get(response.url)
    assert 'data-import-status="done"' in page.content.decode()
    assert "refresh" not in page.content.decode().split("<body")[0]  # a finished run stays put

    # The same file again: nothing to create, nothing changed.
    response = upload(client, boras, csv_file(*GOOD))
    again = ImportRun.objects.latest("pk")
    client.post(response.url, columns(again, **BY_HAND))
    again.refresh_from_db()
    assert (again.creates, again.updates, again.skips) == (0, 0, 2)


def checked_run(body, user, *rows) -> ImportRun:
    """A run through upload and columns, ready to commit (the services the views call)."""
    file = "\n".join([HEADINGS, *rows]).encode()
    run = import_runs.run_upload(body=body, user=user, filename="register.csv", content=file)
    assert import_runs.run_map_and_check(run=run, mapping=BY_HAND, user=user) == []
    return run


def test_a_cancelled_run_changes_nothing(
    client, secretary, boras, monkeypatch, django_capture_on_commit_callbacks
):
    MotionFactory(body=boras, case_number="KS 2024-1", title="Gammal titel")
    run = checked_run(boras, secretary, *GOOD)
    assert (run.creates, run.updates) == (1, 1)
    # One row per batch, and the flag read at every batch.
    monkeypatch.setattr(importing, "BATCH_SIZE", 1)
    monkeypatch.setattr(import_runs, "PROGRESS_EVERY", 0)
    seen = []
    original = import_runs._Reporter.progress

    def progress(reporter, done, total):
        original(reporter, done, total)
        seen.append(done)
        if done == 1:  # the first row is written: cancel, as the Cancel button does
            ImportRun.objects.filter(pk=run.pk).update(cancel_requested=True)

    monkeypatch.setattr(import_runs._Reporter, "progress", progress)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registers_import_commit", args=[run.pk]))
    run.refresh_from_db()
    assert seen == [1]  # stopped after the first row, before the second
    assert run.status == ImportStatus.CANCELLED
    assert run.content is None
    motion = Motion.objects.get(body=boras)
    assert (motion.case_number, motion.title) == ("KS 2024-1", "Gammal titel")
    assert not ModelLogEntry.objects.filter(action=importing.LOG_ACTION).exists()
    page = client.get(reverse("registers_import_run", args=[run.pk])).content.decode()
    assert 'data-import-status="cancelled"' in page


def test_discarding_an_upload_deletes_the_file(client, secretary, boras):
    run = checked_run(boras, secretary, *GOOD)
    response = client.post(reverse("registers_import_cancel", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.status, run.content) == (ImportStatus.CANCELLED, None)
    # A cancelled run cannot be committed any more.
    client.post(reverse("registers_import_commit", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportStatus.CANCELLED
    assert not Motion.objects.exists()


def test_another_municipalitys_secretary_reaches_nothing(client, boras, kungalv):
    owner = secretariat_of(boras, "boras-sekreterare")
    run = checked_run(boras, owner, *GOOD)
    client.force_login(secretariat_of(kungalv, "kungalv-sekreterare"))
    for name in ("registers_import_mapping", "registers_import_report", "registers_import_run"):
        assert client.get(reverse(name, args=[run.pk])).status_code == 404
    for name in ("registers_import_commit", "registers_import_cancel"):
        assert client.post(reverse(name, args=[run.pk])).status_code == 404
    # Uploading into Borås is an invalid choice, not a run; the list shows no Borås run.
    response = upload(client, boras, csv_file(*GOOD))
    assert response.status_code == 200
    assert "body" in response.context["form"].errors
    page = client.get(reverse("registers_import"))
    assert page.context["runs"] == []
    assert list(page.context["form"].fields["body"].queryset) == [kungalv]
    run.refresh_from_db()
    assert (run.status, ImportRun.objects.count()) == (ImportStatus.CHECKED, 1)
    assert not Motion.objects.exists()


def test_only_those_who_may_add_motions_see_the_import(client, boras):
    auditor = staff_member("granskare", "Tom grupp", [])
    auditor.groups.add(role_set_up(body=boras, kind=RoleKind.AUDITOR).group)
    client.force_login(auditor)
    # Wagtail answers a denied admin view with a redirect to the dashboard and a message.
    for name in ("registers_import", "registers_import_template"):
        response = client.get(reverse(name))
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert (
        reverse("registers_import") not in client.get(reverse("wagtailadmin_home")).content.decode()
    )
    client.force_login(secretariat_of(boras, "sekreterare"))
    assert reverse("registers_import") in client.get(reverse("wagtailadmin_home")).content.decode()


def test_bad_files_and_mappings_get_a_message_and_change_nothing(client, secretary, boras):
    def refused(file) -> str:
        response = (
            upload(client, boras, file)
            if file
            else client.post(reverse("registers_import"), {"body": boras.pk})
        )
        assert response.status_code == 200
        assert 'role="alert"' in response.content.decode()
        return " ".join(response.context["form"].errors["file"])

    assert refused(None)
    too_big = SimpleUploadedFile("register.csv", b"x" * (importing.MAX_BYTES + 1))
    assert "10" in refused(too_big)
    assert refused(SimpleUploadedFile("register.xlsx", b"PK\x03\x04" + bytes(range(256)) * 4000))
    latin = SimpleUploadedFile("register.csv", "\n".join([HEADINGS, *GOOD]).encode("cp1252"))
    assert refused(latin)
    assert not ImportRun.objects.exists()

    # Columns: two headings on one field, and a required field without a column.
    upload(client, boras, csv_file(*GOOD))
    run = ImportRun.objects.get()
    url = reverse("registers_import_mapping", args=[run.pk])
    for wrong in (
        {**BY_HAND, "Anteckning": "title"},
        {key: value for key, value in BY_HAND.items() if value != "case_number"},
    ):
        response = client.post(url, columns(run, **wrong))
        assert response.status_code == 200
        assert response.context["errors"]
        assert 'role="alert"' in response.content.decode()
    run.refresh_from_db()
    assert (run.status, run.mapping["Ärende-id"]) == (ImportStatus.UPLOADED, "")
    assert not ImportMapping.objects.exists()


def test_the_list_of_runs_costs_the_same_for_many(
    client, secretary, boras, django_assert_max_num_queries
):
    # The admin's session, user, menu and messages, the user's municipalities, and the runs.
    checked_run(boras, secretary, *GOOD)
    with django_assert_max_num_queries(18):
        client.get(reverse("registers_import"))
    for _ in range(6):
        checked_run(boras, secretary, *GOOD)
    with django_assert_max_num_queries(18):
        page = client.get(reverse("registers_import"))
    assert len(page.context["runs"]) == 7


def test_uploads_never_imported_are_deleted_after_a_week(secretary, boras):
    from datetime import timedelta

    from django.utils import timezone

    from registers import tasks

    old, fresh, lost = (checked_run(boras, secretary, *GOOD) for _ in range(3))
    import_runs.run_commit(run=lost, user=secretary)  # committed, but no worker ever ran it
    now = timezone.now()
    ImportRun.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=8))
    ImportRun.objects.filter(pk=lost.pk).update(created_at=now - timedelta(days=2))
    assert tasks.sweep_import_runs() == 2
    for run in (old, fresh, lost):
        run.refresh_from_db()
    assert (old.status, old.content) == (ImportStatus.CANCELLED, None)
    assert (lost.status, lost.content) == (ImportStatus.FAILED, None)
    assert fresh.status == ImportStatus.CHECKED
    assert bytes(fresh.content).startswith(HEADINGS.encode())
    assert not Motion.objects.exists()


def test_a_broker_that_does_not_answer_leaves_the_dry_run_to_try_again(
    client, secretary, boras, monkeypatch
):
    from kombu.exceptions import OperationalError

    from registers import tasks

    def unreachable(*args):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.import_run_execute, "delay_on_commit", unreachable)
    run = checked_run(boras, secretary, *GOOD)
    response = client.post(reverse("registers_import_commit", args=[run.pk]))
    assert response.url == reverse("registers_import_report", args=[run.pk])
    run.refresh_from_db()
    assert (run.status, run.started_at) == (ImportStatus.CHECKED, None)
    assert bytes(run.content)  # kept, to try again
    assert not Motion.objects.exists()
