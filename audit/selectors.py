import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.models import AuditEvent
from core.pagination import Keyset, positive_id

# The trail reads newest first by id: past the first 10,000 entries its pages follow the last id
# seen (page and API), an index seek however deep.
KEYSET = Keyset("-id", positive_id)


def filter_events(qs: QuerySet[AuditEvent], data: dict[str, Any]) -> QuerySet[AuditEvent]:
    if data.get("q"):
        q = data["q"]
        qs = qs.filter(Q(object_repr__icontains=q) | Q(actor_label__icontains=q) | Q(object_id=q))
    if data.get("action"):
        qs = qs.filter(action=data["action"])
    if data.get("object_type"):
        qs = qs.filter(object_type=data["object_type"])
    tz = timezone.get_current_timezone()
    if data.get("date_from"):
        qs = qs.filter(timestamp__gte=datetime.datetime.combine(data["date_from"], datetime.time.min, tz))
    if data.get("date_to"):
        qs = qs.filter(
            timestamp__lt=datetime.datetime.combine(data["date_to"] + datetime.timedelta(days=1), datetime.time.min, tz)
        )
    return qs
