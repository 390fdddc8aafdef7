"""Addresses, markers and admin users shared by the tests that work in the admin."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

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


def staff_member(username: str, group: str, codenames: list[str]):
    """A user in `group`, which may enter the admin and holds the permissions `codenames`."""
    user = get_user_model().objects.create_user(username, password="x")
    group, _created = Group.objects.get_or_create(name=group)
    group.permissions.add(*Permission.objects.filter(codename__in=["access_admin", *codenames]))
    user.groups.add(group)
    return user
