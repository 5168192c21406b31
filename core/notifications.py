"""Notifications: e-mail sent by a background job after the transaction commits.

One mechanism for every area: `notify(users, subject, body)` queues a job on the configured
tasks backend (django-tasks-db: a queue table in the same database, processed by `manage.py
db_worker`, which `./sig run` starts beside the web server; more workers can run anywhere that
reaches the database). Mail goes through EMAIL_BACKEND (files in SIG_DATA_DIR/mail by default)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django_tasks import task


@task()
def send_notification(recipients: list[str], subject: str, body: str) -> int:
    return send_mail(f"[sig] {subject}", body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)


def absolute_url(path: str) -> str:
    """A link for an e-mail: the public base URL (SIG_SITE_URL) and the page's path."""
    return settings.SITE_URL + path


def notify(users: Iterable[Any], subject: str, body: str) -> None:
    """Queue one e-mail to the active users among `users` that have an address, once the
    current transaction commits (nothing is sent for a change that rolls back)."""
    recipients = sorted({u.email for u in users if getattr(u, "email", "") and u.is_active})
    if not recipients:
        return
    transaction.on_commit(lambda: send_notification.enqueue(recipients, str(subject)[:200], str(body)))
