"""Addresses and markers shared by the tests that try to delete registered records."""

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
