"""The pages' part of the audit log (`motions.audit`): a municipality's pages are those under its
home page, so only `cms`, which owns `HomePage`, can say whose a page's log entry is."""

from django.db.models import Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, PageLogEntry
from wagtail.permissions import policy_registry

from motions import access
from motions.audit import AuditSource

from .models import HomePage

PAGES = "pages"


def _homes():
    """The home page whose path begins the logged page's path: its municipality's."""
    return HomePage.objects.filter(
        body__isnull=False, path=Substr(OuterRef("page__path"), 1, Length("path"))
    )


class PageSource(AuditSource):
    """`PageLogEntry` of the pages under the home pages of the user's municipalities. A page
    deleted since has no place in the tree left: its entries are for superusers only."""

    log_model = PageLogEntry

    def entries(self, user) -> QuerySet:
        you = access.reach(user)
        if you.everything:
            return PageLogEntry.objects.all()
        return PageLogEntry.objects.filter(Exists(_homes().filter(body__in=you.bodies)))

    def record_types(self):
        return [(PAGES, _("Page"))]

    def of_type(self, queryset, key):
        return queryset if key == PAGES else queryset.none()

    def decorate(self, queryset):
        return (
            super()
            .decorate(queryset)
            .annotate(
                audit_page_exists=Exists(Page.objects.filter(pk=OuterRef("page_id"))),
                audit_body_id=Subquery(
                    _homes().order_by("-depth").values("body_id")[:1], output_field=IntegerField()
                ),
            )
        )

    def record_id(self, entry) -> str:
        return str(entry.page_id)

    def record_url(self, entry, user):
        if not entry.audit_page_exists:
            return None
        # Model-wide: whether the user edits pages at all (Wagtail's page views check the rest).
        if policy_registry.get_by_type(Page).user_has_any_permission(user, ["change", "publish"]):
            return reverse("wagtailadmin_pages:edit", args=[entry.page_id])
        return None
