from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IsmsConfig(AppConfig):
    name = "isms"
    verbose_name = _("Information security (SGSI)")

    def ready(self) -> None:
        from isms import hooks

        hooks.register()
