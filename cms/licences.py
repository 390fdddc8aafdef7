"""Which licence a download, feed or API answer states (DOMAIN.md REQ-OPEN-01).

Each municipality sets the licence of its published records (`Body.data_licence`, CC0 by
default). Exports, feeds and the calendar are always one municipality's, so they state its
licence. Only the API on a portal of several municipalities answers about more than one at
once: a record states its own municipality's licence, and a list over several municipalities
states the strictest of theirs. CC BY 4.0 is the stricter: whoever credits the source as it
asks also meets CC0, which asks nothing, while stating CC0 would waive a right that the
municipality that chose CC BY kept. `/api/v1/bodies` gives each municipality's own.

Every answer carries the licence as an HTTP `Link: <url>; rel="license"` header (RFC 8288;
the relation is registered with IANA), so a client need not read the file to find it. The
API reads the licences from a cached map, so stating them costs it no query."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from motions.models import Body, DataLicence

CACHE_KEY = "data-licences"


def licence_of(body) -> DataLicence:
    return DataLicence(body.data_licence)


def strictest(licences) -> DataLicence:
    """The licence a response covering several municipalities states; CC0 when there are none."""
    licences = set(licences)
    return DataLicence.CC_BY if DataLicence.CC_BY in licences else DataLicence.CC0


def _licence_map() -> dict:
    """{"ids": {body id: licence}, "slugs": {body slug: licence}}, cached until a Body changes."""
    found = cache.get(CACHE_KEY)
    if found is None:
        rows = Body.objects.values_list("pk", "slug", "data_licence")
        found = {
            "ids": {pk: licence for pk, _slug, licence in rows},
            "slugs": {slug: licence for _pk, slug, licence in rows},
        }
        cache.set(CACHE_KEY, found, 3600)
    return found


def licence_for(*, body_id: int | None = None, slug: str | None = None) -> DataLicence:
    """The licence of one municipality (by id or slug), or, with neither or an unknown one,
    the strictest over every municipality (a portal's list)."""
    known = _licence_map()
    value = known["ids"].get(body_id) if body_id else known["slugs"].get(slug) if slug else None
    return DataLicence(value) if value else strictest(known["ids"].values())


def label(licence: DataLicence) -> str:
    """The licence's name and address, for a feed's rights line or a calendar's description."""
    return f"{licence.label} ({licence.url})"


def link_header(licence: DataLicence) -> str:
    return f'<{licence.url}>; rel="license"'


def state(response, licence: DataLicence):
    """Adds the Link header naming `licence` to `response` and returns it."""
    response["Link"] = link_header(licence)
    return response


@receiver(post_save, sender=Body)
@receiver(post_delete, sender=Body)
def _forget(sender, **kwargs):
    cache.delete(CACHE_KEY)
