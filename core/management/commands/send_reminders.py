"""Run every daily reminder job the areas register (core.registry.Reminder): reminders before
due dates, escalations after them, periodic reviews. Idempotent per day; `./sig run` loops it,
production runs it once a day from cron (README)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from core import registry


class Command(BaseCommand):
    help = "Send the day's reminders and escalations of every area (idempotent per day)."

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        for reminder in registry.reminders():
            sent = reminder.run(today)
            if options["verbosity"]:
                self.stdout.write(f"{reminder.key}: {sent} e-mails")
