"""Authentication events go to the audit trail too (ISO/IEC 27001 A.8.15 / A.12.4)."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import transaction
from django.dispatch import receiver

from audit.models import AuditEvent
from audit.services import record


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    with transaction.atomic():
        record(actor=user, action=AuditEvent.Action.LOGIN, obj=user)


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        with transaction.atomic():
            record(actor=user, action=AuditEvent.Action.LOGOUT, obj=user)
