from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    """The ways a register comes in and goes out: imports, OParl and archive packages."""

    name = "registers"
    verbose_name = _("Registers: import, OParl and archive")
