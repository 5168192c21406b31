from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import translation

from accounts import demo as accounts_demo
from audit.services import Subject, record
from catalog import loader as catalog_loader
from documents import demo as documents_demo
from organization import demo as org_demo
from organization.models import Entity
from plans import demo as plans_demo


class Command(BaseCommand):
    help = "Load the demo organisation (Programa JUNTOS), the standards catalogue and the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when data is already loaded.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Entity.objects.exists():
            return
        # Demo records are written in the product's language (Spanish).
        with translation.override("es"), transaction.atomic():
            org_demo.load()
            counts = catalog_loader.load()
            org_demo.load_systems()
            users = accounts_demo.load()
            documents_demo.load()
            plans_demo.load()
            record(
                actor="system:load_demo",
                action="create",
                obj=Subject("core.demo", "", "Datos de demostración"),
                changes={"catalogue": counts, "demo_users": [u.username for u in users]},
            )
        if options["verbosity"] > 0:
            self.stdout.write(f"demo data loaded: {counts}")
