from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accounts.models import ApiToken, User
from accounts.services import ServiceError, issue_token, revoke_token


class Command(BaseCommand):
    help = (
        "Issue an API token for USERNAME and print it (only its hash is stored); "
        "--list shows USERNAME's tokens, --revoke ID revokes one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--list", action="store_true", help="List the person's tokens instead of issuing one.")
        parser.add_argument("--revoke", type=int, metavar="ID", help="Revoke the person's token with this id.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user named {options['username']!r}")
        if options["list"]:
            for t in ApiToken.objects.filter(user=user).order_by("-created_at", "-pk"):
                state = "revoked" if t.revoked_at else "expired" if t.expires_at <= timezone.now() else "active"
                used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never used"
                self.stdout.write(
                    f"{t.pk}\tsig_{t.prefix}…\tissued {t.created_at:%Y-%m-%d}\texpires {t.expires_at:%Y-%m-%d}\t{used}\t{state}"
                )
            return
        if options["revoke"] is not None:
            self._revoke(user, options["revoke"])
            return
        try:
            raw = issue_token(user, by="system:cli")
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(raw)

    def _revoke(self, user: User, pk: int) -> None:
        token = ApiToken.objects.filter(user=user, pk=pk).first()
        if token is None:
            raise CommandError(f"{user.username} has no token {pk}")
        try:
            revoke_token(token, by="system:cli")
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"token {pk} (sig_{token.prefix}…) revoked")
