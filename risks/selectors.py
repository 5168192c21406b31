"""Read-side queries: the register's filters and the heat map's counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from risks.models import Risk, RiskMethod

LENS_FIELDS = {"quality": "lens_quality", "bribery": "lens_bribery", "security": "lens_security"}
WHICH = ("inherent", "residual")


def _int(value: Any) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= 2**31 else None


@dataclass
class RegisterFilter:
    q: str = ""
    lens: str = ""
    process: int | None = None
    site: int | None = None
    kind: str = ""
    status: str = ""
    method: int | None = None
    which: str = ""
    p: int | None = None
    i: int | None = None
    level: str = ""

    @classmethod
    def from_query(cls, query: Any) -> RegisterFilter:
        which = query.get("which", "")
        return cls(
            q=(query.get("q") or "").strip()[:100],
            lens=query.get("lens", "") if query.get("lens", "") in LENS_FIELDS else "",
            process=_int(query.get("process")),
            site=_int(query.get("site")),
            kind=query.get("kind", "") if query.get("kind", "") in Risk.Kind.values else "",
            status=query.get("status", "") if query.get("status", "") in Risk.Status.values else "",
            method=_int(query.get("method")),
            which=which if which in WHICH else "",
            p=_int(query.get("p")),
            i=_int(query.get("i")),
            level=(query.get("level") or "")[:30],
        )

    def apply(self, qs: QuerySet[Risk]) -> QuerySet[Risk]:
        if self.q:
            qs = qs.filter(Q(code__icontains=self.q) | Q(title__icontains=self.q))
        if self.lens:
            qs = qs.filter(**{LENS_FIELDS[self.lens]: True})
        if self.process:
            qs = qs.filter(Q(process_id=self.process) | Q(process__parent_id=self.process))
        if self.site:
            qs = qs.filter(site_id=self.site)
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if self.status:
            qs = qs.filter(status=self.status)
        if self.method:
            qs = qs.filter(method_id=self.method)
        which = self.which or "inherent"
        if self.p:
            qs = qs.filter(**{f"{which}_probability": self.p})
        if self.i:
            qs = qs.filter(**{f"{which}_impact": self.i})
        if self.level:
            qs = qs.filter(**{f"{which}_level": self.level})
        return qs

    def params(self, **override: Any) -> dict[str, Any]:
        values = {k: v for k, v in self.__dict__.items() if v not in ("", None)}
        values.update({k: v for k, v in override.items()})
        return {k: v for k, v in values.items() if v not in ("", None)}


def register(qs: QuerySet[Risk], flt: RegisterFilter) -> QuerySet[Risk]:
    return flt.apply(qs).select_related("method", "site", "process", "owner").order_by("code")


@dataclass
class Cell:
    probability: int
    impact: int
    score: int
    level: str
    label: str
    colour: str
    count: int
    url: str


def heat_map(qs: QuerySet[Risk], method: RiskMethod, which: str, flt: RegisterFilter) -> dict[str, Any]:
    """The grid of `method` (probability rows from high to low, impact columns) with the number of
    risks of `qs` in each cell by their latest `which` evaluation. One query."""
    spec = method.spec
    counts = {
        (row[f"{which}_probability"], row[f"{which}_impact"]): row["n"]
        for row in qs.filter(method=method, **{f"{which}_probability__isnull": False})
        .values(f"{which}_probability", f"{which}_impact")
        .annotate(n=Count("pk"))
        .order_by()
    }
    base = reverse("risks:risk_list")
    rows = []
    for p in reversed(spec.probability):
        cells = []
        for i in spec.impact:
            score = p.value * i.value
            level = spec.level_for(score)
            params = flt.params(method=method.pk, which=which, p=p.value, i=i.value, page=None)
            cells.append(
                Cell(
                    probability=p.value,
                    impact=i.value,
                    score=score,
                    level=level.code,
                    label=level.label,
                    colour=level.colour,
                    count=counts.get((p.value, i.value), 0),
                    url=f"{base}?{urlencode(params)}",
                )
            )
        rows.append({"step": p, "cells": cells})
    total = sum(counts.values())
    return {"rows": rows, "impact": spec.impact, "total": total, "which": which, "svg": _svg_layout(rows, spec)}


CELL = 84
LEFT = 130
TOP = 10


def _svg_layout(rows: list[dict[str, Any]], spec: Any) -> dict[str, Any]:
    """Coordinates for the SVG template (no inline style: colours are presentation attributes)."""
    out_rows = []
    for r, row in enumerate(rows):
        y = TOP + r * CELL
        cells = [
            {"x": LEFT + c * CELL, "y": y, "cx": LEFT + c * CELL + CELL // 2, "cy": y + CELL // 2 + 6, "cell": cell}
            for c, cell in enumerate(row["cells"])
        ]
        out_rows.append(
            {"label": row["step"].label, "value": row["step"].value, "y": y + CELL // 2 + 4, "cells": cells}
        )
    width = LEFT + len(spec.impact) * CELL + 10
    height = TOP + len(rows) * CELL
    columns = [
        {"x": LEFT + c * CELL + CELL // 2, "label": step.label, "value": step.value}
        for c, step in enumerate(spec.impact)
    ]
    return {
        "rows": out_rows,
        "columns": columns,
        "width": width,
        "height": height + 50,
        "axis_y": height + 20,
        "axis_title_y": height + 42,
        "size": CELL - 4,
        "mid_x": LEFT + len(spec.impact) * CELL // 2,
    }
