"""Shared pieces of the plan API: the enums and amounts of the schemas, the 404 for people
without a role, and the resolution of ids in request bodies through the same scoping functions
as the pages' choices (a missing or invisible id is a 422 naming the field)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field
from pydantic import AfterValidator, BeforeValidator, StrictInt, WithJsonSchema

from accounts.access import people_visible_to
from core.access import get_scope
from core.api_helpers import choices_schema, field_error, resolve_fk
from documents.access import documents_visible_to
from organization.access import legal_norms_visible_to, sites_visible_to, units_visible_to
from plans.access import activities_visible_to, can_edit_plans
from plans.models import Activity, ChangeRequest, Plan

TEXT = settings.SIG_MAX_TEXT
IDS = 500  # longest list of ids in one field
IdList = list[StrictInt]
PlanKind = Annotated[Plan.Kind, choices_schema(Plan.Kind, "PlanKind")]
PlanStatus = Annotated[Plan.Status, choices_schema(Plan.Status, "PlanStatus")]
ActivityStatus = Annotated[Activity.Status, choices_schema(Activity.Status, "ActivityStatus")]
ChangeRequestStatus = Annotated[ChangeRequest.Status, choices_schema(ChangeRequest.Status, "ChangeRequestStatus")]

DELAYED = "delayed"
SHOWN_STATUSES = [*Activity.Status.values, DELAYED]


def _shown_status(value: str) -> str:
    if value not in SHOWN_STATUSES:
        raise ValueError(_("Choose one of: %(values)s.") % {"values": ", ".join(SHOWN_STATUSES)})
    return value


# The status as users see it: the stored one, or "delayed" when the dates say so (never stored).
ShownStatus = Annotated[
    str,
    AfterValidator(_shown_status),
    WithJsonSchema({"title": "ActivityShownStatus", "type": "string", "enum": SHOWN_STATUSES}),
]
MONEY_MAX = Decimal("999999999999.99")
MONEY_CHARS = 20


MONEY_PATTERN = r"^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)$"


def _short_amount(value: Any) -> Any:
    """An amount as text must look like one (the schema's pattern): "" or "abc" is a 422 here."""
    if isinstance(value, str) and (len(value) > MONEY_CHARS or not re.match(MONEY_PATTERN, value.strip())):
        raise ValueError(_("Enter an amount such as 1250.50."))
    return value


# Amounts in soles: decimals and the sign are the services' rules (plans.services._money, 400
# naming the field); the schema only keeps the text short and the number within the column.
Money = Annotated[
    Decimal,
    BeforeValidator(_short_amount),
    Field(le=MONEY_MAX),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "maximum": float(MONEY_MAX)},
                {"type": "string", "minLength": 1, "maxLength": MONEY_CHARS, "pattern": MONEY_PATTERN},
            ],
            "description": 'Soles, at most two decimals: a number (1250.5) or a string ("1250.50").',
        }
    ),
]
MONEY_OUT = 'Soles with two decimals, as a string (e.g. "130000.00").'


def soles(amount: Decimal | None) -> str:
    return f"{amount or Decimal('0'):.2f}"


def require_some_role(request: HttpRequest) -> None:
    """The lists are 404 for a person without any role, as the pages are."""
    if not get_scope(request.user).roles:
        raise Http404


def require_editor(request: HttpRequest) -> None:
    require_some_role(request)
    if not can_edit_plans(request.user):
        raise PermissionDenied


def resolve_many(qs: models.QuerySet[Any], ids: list[int], field: str) -> list[Any]:
    """The rows `ids` of `qs`, or a 422 naming `field` when one is missing."""
    wanted = set(ids)
    found = list(qs.filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise field_error(field, _("No such record, or it is not available to you."), "not_found")
    return found


def resolve_ids(request: HttpRequest, data: dict[str, Any], plan: Plan | None = None) -> dict[str, Any]:
    """Ids in a request body → the objects the services expect, through the scoping functions
    of the pages' choices."""
    user = request.user
    units = units_visible_to(user).filter(is_active=True)
    for name in ("owner_unit", "responsible_unit"):
        if name in data:
            data[name] = resolve_fk(units, data[name], name)
    if "document" in data:
        data["document"] = resolve_fk(documents_visible_to(user), data["document"], "document")
    if "responsible_person" in data:
        data["responsible_person"] = resolve_fk(
            people_visible_to(user).filter(is_active=True), data["responsible_person"], "responsible_person"
        )
    many: dict[str, models.QuerySet[Any]] = {
        "legal_basis": legal_norms_visible_to(user),
        "sites": sites_visible_to(user),
    }
    if plan is not None:
        plan_activities = activities_visible_to(user).filter(plan=plan)
        many.update(depends_on=plan_activities, activities=plan_activities, affected_activities=plan_activities)
    for name, qs in many.items():
        if name in data:
            data[name] = resolve_many(qs, data[name], name)
    return data
