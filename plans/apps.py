from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Commitments and follow-up")

    def ready(self):
        from cms.routing import register_index

        # Commitments (and, under the same page, action plans) get their URLs from this page type.
        register_index("commitment", "cms.FollowUpIndexPage")
