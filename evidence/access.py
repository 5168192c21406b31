from typing import Any

from django.db import models

from core.access import scope_by_site
from evidence.models import EvidenceFile


def evidence_files_visible_to(user: Any) -> models.QuerySet[EvidenceFile]:
    return scope_by_site(EvidenceFile.objects.all(), user)
