from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """What the council reads: reporting periods, frozen reports and the comparison between them."""

    name = "reporting"
    verbose_name = _("Reporting to the council")
