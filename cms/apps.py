from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site")

    def ready(self):
        from motions import links

        # admin_scope registers a policy; freshness keeps the footer's "data last changed".
        from . import admin_scope, freshness, routing  # noqa: F401
        from .routing import register_index

        links.register(routing)

        # Commitments (and, under the same page, action plans) get their URLs from this page type.
        # Registered here, not in plans, because plans sits below cms and must not import it.
        register_index("commitment", "cms.FollowUpIndexPage", "commitment_detail")
