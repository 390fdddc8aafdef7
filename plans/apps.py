from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Commitments and follow-up")

    def ready(self):
        from motions.reminders import register_candidates
        from subscriptions import registry

        from . import signals  # noqa: F401  (connects the receivers)
        from .gallring import register_plan_records
        from .models import Commitment
        from .reminders import commitment_candidates

        registry.register("commitment", Commitment)
        register_candidates(commitment_candidates)

        # Before Wagtail's snippet viewsets ask for their permission policies.
        register_plan_records()
