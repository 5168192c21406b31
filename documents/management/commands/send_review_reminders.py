"""E-mail reminders of periodic document reviews (run daily, e.g. from cron:
`./sig manage send_review_reminders`).

Documents in force whose next review is overdue or due within --days (30) are gathered per
person: everyone who may draft or review that document (documents.access rules, central or at the
document's site) gets one e-mail listing theirs. A document is reminded at most once a day
(Document.review_reminded_on), so running the command again the same day sends nothing."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from core.notifications import notify
from documents import services
from documents.models import Document, WorkflowRule
from documents.selectors import DUE_SOON_DAYS, reviews_due

OWNER_STEPS = [WorkflowRule.Step.ELABORATE, WorkflowRule.Step.REVIEW]


def remind_due_reviews(today: datetime.date, days: int = DUE_SOON_DAYS) -> tuple[int, int]:
    """Send the reminders due on `today`; returns (documents reminded, e-mails queued)."""
    with transaction.atomic():
        documents = list(
            reviews_due(Document.objects.select_related("document_type"), today, days)
            .filter(Q(review_reminded_on__isnull=True) | Q(review_reminded_on__lt=today))
            .select_for_update(of=("self",))
        )
        per_person: dict[int, tuple[User, list[Document]]] = {}
        for document in documents:
            people = {p.pk: p for step in OWNER_STEPS for p in services._people_who_can(document, step)}
            for person in people.values():
                per_person.setdefault(person.pk, (person, []))[1].append(document)
        with translation.override("es"):
            for person, docs in per_person.values():
                lines = [
                    f"- {d.code} {d.title}: "
                    + (_("overdue since %(d)s") if d.next_review_on and d.next_review_on < today else _("due on %(d)s"))
                    % {"d": d.next_review_on.strftime("%d/%m/%Y") if d.next_review_on else "—"}
                    for d in docs
                ]
                notify(
                    [person],
                    _("Document reviews due: %(n)s") % {"n": len(docs)},
                    _("These documents are due for their periodic review:") + "\n\n" + "\n".join(lines),
                )
        Document.objects.filter(pk__in=[d.pk for d in documents]).update(review_reminded_on=today)
    return len(documents), len(per_person)


class Command(BaseCommand):
    help = "E-mail the people who draft or review each document whose periodic review is due or overdue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=DUE_SOON_DAYS,
            help="Remind reviews due within this many days (default 30); overdue ones always.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        n_docs, n_people = remind_due_reviews(timezone.localdate(), options["days"])
        if options["verbosity"]:
            self.stdout.write(f"review reminders: {n_docs} documents, {n_people} people")
