from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from accounts.services import ServiceError, issue_token


class Command(BaseCommand):
    help = "Issue an API token for USERNAME and print it (only its hash is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user named {options['username']!r}")
        try:
            raw = issue_token(user, by="system:cli")
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(raw)
