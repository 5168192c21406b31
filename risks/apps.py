from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "risks"
    verbose_name = _("Risk management")

    def ready(self) -> None:
        from risks import hooks

        hooks.register()
