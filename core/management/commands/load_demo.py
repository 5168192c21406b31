from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import translation

from audit.models import AuditEvent
from audit.services import Subject, record
from core import registry

DEMO_SUBJECT = "core.demo"


class Command(BaseCommand):
    help = "Load the demo data every area registers (organisation, catalogue, logins, documents, plans…)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when data is already loaded.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and AuditEvent.objects.filter(object_type=DEMO_SUBJECT).exists():
            return
        loaded: dict[str, Any] = {}
        # Demo records are written in the product's language (Spanish), all or nothing.
        with translation.override("es"), transaction.atomic():
            for loader in registry.demo_loaders():
                summary = loader.load()
                loaded[loader.key] = summary if isinstance(summary, dict | list | int | str) else None
            record(
                actor="system:load_demo",
                action="create",
                obj=Subject(DEMO_SUBJECT, "", "Datos de demostración"),
                changes={"loaded": loaded},
            )
        if options["verbosity"] > 0:
            self.stdout.write("demo data loaded: " + ", ".join(loaded))
