"""What an issued audit report delivers: its registration in document control (a record of type
"Informe", one version per issue, the same PDF) and the product of the year's plan that audit
reports deliver (seed Tabla 01, activity 1.1: "Informes de auditorías"; Tabla 03, 3.15: the
external audit's report). The programme may name the product; otherwise it is found by name in
the plan of the programme's year."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from audits.models import Audit
from core.services import ServiceError

DOCUMENT_TYPE = "INF"
EXTERNAL_DOCUMENT_TYPE = "EXT"


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _is_report_product(title: str, external: bool) -> bool:
    words = _plain(title)
    if "informe" not in words or "auditori" not in words:
        return False
    return ("extern" in words) == external


def plan_product(audit: Audit) -> Any:
    """The plan product this audit's report delivers, or None: the one the programme names,
    else the only product of that year's plans (SIG plan first, closed plans left out) whose
    title speaks of audit reports ("Informes de auditorías"; for an external audit "Informe de
    auditoría externa…")."""
    from plans.models import Plan, Product

    external = audit.kind == Audit.Kind.EXTERNAL
    programme = audit.programme
    named = programme.external_plan_product if external else programme.plan_product
    if named is not None:
        return named
    candidates = (
        Product.objects.filter(plan__year=programme.year)
        .exclude(plan__status=Plan.Status.CLOSED)
        .select_related("plan")
        .order_by("plan__kind", "-plan__version", "order", "pk")
    )
    matches = [p for p in candidates if _is_report_product(p.title, external)]
    sig = [p for p in matches if p.plan.kind == Plan.Kind.SIG]
    return (sig or matches)[0] if matches else None


def owner_unit(audit: Audit) -> Any:
    """The unit that keeps the audit reports: the unit of the person who planned the audit (the
    SIG coordination), else the lead auditor's, else the first unit of the Sede Central."""
    from organization.models import OrgUnit

    for person in (audit.created_by, audit.lead):
        if getattr(person, "unit_id", None):
            return person.unit
    unit = OrgUnit.objects.filter(site__is_central=True).order_by("pk").first()
    if unit is None:
        raise ServiceError(_("No unit of the Sede Central keeps the audit reports."))
    return unit


def register_report(
    audit: Audit,
    *,
    pdf: bytes,
    by: Any,
    justification: str,
    verification_code: str | None,
    external: bool = False,
    file_type: str = "pdf",
) -> Any:
    """Register the report in document control (inside the caller's transaction): a new version
    of the audit's record, carrying `pdf` byte for byte. Returns the DocumentVersion."""
    from audits.report import report_code
    from documents.models import DocumentType
    from documents.services import register_issued_record

    type_code = EXTERNAL_DOCUMENT_TYPE if external else DOCUMENT_TYPE
    doc_type = DocumentType.objects.filter(code=type_code).first() or DocumentType.objects.filter(code="INF").first()
    if doc_type is None:
        raise ServiceError(_("Document control has no type for reports (%(c)s).") % {"c": type_code})
    title = (
        f"Informe de auditoría externa {audit.code} ({audit.certification_body})"
        if external
        else f"Informe de auditoría {audit.code}"
    )
    version = register_issued_record(
        origin=audit,
        code=report_code(audit),
        title=title,
        document_type=doc_type,
        owner_unit=owner_unit(audit),
        pdf=pdf,
        file_name=f"informe-auditoria-{audit.code}.{file_type}",
        file_type=file_type,
        by=by,
        justification=justification,
        verification_code=verification_code,
        external_issuer=audit.certification_body if external else "",
        systems=list(audit.programme.systems.all()),
        requirements=list(audit.criteria.all()),
    )
    if audit.report_document_id != version.document_id:
        audit.report_document = version.document
        audit.save(update_fields=["report_document"])
    return version


def pending_sites(audit: Audit, product: Any) -> list[int | None]:
    """What of `product` this audit's report still has to deliver: the audited sites' shares of
    a product held in several sites, else the whole product ([None]); [] when done."""
    from plans.access import product_scope
    from plans.models import ProductDelivery

    if product.delivered_on is not None:
        return []
    scope = product_scope(product)
    done = set(ProductDelivery.objects.filter(product=product).values_list("site_id", flat=True))
    if None in done:
        return []
    if len(scope) > 1:
        audited = set(audit.sites.values_list("pk", flat=True))
        return list(sorted((scope & audited) - {d for d in done if d is not None}))
    return [None]


def can_deliver(user: Any, audit: Audit) -> bool:
    from plans.access import can_deliver_product

    product = plan_product(audit) if audit.report_document_id else None
    return product is not None and bool(pending_sites(audit, product)) and can_deliver_product(user, product)


@transaction.atomic
def deliver_product(audit: Audit, *, by: Any, quiet: bool = False) -> list[int | None]:
    """Deliver the plan product with the registered report as its evidence, through
    plans.services.deliver_product (its permission checks and audit entries): the audited sites'
    shares, or the whole product. Idempotent: what is delivered is not delivered again. `quiet`
    (on issue): a person who may not deliver the product leaves it for whoever may."""
    from plans.access import can_deliver_product, owns_product
    from plans.services import deliver_product as deliver

    if audit.report_document_id is None:
        raise ServiceError(_("The audit report is not issued yet."))
    product = plan_product(audit)
    if product is None:
        if quiet:
            return []
        raise ServiceError(
            _("No product of the %(y)s plan is delivered by audit reports.") % {"y": audit.programme.year}
        )
    if not can_deliver_product(by, product):
        if quiet:
            return []
        raise PermissionDenied
    done: list[int | None] = []
    note = _("Audit report %(c)s") % {"c": audit.code}
    for site_id in pending_sites(audit, product):
        if site_id is not None and not owns_product(by, product):
            from plans.access import delivery_sites

            if site_id not in delivery_sites(by, product):
                continue
        deliver(
            product,
            evidence_label="documents.document",
            evidence_id=audit.report_document_id,
            by=by,
            note=note,
            delivered_on=audit.end_date,
            site=site_id,
        )
        done.append(site_id)
    return done
