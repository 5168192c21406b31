"""`./sig manage rebuild_search_index`: recreate the SQLite search index of the master list and
its triggers (documents/fts.py), and re-read every document into it. PostgreSQL keeps its own
index current by itself; there the command does nothing."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from documents import fts


class Command(BaseCommand):
    help = "Rebuild the SQLite full-text index of the documents' search (no-op on PostgreSQL)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not fts.supported():
            self.stdout.write(f"{connection.vendor}: nothing to rebuild (the database keeps its own index)")
            return
        started = time.perf_counter()
        with transaction.atomic():
            fts.create()  # idempotent; recreates missing triggers, then rebuilds
        self.stdout.write(f"search index rebuilt in {time.perf_counter() - started:.1f} s")
