from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from core import (
            checks,  # noqa: F401  (system checks sig.E001…)
            registry,
        )

        registry.register_nav(
            registry.NavItem(
                "calendar", "admin", _("Business-day calendar"), "core:calendar", 50, lambda scope: bool(scope.roles)
            )
        )
