from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MotionsConfig(AppConfig):
    name = "motions"
    verbose_name = _("Council record")

    def ready(self):
        from .gallring import register_motion_records

        # Before Wagtail's snippet viewsets ask for their permission policies.
        register_motion_records()
