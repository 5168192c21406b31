from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain. Exit 0 when intact, 1 naming the first broken entry."

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain()
        if not result.ok:
            raise CommandError(
                f"audit trail broken at entry #{result.broken_id}: {result.reason} ({result.checked} entries verified before it)",
                returncode=1,
            )
        self.stdout.write(f"audit trail intact: {result.checked} entries verified")
