from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.demo import DEMO_USERS


class Command(BaseCommand):
    help = "Print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        names = ", ".join(u[0] for u in DEMO_USERS)
        self.stdout.write(f"demo logins: {names}  (password: {settings.SIG_DEMO_PASSWORD})")
