"""Document codes.

Document code: CodeScheme.pattern (default "{entity}-{unit}-{type}-{number:03d}", e.g.
PNADP-UPPM-CMG-F-038), numbered per prefix by CodeSequence under a row lock, so codes are unique
and — since documents are never deleted and sequences only go up — never reused.

Verification codes (printed on controlled copies) are drawn by reports.verification, shared by
every kind of issued document."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from documents.models import CodeScheme, CodeSequence, DocumentType
from organization.models import Entity, OrgUnit


def _pattern() -> str:
    scheme = CodeScheme.objects.first()
    return scheme.pattern if scheme else str(CodeScheme._meta.get_field("pattern").default)


def next_document_code(document_type: DocumentType, unit: OrgUnit) -> str:
    """Reserve the next code for a (unit, type). Must run inside the caller's transaction."""
    entity = Entity.objects.get(pk=unit.entity_id)
    pattern = _pattern()
    prefix = pattern.split("{number")[0].format(entity=entity.acronym, unit=unit.code, type=document_type.code)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                seq, _ = CodeSequence.objects.select_for_update().get_or_create(prefix=prefix)
                seq.last_number += 1
                seq.save(update_fields=["last_number"])
                break
        except IntegrityError:  # another transaction created the row first: lock it and go on
            continue
    return pattern.format(entity=entity.acronym, unit=unit.code, type=document_type.code, number=seq.last_number)


def reserve_legacy_code(code: str) -> str:
    """Register a document that already has a code (migration from the previous system): the
    code must be free, and the sequence of its prefix moves past its number so it is never
    issued again."""
    from django.utils.translation import gettext as _

    from core.services import ServiceError
    from documents.models import Document

    code = code.strip().upper()
    if Document.objects.filter(code=code).exists():
        raise ServiceError(_("The code %(c)s is already used.") % {"c": code}, field="legacy_code")
    head, _sep, tail = code.rpartition("-")
    if head and tail.isdigit():
        seq, _created = CodeSequence.objects.select_for_update().get_or_create(prefix=head + "-")
        if seq.last_number < int(tail):
            seq.last_number = int(tail)
            seq.save(update_fields=["last_number"])
    return code
