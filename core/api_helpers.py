"""Building blocks shared by the area routers (organization/api.py, catalog/api.py, …): the
limit/offset page, the strict input base class, and 422 errors that name the offending field."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import ValidationError
from pydantic import BaseModel, ConfigDict, WithJsonSchema

M = TypeVar("M", bound=models.Model)

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

# Default of a PATCH field that may be left out but must not be sent as null. Pydantic does not
# validate defaults, so an omitted field stays out of `model_fields_set`, while an explicit null
# fails the field's non-optional type (422 naming the field). Typed `Any` so that
# `name: str = Field(OMITTED, ...)` type-checks.
OMITTED: Any = None


class StrictIn(BaseModel):
    """Base of every request body: unknown fields are refused, text is trimmed as forms do, and
    choices arrive as plain strings for the services."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_enum_values=True)

    def changes(self) -> dict[str, Any]:
        """Only the fields the client sent (a PATCH leaves the others untouched)."""
        return self.model_dump(exclude_unset=True)


class PageIn(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page (at most 500).")
    offset: int = Field(0, ge=0, description="Items to skip.")


def page(qs: models.QuerySet[M], params: PageIn) -> dict[str, Any]:
    """`{"count": n, "items": [...]}` for one page of an ordered, scoped queryset: two queries
    (plus the queryset's own prefetches), whatever the page size."""
    items = list(qs[params.offset : params.offset + params.limit])
    return {"count": qs.count(), "items": items}


def choices_schema(choices: type[models.Choices], title: str) -> WithJsonSchema:
    """An inline, uniquely titled enum for the OpenAPI document. Django names every choices class
    after its attribute (`OrgUnit.Kind`, `Site.Kind`, `LegalNorm.Kind` are all "Kind"), and
    same-named enums would overwrite each other in the document's components. Use as
    `UnitKind = Annotated[OrgUnit.Kind, choices_schema(OrgUnit.Kind, "UnitKind")]`."""
    return WithJsonSchema({"title": title, "type": "string", "enum": [str(v) for v in choices.values]})


def field_error(field: str, msg: str, kind: str = "value_error") -> ValidationError:
    """A 422 in the same shape as pydantic's input errors, for rules checked in the view."""
    return ValidationError([{"loc": ["body", "payload", field], "msg": msg, "type": kind}])


def resolve_fk(qs: models.QuerySet[M], pk: int | None, field: str) -> M | None:
    """The row `pk` of `qs` (a scoping queryset), or a 422 naming `field` when there is none."""
    if pk is None:
        return None
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise field_error(field, _("No such record, or it is not available to you."), "not_found")
    return obj
