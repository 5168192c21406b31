"""Nonconformities for the area's tests, made through its services."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from actions.models import ActionItem
from actions.services import add_item_evidence, set_action_status
from catalog.models import Requirement
from core.files import inspect_upload
from nonconformities import services
from nonconformities.models import Nonconformity
from organization.models import Site

DETECTED = datetime.date(2020, 6, 1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def site(code: str) -> Site:
    return Site.objects.get(code=code)


def requirement(label: str, number: str) -> Requirement:
    return Requirement.objects.get(edition__label=label, number=number)


def raise_nc(
    by: Any, *, site_code: str = "UT-CUS", grade: str = "minor", title: str = "Expedientes sin firma"
) -> Nonconformity:
    return services.raise_nc(
        data={
            "source": Nonconformity.Source.SELF,
            "grade": grade,
            "title": title,
            "description": "Se encontraron expedientes de afiliación sin la firma del responsable.",
            "site": site(site_code),
            "detected_on": DETECTED,
        },
        by=by,
    )


def analysed(nc: Nonconformity, by: Any) -> Nonconformity:
    services.record_correction(nc, correction="Se recabaron las firmas.", on=DETECTED, by=by)
    return services.record_analysis(
        nc,
        whys=["No se revisan los expedientes", "No hay lista de verificación"],
        ishikawa={"method": "Procedimiento sin control de firma"},
        root_cause="El procedimiento no exige verificar la firma.",
        by=by,
    )


def action(nc: Nonconformity, by: Any, responsible: Any, due: datetime.date = datetime.date(2020, 7, 1)) -> ActionItem:
    return services.propose_action(
        nc, title="Incluir el control de firma", responsible=responsible, due_date=due, by=by
    )


def done_with_evidence(item: ActionItem, by: Any) -> ActionItem:
    upload = inspect_upload(SimpleUploadedFile("acta.pdf", PDF, content_type="application/pdf"))
    add_item_evidence(item, data={"upload": upload, "file_title": "Procedimiento actualizado"}, by=by)
    return set_action_status(item, status=ActionItem.Status.DONE, note="Procedimiento actualizado.", by=by)


def in_verification(by_unit: Any, manager: Any) -> tuple[Nonconformity, ActionItem]:
    """An NC of UT Cusco whose one action (owned by `by_unit`) is done: waiting for verification."""
    nc = analysed(raise_nc(by_unit), by_unit)
    item = action(nc, by_unit, by_unit)
    services.take_step(nc, action="approve_plan", by=manager)
    services.take_step(nc, action="execute", by=by_unit)
    done_with_evidence(item, by_unit)
    services.take_step(nc, action="request_verification", by=by_unit)
    return nc, item
