from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = _("Action items")

    def ready(self) -> None:
        from actions import hooks

        hooks.register()
