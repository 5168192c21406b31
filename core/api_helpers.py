"""Building blocks shared by the area routers (organization/api.py, catalog/api.py, …): the
limit/offset page, the input base classes, and 422 errors that name the offending field.

Every request body derives from StrictIn and every query-string schema from QueryIn; both check
each value the same way (`CleanInput`): text is normalised and refused with control, invalid or
direction-changing characters (core.text, the same rules as the forms); an integer must be a whole
number (91, not 91.0) within the 64 bits the databases hold; a date must fall within DATE_MIN and
DATE_MAX. Path parameters are checked by core.middleware.InputGuardMiddleware."""

from __future__ import annotations

import datetime
import enum
import re
from typing import Any, TypeVar

from annotated_types import MaxLen
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import ValidationError
from pydantic import (
    BaseModel,
    ConfigDict,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

from core import text
from core.limits import date_problem, int_problem
from core.pagination import COUNT_CAP, BadCursor, Keyset, capped_count
from core.request_context import current_request

M = TypeVar("M", bound=models.Model)

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_OFFSET = 1_000_000_000

# Default of a PATCH field that may be left out but must not be sent as null. Pydantic does not
# validate defaults, so an omitted field stays out of `model_fields_set`, while an explicit null
# fails the field's non-optional type (422 naming the field). Typed `Any` so that
# `name: str = Field(OMITTED, ...)` type-checks.
OMITTED: Any = None


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][0-9:.+\-Z]*)?$")


def _max_length(model: type[BaseModel], name: str) -> int | None:
    field = model.model_fields.get(name)
    if field is None:
        return None
    lengths = [m.max_length for m in field.metadata if isinstance(m, MaxLen)]
    return lengths[0] if lengths else None


def _wants_integer(model: type[BaseModel], name: str) -> bool:
    field = model.model_fields.get(name)
    return field is not None and "int" in str(field.annotation) and "float" not in str(field.annotation)


def check_input(value: Any, kind: text.Kind) -> Any:
    """A validated value checked against the shared limits (raises PydanticCustomError)."""
    if isinstance(value, bool | enum.Enum):
        return value
    if isinstance(value, int):
        if int_problem(value):
            raise PydanticCustomError("int_range", str(int_problem(value)))
        return value
    if isinstance(value, str):
        try:
            return text.clean(value, kind)
        except DjangoValidationError as exc:
            raise PydanticCustomError(str(exc.code), str(exc.messages[0])) from None
    if isinstance(value, datetime.date):
        problem = date_problem(value)
        if problem:
            raise PydanticCustomError("date_range", str(problem))
        return value
    if isinstance(value, list):
        item_kind = text.Kind.CODE if kind is text.Kind.CODE else text.Kind.LINE
        return [check_input(item, item_kind) for item in value]
    return value


