from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WhistleblowingConfig(AppConfig):
    name = "whistleblowing"
    verbose_name = _("Whistleblowing channel")

    def ready(self) -> None:
        from whistleblowing import hooks

        hooks.register()
