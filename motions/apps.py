from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MotionsConfig(AppConfig):
    name = "motions"
    verbose_name = _("Council record")

    def ready(self):
        from subscriptions import registry

        from . import signals, yesno  # noqa: F401  (signals connects the receivers)
        from .gallring import register_motion_records
        from .models import Area, Motion, Organ, Party
        from .spreadsheets import neutralise_wagtail_exports

        for model in (Motion, Organ, Party, Area):
            registry.register(model._meta.model_name, model)

        # Before Wagtail's snippet viewsets ask for their permission policies.
        register_motion_records()
        neutralise_wagtail_exports()
        yesno.register()
