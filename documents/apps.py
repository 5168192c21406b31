from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Document control")

    def ready(self) -> None:
        from documents import hooks

        hooks.register()
        post_migrate.connect(_ensure_search_index, sender=self)


def _ensure_search_index(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    """A migration that rebuilds documents_document on SQLite drops the search index's triggers."""
    from django.db import connections

    from documents import fts

    fts.ensure(connections[using])
