from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteeConfig(AppConfig):
    name = "committee"
    verbose_name = _("SIG Committee")

    def ready(self) -> None:
        from committee import hooks

        hooks.register()
