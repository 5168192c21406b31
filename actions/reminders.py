"""Reminders before an action item's due date and escalation after it (run daily through the
platform's reminder job, core.registry.Reminder; `./sig run` loops it, production runs
`./sig manage send_reminders` from cron).

- SIG_ACTION_REMIND_DAYS (default "7,1") days before the due date, the person responsible gets
  one e-mail listing their items due then (the people of the responsible unit's site with a
  unit-head role when no person is named).
- From the day after the due date, and again every SIG_ACTION_ESCALATE_EVERY days (7), the
  responsible person and the managers of the item's kind (e.g. the Committee's secretaries)
  get the overdue items.
Each item is reminded and escalated at most once a day (reminded_on, escalated_on), so running
the job twice the same day sends nothing more. E-mails are in Spanish and link to each item."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.selectors import holders
from actions.models import ActionItem
from actions.workflows import owners
from core.notifications import absolute_url, notify
from core.registry import action_kind


def _remind_days() -> list[int]:
    raw = str(getattr(settings, "SIG_ACTION_REMIND_DAYS", "7,1"))
    return sorted({int(d) for d in raw.split(",") if d.strip().isdigit()}, reverse=True)


def _line(item: ActionItem, today: datetime.date) -> str:
    due = item.due_date.strftime("%d/%m/%Y") if item.due_date else "—"
    state = _("overdue since %(d)s") % {"d": due} if item.is_overdue(today) else _("due on %(d)s") % {"d": due}
    url = absolute_url(reverse("actions:item_detail", args=[item.pk]))
    return f"- {item.number or item.pk} {item.title[:120]} ({state})\n  {url}"


def remind_actions(today: datetime.date) -> int:
    """Queue the reminders and escalations due on `today`; returns the e-mails queued."""
    days = _remind_days()
    every = int(getattr(settings, "SIG_ACTION_ESCALATE_EVERY", 7))
    open_q = Q(status__in=[ActionItem.Status.PENDING, ActionItem.Status.IN_PROGRESS])
    with transaction.atomic():
        soon = list(
            ActionItem.objects.filter(open_q, due_date__in=[today + datetime.timedelta(days=d) for d in days])
            .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
            .select_related("responsible")
            .select_for_update(of=("self",))
        )
        late = list(
            ActionItem.objects.filter(open_q, due_date__lt=today)
            .filter(Q(escalated_on__isnull=True) | Q(escalated_on__lte=today - datetime.timedelta(days=every)))
            .select_related("responsible")
            .select_for_update(of=("self",))
        )
        reminders: dict[int, tuple[Any, list[ActionItem]]] = {}
        for item in soon:
            for person in owners(item):
                reminders.setdefault(person.pk, (person, []))[1].append(item)
        escalations: dict[int, tuple[Any, list[ActionItem]]] = {}
        managers: dict[str, list[Any]] = defaultdict(list)
        for item in late:
            kind = action_kind(item.kind)
            if item.kind not in managers and kind is not None:
                managers[item.kind] = list(holders(kind.managers))
            for person in [*owners(item), *managers.get(item.kind, [])]:
                escalations.setdefault(person.pk, (person, []))[1].append(item)
        with translation.override("es"):
            for person, items in reminders.values():
                notify(
                    [person],
                    _("Actions due soon: %(n)s") % {"n": len(items)},
                    _("These actions assigned to you fall due soon:")
                    + "\n\n"
                    + "\n".join(_line(i, today) for i in items),
                )
            for person, items in escalations.values():
                notify(
                    [person],
                    _("Overdue actions: %(n)s") % {"n": len(items)},
                    _("These actions are past their due date and still open:")
                    + "\n\n"
                    + "\n".join(_line(i, today) for i in items),
                )
        ActionItem.objects.filter(pk__in=[i.pk for i in soon]).update(reminded_on=today)
        ActionItem.objects.filter(pk__in=[i.pk for i in late]).update(escalated_on=today)
    return len(reminders) + len(escalations)
