"""`./sig run`'s background process: the job worker, plus every area's daily reminders, ending with
the server that started it (core.lifecycle)."""

from __future__ import annotations

import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from core.lifecycle import exit_with_parent

DAY = 24 * 3600


def _daily_reminders(stop: threading.Event) -> None:
    # The command is idempotent per day; in production run it from cron instead (README).
    while not stop.is_set():
        try:
            call_command("send_reminders", verbosity=0)
        except Exception:  # noqa: BLE001 - a failed round must not stop the worker; the log says why
            import logging

            logging.getLogger("sig.worker").exception("daily reminders failed")
        stop.wait(DAY)


class Command(BaseCommand):
    help = "Run the job worker (and the daily reminders) until the process that started it stops."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--parent", type=int, help="Process id to end with (default: the parent process).")
        parser.add_argument("--no-reminders", action="store_true", help="Do not send the daily review reminders.")

    def handle(self, *args: Any, **options: Any) -> None:
        exit_with_parent(options["parent"])
        stop = threading.Event()
        if not options["no_reminders"]:
            threading.Thread(target=_daily_reminders, args=(stop,), name="reminders", daemon=True).start()
        try:
            call_command("db_worker", queue_name="*", verbosity=options["verbosity"], reload=False)
        finally:
            stop.set()
