from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionsConfig(AppConfig):
    name = "supervisions"
    verbose_name = _("Supervisions")

    def ready(self) -> None:
        from supervisions import hooks

        hooks.register()
