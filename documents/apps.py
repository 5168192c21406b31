from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Document control")

    def ready(self) -> None:
        from documents import hooks

        hooks.register()
        post_migrate.connect(_ensure_search_index, sender=self)
        # The waiting versions' stamp follows the rules it was computed from (documents.waiting).
        rule = self.get_model("WorkflowRule")
        post_save.connect(_rule_changed, sender=rule, dispatch_uid="documents.waiting.rule_saved")
        post_delete.connect(_rule_changed, sender=rule, dispatch_uid="documents.waiting.rule_deleted")
        post_save.connect(
            _type_changed, sender=self.get_model("DocumentType"), dispatch_uid="documents.waiting.type_saved"
        )


def _ensure_search_index(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    """A migration that rebuilds documents_document on SQLite drops the search index's triggers."""
    from django.db import connections

    from documents import fts

    fts.ensure(connections[using])


def _rule_changed(sender: type, instance: Any, raw: bool = False, **kwargs: object) -> None:
    if not raw:
        from documents import waiting

        waiting.refresh_type(instance.document_type_id)


def _type_changed(sender: type, instance: Any, created: bool = False, raw: bool = False, **kwargs: object) -> None:
    if not raw and not created:
        from documents import waiting

        waiting.refresh_type(instance.pk)
