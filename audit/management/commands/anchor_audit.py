from typing import Any

from django.core.management.base import BaseCommand

from audit.anchors import anchor_path, write_anchor


class Command(BaseCommand):
    help = "Anchor the head of the audit chain outside the database (the anchor file and the log); run at start-up."

    def handle(self, *args: Any, **options: Any) -> None:
        anchor = write_anchor("startup")
        if anchor is None:
            self.stdout.write("audit anchoring is off (SIG_AUDIT_ANCHOR_FILE is empty)")
        else:
            self.stdout.write(f"audit anchor #{anchor.seq} {anchor.hash} written to {anchor_path()}")