class CleanInput(BaseModel):
    """The checks every value of the API's input passes (module docstring)."""

    @field_validator("*", mode="wrap")
    @classmethod
    def _clean_input(cls, value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Any:
        name = info.field_name or ""
        if isinstance(value, float) and _wants_integer(cls, name):
            raise PydanticCustomError("int_type", str(_("Enter a whole number (e.g. 91), not a decimal (91.0).")))
        result = handler(value)
        if (
            isinstance(result, datetime.date)
            and not isinstance(value, datetime.date)
            and not _ISO_DATE.match(str(value))
        ):
            # pydantic would read 0 or "1700000000" as a Unix time: a date is written as a date
            raise PydanticCustomError("date_format", str(_("Enter a date as YYYY-MM-DD.")))
        return check_input(result, text.kind_for(name, max_length=_max_length(cls, name)))


class StrictIn(CleanInput):
    """Base of every request body: unknown fields are refused, text is trimmed as forms do, and
    choices arrive as plain strings for the services."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_enum_values=True)

    def changes(self) -> dict[str, Any]:
        """Only the fields the client sent (a PATCH leaves the others untouched)."""
        return self.model_dump(exclude_unset=True)


class QueryIn(CleanInput, Schema):
    """Base of every query-string schema (filters): the same checks as a body's values."""

    model_config = ConfigDict(str_strip_whitespace=True)


class PageIn(QueryIn):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page (at most 500).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip (at most 1,000,000,000).")


class KeysetPageIn(PageIn):
    """The page of a list that also pages by key past its first 10,000 items (the `next` link
    there carries `after`)."""

    after: str | None = Field(
        None,
        max_length=100,
        description="Key of the last item of the previous page (from a `next` link): the page starts after it. "
        "Used past the first 10,000 items, where it costs no more than the first page.",
    )


class PageOut(Schema):
    """The envelope of every list: the total, the links to the neighbouring pages, the items."""

    count: int = Field(
        ...,
        description="Items in the whole list (all pages), counted up to 10,000: a longer list answers 10,001 "
        "until a page beyond the first 10,000 items is asked for, which carries the exact figure.",
    )
    next: str | None = Field(None, description="Address of the next page, or null on the last one.")
    previous: str | None = Field(None, description="Address of the previous page, or null on the first one.")


def _page_link(offset: int, limit: int, after: str | None = None) -> str | None:
    request = current_request()
    if request is None:
        return None
    query = request.GET.copy()
    query.pop("after", None)
    query["limit"] = str(limit)
    if after is None:
        query["offset"] = str(offset)
    else:
        query.pop("offset", None)
        query["after"] = after
    return str(request.build_absolute_uri(f"{request.path}?{query.urlencode()}"))


def _read_after(keyset: Keyset, after: str) -> Any:
    try:
        return keyset.read(after)
    except BadCursor as exc:
        raise ValidationError([{"loc": ["query", exc.field], "msg": str(exc), "type": "value_error"}]) from None


def _keyset_page(qs: models.QuerySet[M], params: PageIn, keyset: Keyset, after: str) -> dict[str, Any]:
    key = _read_after(keyset, after)
    if params.offset:
        msg = _("Leave out the offset with a page key: the page starts after the key.")
        raise ValidationError([{"loc": ["query", "offset"], "msg": msg, "type": "value_error"}])
    rows = list(keyset.after(qs, key)[: params.limit + 1])
    items = rows[: params.limit]
    more = len(rows) > params.limit
    return {
        "count": capped_count(qs, COUNT_CAP),
        "next": _page_link(0, params.limit, keyset.key(items[-1])) if more and items else None,
        "previous": _page_link(0, params.limit),  # back to the first page
        "items": items,
    }


def page(qs: models.QuerySet[M], params: PageIn, keyset: Keyset | None = None) -> dict[str, Any]:
    """`{"count", "next", "previous", "items"}` for one page of an ordered, scoped queryset: two
    queries (plus the queryset's own prefetches), whatever the page size. The count stops at
    core.pagination.COUNT_CAP + 1 unless the page reaches past COUNT_CAP by offset.

    With a `keyset` that orders `qs` (core.pagination.Keyset), a page reached by `after` is read
    after that key (an index seek, with the capped count), and the `next` link of a page that
    ends past COUNT_CAP carries the last item's key instead of an offset."""
    usable = keyset is not None and keyset.applies(qs)
    after = getattr(params, "after", None)
    if after is not None and keyset is not None:
        if usable:
            return _keyset_page(qs, params, keyset, after)
        _read_after(keyset, after)  # checked; a list in another order (ranked) pages by offset
    items = list(qs[params.offset : params.offset + params.limit])
    end = params.offset + params.limit
    # Counting a huge list exactly scans it on every page: up to COUNT_CAP only, unless this page
    # reaches past it (core.pagination).
    count = capped_count(qs, COUNT_CAP)
    if count > COUNT_CAP and end >= COUNT_CAP:
        count = qs.count()
    following = None
    if end < count:
        if usable and keyset is not None and end >= COUNT_CAP and items:
            following = _page_link(0, params.limit, keyset.key(items[-1]))
        else:
            following = _page_link(end, params.limit)
    return {
        "count": count,
        "next": following,
        "previous": _page_link(max(params.offset - params.limit, 0), params.limit) if params.offset > 0 else None,
        "items": items,
    }


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
