"""The standards catalogue over the API: standards with their editions, and requirements with
their harmonized-structure clause and twins. Same access helpers as the pages (catalog.access).

The licensee's official text is shown to reference editors only; for everybody else the
`official_text` key is absent, not empty."""

from __future__ import annotations

from typing import Annotated, Any

from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from catalog import access
from catalog.models import Edition, Requirement
from catalog.selectors import hs_twins
from core.api_helpers import PageIn, PageOut, QueryIn, choices_schema, page
from organization.access import is_reference_editor

router = Router(tags=["catalog"])
EditionStructure = Annotated[Edition.Structure, choices_schema(Edition.Structure, "EditionStructure")]
RequirementKind = Annotated[Requirement.Kind, choices_schema(Requirement.Kind, "RequirementKind")]


def _with_counts(qs: Any) -> Any:
    return qs.annotate(
        n_clauses=Count("requirements", filter=Q(requirements__kind=Requirement.Kind.CLAUSE)),
        n_controls=Count("requirements", filter=Q(requirements__kind=Requirement.Kind.CONTROL)),
        n_requirements=Count("requirements"),
    )


# --- standards and editions ---------------------------------------------------------------


class EditionSummary(Schema):
    id: int
    label: str
    year: int
    structure: EditionStructure
    is_current: bool
    national_adoption: str
    n_clauses: int
    n_controls: int
    n_requirements: int


class StandardOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    system_code: str
    editions: list[EditionSummary]

    @staticmethod
    def resolve_editions(obj: Any) -> list[Edition]:
        return list(obj.editions.all())


class StandardPage(PageOut):
    items: list[StandardOut]


class StandardRef(Schema):
    id: int
    code: str
    name: str


class EditionOut(EditionSummary):
    standard: StandardRef


@router.get("/standards", response=StandardPage, summary="Standards and their editions")
def standard_list(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    access.require_readable(request.user)
    editions = _with_counts(access.editions_visible_to(request.user)).order_by("year", "pk")
    qs = access.standards_visible_to(request.user).prefetch_related(Prefetch("editions", queryset=editions))
    return page(qs.order_by("order", "code", "pk"), paging)


@router.get("/editions/{pk}", response=EditionOut, summary="One edition of a standard")
def edition_detail(request: HttpRequest, pk: int) -> Edition:
    edition = access.get_edition_for_user(request.user, pk)
    counts = _with_counts(Edition.objects.filter(pk=edition.pk)).values("n_clauses", "n_controls", "n_requirements")
    for name, value in counts.get().items():
        setattr(edition, name, value)
    return edition


# --- requirements -----------------------------------------------------------------------


class ClauseRef(Schema):
    number: str
    title: str
    title_en: str


class RequirementOut(Schema):
    id: int
    edition_id: int
    edition_label: str
    standard_code: str
    number: str
    label: str = Field(..., description='Edition and number, e.g. "ISO 9001:2015 9.2".')
    parent_id: int | None
    kind: RequirementKind
    title: str
    title_en: str
    hs_clause: str | None = Field(..., description="Number of the harmonized-structure clause.")
    depth: int
    order: int
    official_text: str | None = Field(
        None, description="The licensee's official text; present only for reference editors."
    )


class RequirementPage(PageOut):
    items: list[RequirementOut]


class TwinOut(Schema):
    id: int
    label: str
    edition_label: str
    standard_code: str
    number: str
    title: str


class RequirementDetailOut(RequirementOut):
    hs_clause_detail: ClauseRef | None
    twins: list[TwinOut] = Field(..., description="Requirements of other standards on the same clause.")


class RequirementFilter(QueryIn):
    standard: str | None = Field(None, max_length=40, description='Standard code, e.g. "ISO 37001".')
    edition: str | None = Field(None, max_length=60, description='Edition label ("ISO/IEC 27001:2022") or id.')
    hs: str | None = Field(None, max_length=10, description='Harmonized-structure clause, e.g. "9.2".')
    kind: RequirementKind | None = None
    q: str | None = Field(None, max_length=100, description="Start of the number, or words of the title.")


def _requirement(req: Requirement, with_text: bool) -> dict[str, Any]:
    out = {
        "id": req.pk,
        "edition_id": req.edition_id,
        "edition_label": req.edition.label,
        "standard_code": req.edition.standard.code,
        "number": req.number,
        "label": str(req),
        "parent_id": req.parent_id,
        "kind": req.kind,
        "title": req.title,
        "title_en": req.title_en,
        "hs_clause": req.hs_clause.number if req.hs_clause else None,
        "depth": req.depth,
        "order": req.order,
    }
    if with_text:
        out["official_text"] = req.official_text
    return out


def _filter_requirements(qs: Any, f: RequirementFilter) -> Any:
    if f.standard:
        qs = qs.filter(edition__standard__code=f.standard)
    if f.edition:
        qs = qs.filter(edition_id=int(f.edition)) if f.edition.isdigit() else qs.filter(edition__label=f.edition)
    if f.hs:
        qs = qs.filter(hs_clause__number=f.hs)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.q:
        qs = qs.filter(Q(number__istartswith=f.q) | Q(title__icontains=f.q) | Q(title_en__icontains=f.q))
    return qs


# `exclude_unset` drops `official_text` from the output when it was not set (non-editors).
@router.get(
    "/requirements",
    response=RequirementPage,
    exclude_unset=True,
    summary="Requirements (filter by standard, edition, harmonized clause, kind, text)",
)
def requirement_list(request: HttpRequest, filters: Query[RequirementFilter], paging: Query[PageIn]) -> dict[str, Any]:
    access.require_readable(request.user)
    qs = _filter_requirements(access.requirements_visible_to(request.user), filters)
    result = page(qs.order_by("edition__standard__order", "edition__year", "order", "pk"), paging)
    with_text = is_reference_editor(request.user)
    result["items"] = [_requirement(r, with_text) for r in result["items"]]
    return result


@router.get(
    "/requirements/{pk}",
    response=RequirementDetailOut,
    exclude_unset=True,
    summary="One requirement, its harmonized clause and its twins in the other standards",
)
def requirement_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    req = access.get_requirement_for_user(request.user, pk)
    clause = req.hs_clause
    return {
        **_requirement(req, is_reference_editor(request.user)),
        "hs_clause_detail": {"number": clause.number, "title": clause.title, "title_en": clause.title_en}
        if clause
        else None,
        "twins": [
            {
                "id": t.pk,
                "label": str(t),
                "edition_label": t.edition.label,
                "standard_code": t.edition.standard.code,
                "number": t.number,
                "title": t.title,
            }
            for t in hs_twins(req)
        ],
    }
