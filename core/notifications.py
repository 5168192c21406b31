"""Notifications: e-mail sent by a background job after the transaction commits.

One mechanism for every area: `notify(users, subject, body, link=…, actor=…)` queues a job on the
configured tasks backend (django-tasks-db: a queue table in the same database, processed by
`manage.py db_worker`, which `./sig run` starts beside the web server; more workers can run
anywhere that reaches the database). Mail goes through EMAIL_BACKEND (files in
SIG_DATA_DIR/mail by default).

Every message

- goes to the people who must act next, never to `actor`, the person who just acted;
- is written in the organisation's language (settings.LANGUAGE_CODE, Spanish), whatever the
  language of the page that caused it: subject and body are translated, and their `%(name)s`
  placeholders filled, under that language;
- names the record and links to it (`link`, a path made absolute with SIG_SITE_URL);
- is sent to each person separately (nobody sees who else received it).

`people_line` and `step_message` give the page the same news: what happened and who is next
("Enviado a revisión: Diana Silva (UPPM)")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

OPEN_IT = gettext_lazy("Open it in sig: %(url)s")
NOBODY_NEXT = gettext_lazy("Nobody holds the role for the next step yet: ask the administrator to assign it.")


@task()
def send_notification(recipients: list[str], subject: str, body: str) -> int:
    """One message per recipient, over one connection."""
    messages = [
        EmailMessage(f"[sig] {subject}", body, settings.DEFAULT_FROM_EMAIL, [address]) for address in recipients
    ]
    with get_connection(fail_silently=False) as connection:
        return connection.send_messages(messages) or 0


def absolute_url(path: str) -> str:
    """A link for an e-mail: the public base URL (SIG_SITE_URL) and the page's path."""
    return settings.SITE_URL + path


def in_mail_language(text: Any, params: dict[str, Any] | None = None) -> str:
    """`text` (a lazy or plain string) translated and filled under the organisation's language."""
    with translation.override(settings.LANGUAGE_CODE):
        out = str(text)
        if params:
            out = out % {k: str(v) for k, v in params.items()}
    return out


def recipients_of(users: Iterable[Any], actor: Any = None) -> list[Any]:
    """The active people among `users` with an address, without `actor`, once each."""
    skip = getattr(actor, "pk", None)
    seen: dict[int, Any] = {}
    for u in users:
        if getattr(u, "email", "") and u.is_active and u.pk != skip:
            seen.setdefault(u.pk, u)
    return list(seen.values())


def notify(
    users: Iterable[Any], subject: Any, body: Any = "", *, link: str = "", actor: Any = None, **params: Any
) -> int:
    """Queue one e-mail to each active person among `users` that has an address (except
    `actor`), once the current transaction commits (nothing is sent for a change that rolls
    back). Returns how many people it goes to."""
    people = recipients_of(users, actor)
    if not people:
        return 0
    recipients = sorted({u.email for u in people})
    subject_text = in_mail_language(subject, params)[:200]
    body_text = in_mail_language(body, params)
    if link:
        body_text = (body_text + "\n\n" if body_text else "") + in_mail_language(OPEN_IT, {"url": absolute_url(link)})
    transaction.on_commit(lambda: send_notification.enqueue(recipients, subject_text, body_text))
    return len(recipients)


def person_label(user: Any) -> str:
    """ "Diana Silva (UPPM)": the person's name and unit code."""
    name = user.get_full_name() or user.username
    unit = getattr(user, "unit", None)
    return f"{name} ({unit.code})" if unit is not None else name


def people_line(users: Iterable[Any], limit: int = 3) -> str:
    """Up to `limit` people by name and unit, then "y N más"."""
    people = list(users)
    shown = ", ".join(person_label(u) for u in people[:limit])
    rest = len(people) - limit
    if rest > 0:
        return _("%(people)s and %(n)s more") % {"people": shown, "n": rest}
    return shown


def step_message(done: Any, next_people: Iterable[Any] | None, *, nobody: Any = NOBODY_NEXT) -> str:
    """The page's news after a workflow step: "<done>: <who acts next>", or "<done>." when
    no step waits on anyone (None), or, when one should but nobody holds its role, `nobody`."""
    people = list(next_people) if next_people is not None else []
    if people:
        return _("%(done)s: %(people)s") % {"done": done, "people": people_line(people)}
    if next_people is not None and nobody:
        return _("%(done)s. %(nobody)s") % {"done": done, "nobody": nobody}
    return _("%(done)s.") % {"done": done}
