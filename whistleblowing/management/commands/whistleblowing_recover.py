"""Re-share every case with today's integrity members using the printed escrow key."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.services import ServiceError
from whistleblowing import crypto, services


class Command(BaseCommand):
    help = (
        "Read the escrow recovery sheet from standard input and seal every case's key for the keys of the "
        "people who hold the integrity role today (who must have created their key first)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sheet", help="The sheet's text (otherwise read from standard input).")

    def handle(self, *args: Any, **options: Any) -> None:
        text = options.get("sheet") or sys.stdin.read()
        try:
            private = crypto.parse_sheet(text)
            shared = services.recover_with_escrow(private)
        except (ValueError, ServiceError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"case keys written: {shared}")
