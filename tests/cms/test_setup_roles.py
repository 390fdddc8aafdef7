"""`manage.py setup_roles`: each municipality's role groups, made once, and left as an
administrator changed them."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import gettext

from motions.models import Role, RoleKind
from tests.factories import BodyFactory, CommitmentFactory, OrganFactory, PartyFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("setup_roles", *args, stdout=out)
    return out.getvalue()


def perms(group) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


@pytest.fixture
def boras(db):
    body = BodyFactory(name="Borås Stad", slug="boras")
    PartyFactory(body=body, abbreviation="S", name="Socialdemokraterna", slug="s")
    return body


def test_the_groups_exist_with_their_permissions(boras):
    commitment = CommitmentFactory(decision__motion__body=boras)
    aln = OrganFactory(body=boras, name="Arbetslivsnämnden", slug="arbetslivsnamnden")

    output = run("--body", "boras", "--party-groups", "--organ", "arbetslivsnamnden")

    roles = {(r.kind, r.organ_id, r.party_id): r.group for r in Role.objects.filter(body=boras)}
    secretariat = roles[(RoleKind.SECRETARIAT, None, None)]
    auditor = roles[(RoleKind.AUDITOR, None, None)]
    officer = roles[(RoleKind.OFFICER, commitment.responsible_organ_id, None)]
    assert (RoleKind.OFFICER, aln.pk, None) in roles
    political = Role.objects.get(kind=RoleKind.PARTY_GROUP, party__abbreviation="S").group
    # One political group per party: S, and the party of the commitment's motion.
    assert Role.objects.filter(kind=RoleKind.PARTY_GROUP).count() == 2

    assert {"motions.publish_motion", "plans.change_commitment", "motions.gallra"} <= perms(
        secretariat
    )
    assert "plans.change_followup" in perms(officer)
    assert "motions.change_motion" not in perms(officer)
    assert "motions.view_motion" in perms(auditor)
    assert not any(
        p.split(".")[1].startswith(("add_", "change_", "delete_")) for p in perms(auditor)
    )
    assert perms(political) == {"wagtailadmin.access_admin"}
    for group in (secretariat, auditor, officer, political):
        assert group.name in output
    assert [line.split()[0] for line in output.splitlines()[:-1]] == [gettext("new")] * 6


def test_a_second_run_creates_nothing_and_keeps_an_administrators_changes(boras):
    run("--body", "boras", "--party-groups")
    groups, roles = Group.objects.count(), Role.objects.count()
    secretariat = Role.objects.get(body=boras, kind=RoleKind.SECRETARIAT).group
    extra = Permission.objects.get(content_type__app_label="motions", codename="delete_party")
    secretariat.permissions.add(extra)
    secretariat.name = "Borås: kommunkansliet"
    secretariat.save()

    output = run("--body", "boras", "--party-groups")

    assert (Group.objects.count(), Role.objects.count()) == (groups, roles)
    secretariat.refresh_from_db()
    assert extra in secretariat.permissions.all()
    assert secretariat.name == "Borås: kommunkansliet"
    assert {line.split()[0] for line in output.splitlines()[:-1]} == {gettext("existed")}


def test_every_municipality_by_default_and_party_groups_only_when_asked(boras):
    other = BodyFactory(name="Västerås stad", slug="vasteras")

    run()

    assert set(Role.objects.values_list("body__slug", flat=True)) == {"boras", "vasteras"}
    assert not Role.objects.filter(kind=RoleKind.PARTY_GROUP).exists()
    assert Role.objects.filter(body=other, kind=RoleKind.SECRETARIAT).exists()


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--body", "nowhere"], "nowhere"),
        (["--body", "boras", "--organ", "no-such-organ"], "no-such-organ"),
    ],
)
def test_an_unknown_slug_fails_clearly_and_makes_nothing(boras, args, named):
    with pytest.raises(CommandError, match=named):
        run(*args)
    assert not Role.objects.exists()
