"""Addresses, markers and admin users shared by the tests that work in the admin."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from motions.models import Role, RoleKind

REFUSED = "registrerad handling"  # in the Swedish refusal: "… är en registrerad handling …"


def snippet_url(obj, view, *args):
    return reverse(obj.snippet_viewset.get_url_name(view), args=args)


def bulk_delete_url(obj):
    opts = obj._meta
    return (
        reverse("wagtail_bulk_action", args=[opts.app_label, opts.model_name, "delete"])
        + f"?id={obj.pk}"
    )


def gallra_url(obj):
    opts = obj._meta
    return reverse("motions_gallra", args=[opts.app_label, opts.model_name, obj.pk])


def staff_member(username: str, group: str, codenames: list[str], *, body=None):
    """A user in `group`, which may enter the admin and holds the permissions `codenames`;
    with `body`, in that municipality's secretariat (else it reaches no record until `grant`)."""
    user = get_user_model().objects.create_user(username, password="x")
    group, _created = Group.objects.get_or_create(name=group)
    group.permissions.add(*Permission.objects.filter(codename__in=["access_admin", *codenames]))
    user.groups.add(group)
    if body is not None:
        grant(user, body)
    return user


def grant(user, body, kind=RoleKind.SECRETARIAT, *, organ=None, party=None):
    """Give `user` a role in `body` through a group of its own that grants what the user's
    role-less groups grant: a group's permissions apply where its own role reaches."""
    group = Group.objects.create(name=f"{body.slug}: {kind} {Group.objects.count() + 1}")
    Role.objects.create(group=group, body=body, kind=kind, organ=organ, party=party)
    group.permissions.add(
        *Permission.objects.filter(group__user=user, group__role__isnull=True).distinct()
    )
    user.groups.add(group)
    user.__dict__.pop("_beslutsspar_reach", None)
    user.__dict__.pop("_beslutsspar_roles", None)
    return user
