from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from audit import guard
from audit.services import AuditVerifyError, verify_and_anchor


class Command(BaseCommand):
    help = (
        "Verify the audit trail's keyed hash chain against the anchors written outside the database. "
        "Exit 0 when intact (and anchor the head), 1 naming the first broken entry."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--since-anchor",
            action="store_true",
            help="Re-hash only the entries after the latest anchor (the anchored entry must still match it).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = verify_and_anchor(since_anchor=options["since_anchor"])
        except AuditVerifyError as exc:
            raise CommandError(f"audit trail not verified: {exc}", returncode=1) from None
        if not result.ok:
            raise CommandError(
                f"audit trail broken at entry #{result.broken_id}: {result.reason} ({result.checked} entries verified before it)",
                returncode=1,
            )
        if not guard.installed(connection):
            self.stderr.write("warning: the database triggers that keep the audit table append-only are missing")
        since = f" after the anchor at #{result.started_after}" if result.started_after else ""
        self.stdout.write(f"audit trail intact: {result.checked} entries verified{since}, head #{result.last_id}")
