from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site")

    def ready(self):
        from motions import links

        from . import admin_scope, routing  # noqa: F401  (admin_scope registers a policy)
        from .routing import register_index

        links.register(routing)

        # Commitments (and, under the same page, action plans) get their URLs from this page type.
        # Registered here, not in plans, because plans sits below cms and must not import it.
        register_index("commitment", "cms.FollowUpIndexPage", "commitment_detail")
