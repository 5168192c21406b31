from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Document control")

    def ready(self) -> None:
        from documents import hooks

        hooks.register()
