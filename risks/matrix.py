"""The risk matrix as a spreadsheet (one row per risk, the columns of the seed's "Matriz de
riesgos"), its import from XLSX (core.importer: errors by row and column, all or nothing), and
the follow-up report of the treatment action plans (PDF in the seed's format and XLSX)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from actions.models import ActionItem
from core import importer
from core.access import get_scope
from core.importer import Column, Importer, Row
from organization.models import Process, Site
from reports.base import Identity, Report, Sheet
from risks import access, services
from risks.models import Control, Risk, RiskMethod

KIND_ES = {Risk.Kind.RISK: "Riesgo", Risk.Kind.OPPORTUNITY: "Oportunidad"}
LENS_ES = {
    Risk.Lens.QUALITY: "Calidad",
    Risk.Lens.BRIBERY: "Soborno",
    Risk.Lens.SECURITY: "Seguridad de la información",
}
TREATMENT_ES = {
    "": "",
    "accept": "Aceptar",
    "reduce": "Reducir",
    "avoid": "Evitar",
    "transfer": "Transferir",
    "exploit": "Aprovechar",
}
STATUS_ES = {
    ActionItem.Status.PENDING: "Pendiente",
    ActionItem.Status.IN_PROGRESS: "En proceso",
    ActionItem.Status.DONE: "Cumplido",
    ActionItem.Status.CANCELLED: "Anulado",
}
MAX_EXPORT_ROWS = 60_000


def _lens_value(text: str) -> str | None:
    key = text.strip().casefold()
    for lens, label in LENS_ES.items():
        if key in (label.casefold(), lens, label.split()[0].casefold()):
            return str(lens)
    if key in ("integridad", "soborno/integridad", "si"):
        return "bribery" if key != "si" else "security"
    return None


def _kind_value(value: Any) -> str:
    raw = importer.text(value).casefold()
    for kind, label in KIND_ES.items():
        if raw in (label.casefold(), kind):
            return str(kind)
    raise importer.CellError(_("Write Riesgo or Oportunidad."))


def _score(value: Any) -> int:
    number = importer.integer(value)
    if not 0 < number <= 1000:
        raise importer.CellError(_("“%(v)s” is not on the method's scale.") % {"v": number})
    return number


COLUMNS = [
    Column(
        "code", "Código", gettext_lazy("Unique code of the risk, e.g. R-CUS-01."), parse=importer.code, as_text=True
    ),
    Column("title", "Riesgo u oportunidad", gettext_lazy("Short title."), parse=importer.max_length(300), width=40),
    Column("kind", "Tipo", gettext_lazy("Riesgo or Oportunidad."), parse=_kind_value, width=12),
    Column(
        "lenses",
        "Enfoques",
        gettext_lazy("Calidad, Soborno, Seguridad de la información (separated by ;)."),
        parse=importer.split(";"),
        width=24,
    ),  # fmt: skip
    Column("process", "Proceso", gettext_lazy("Process code, e.g. M01."), parse=importer.code, as_text=True, width=10),
    Column("site", "Sede", gettext_lazy("Site code, e.g. SC or UT-CUS."), parse=importer.code, as_text=True, width=10),
    Column("cause", "Causa", gettext_lazy("What may cause the event."), parse=importer.text, width=40),
    Column("event", "Evento", gettext_lazy("What may happen."), parse=importer.text, width=40),
    Column("consequence", "Consecuencia", gettext_lazy("What would follow."), parse=importer.text, width=40),
    Column("owner", "Dueño del riesgo", gettext_lazy("Username of the owner."), parse=importer.code, width=16),
    Column(
        "controls",
        "Controles existentes",
        gettext_lazy("Codes of the control catalogue (separated by ;)."),
        required=False,
        parse=importer.split(";"),
        width=24,
    ),  # fmt: skip
    Column(
        "ip",
        "Probabilidad inherente",
        gettext_lazy("A value of the method's probability scale."),
        required=False,
        parse=_score,
        width=12,
    ),  # fmt: skip
    Column(
        "ii",
        "Impacto inherente",
        gettext_lazy("A value of the method's impact scale."),
        required=False,
        parse=_score,
        width=12,
    ),  # fmt: skip
    Column(
        "rp",
        "Probabilidad residual",
        gettext_lazy("A value of the method's probability scale."),
        required=False,
        parse=_score,
        width=12,
    ),  # fmt: skip
    Column(
        "ri",
        "Impacto residual",
        gettext_lazy("A value of the method's impact scale."),
        required=False,
        parse=_score,
        width=12,
    ),  # fmt: skip
    Column(
        "justification",
        "Justificación",
        gettext_lazy("Required when the residual is above the inherent."),
        required=False,
        parse=importer.text,
        width=30,
    ),  # fmt: skip
]
# The export carries these read-only columns too; the import ignores them.
EXPORT_EXTRA = ["Nivel inherente", "Puntaje inherente", "Nivel residual", "Puntaje residual", "Tratamiento",
                "Acciones de tratamiento", "Estado", "Aceptado hasta", "Método"]  # fmt: skip


class MatrixColumns(Importer[Risk]):
    """The matrix's columns (what the template offers and the import reads)."""

    columns = COLUMNS
    sheet_title = "Matriz de riesgos"
    ignore_unknown_columns = True
    max_rows = 5000


class RiskMatrixImporter(MatrixColumns):
    def __init__(self, method: RiskMethod, *, user: Any = None, source: str = "") -> None:
        super().__init__()
        self.method = method
        self.user = user
        self.source = source
        self.created: list[Risk] = []
        self.processes = {p.code.casefold(): p for p in Process.objects.filter(is_active=True)}
        self.sites = {s.code.casefold(): s for s in Site.objects.filter(is_active=True)}
        self.owners = {u.username.casefold(): u for u in User.objects.filter(is_active=True)}
        self.controls = {c.code.casefold(): c for c in Control.objects.filter(is_active=True)}
        self.taken = {c.casefold() for c in Risk.objects.values_list("code", flat=True)}

    def check_row(self, row: Row, error: Any) -> None:
        v = row.values
        spec = self.method.spec
        lenses = [_lens_value(x) for x in v["lenses"] or []]
        if not lenses or None in lenses:
            error("lenses", _("Write one or more of: Calidad; Soborno; Seguridad de la información."))
        for key, table in (("process", self.processes), ("site", self.sites), ("owner", self.owners)):
            if v[key] and v[key].casefold() not in table:
                error(key, _("“%(v)s” does not exist.") % {"v": v[key]})
        unknown = [c for c in v["controls"] or [] if c.casefold() not in self.controls]
        if unknown:
            error("controls", _("Unknown controls: %(v)s.") % {"v": ", ".join(unknown)})
        for p_key, i_key in (("ip", "ii"), ("rp", "ri")):
            if (v[p_key] is None) != (v[i_key] is None):
                error(p_key, _("Give both probability and impact, or neither."))
            if v[p_key] is not None and v[p_key] not in spec.probability_values():
                error(p_key, _("Not on the probability scale %(s)s.") % {"s": spec.probability_values()})
            if v[i_key] is not None and v[i_key] not in spec.impact_values():
                error(i_key, _("Not on the impact scale %(s)s.") % {"s": spec.impact_values()})
        if v["rp"] is not None and v["ip"] is None:
            error("rp", _("A residual evaluation needs the inherent one."))
        if (
            None not in (v["ip"], v["ii"], v["rp"], v["ri"])
            and v["rp"] * v["ri"] > v["ip"] * v["ii"]
            and not v["justification"]
        ):
            error("justification", _("The residual is above the inherent: justify it."))
        if v["code"].casefold() in self.taken:
            error("code", _("Another risk already has the code %(c)s.") % {"c": v["code"]})
        if self.user is not None and v["site"] and v["site"].casefold() in self.sites:
            writable = access.writable_site_ids(self.user)
            if writable is not None and self.sites[v["site"].casefold()].pk not in writable:
                error("site", _("You may register risks only for your own unit."))
        if v["owner"] and v["owner"].casefold() in self.owners:
            owner = self.owners[v["owner"].casefold()]
            site = self.sites.get((v["site"] or "").casefold())
            if site is not None and not get_scope(owner).can_see_site(site.pk):
                error("owner", _("The owner cannot see this risk's unit."))
        row.extra["lenses"] = [x for x in lenses if x]

    def check_rows(self, rows: list[Row], error: Any) -> None:
        seen: dict[str, int] = {}
        for row in rows:
            key = row.values["code"].casefold()
            if key in seen:
                error(row, "code", _("The code is repeated (row %(n)d).") % {"n": seen[key]})
            seen.setdefault(key, row.number)

    def apply_row(self, row: Row, by: Any) -> Any:
        """Rows are written together, in bulk, by finish() (services.import_risks)."""
        v = row.values
        row.obj = {
            "code": v["code"],
            "title": v["title"],
            "kind": v["kind"],
            **{f"lens_{lens}": lens in row.extra["lenses"] for lens in Risk.Lens.values},
            "process": self.processes[v["process"].casefold()],
            "site": self.sites[v["site"].casefold()],
            "cause": v["cause"],
            "event": v["event"],
            "consequence": v["consequence"],
            "owner": self.owners[v["owner"].casefold()],
            "controls": [self.controls[c.casefold()] for c in v["controls"] or []],
            "inherent": (v["ip"], v["ii"]) if v["ip"] is not None else None,
            "residual": (v["rp"], v["ri"]) if v["rp"] is not None else None,
            "justification": v["justification"] or "",
        }
        return v["code"]

    def finish(self, rows: list[Row], by: Any) -> None:
        self.created = services.import_risks(rows=[r.obj for r in rows], method=self.method, by=by, source=self.source)


def template_xlsx() -> bytes:
    return MatrixColumns().template_xlsx()


def _person(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


class RiskMatrix(Report):
    """Matriz de riesgos (XLSX): the register visible to the user, as filtered."""

    audit_type = "risks.risk"

    def __init__(self, risks: QuerySet[Risk]) -> None:
        self.risks = risks

    def identity(self) -> Identity:
        return Identity(title="Matriz de riesgos", filename="matriz-de-riesgos")

    def context(self) -> dict[str, Any]:
        items = (
            self.risks.select_related("process", "site", "owner", "method")
            .prefetch_related(
                Prefetch("controls", queryset=Control.objects.order_by("code")),
            )
            .order_by("code")[:MAX_EXPORT_ROWS]
        )
        return {"risks": list(items)}

    def sheets(self, context: dict[str, Any]) -> list[Sheet]:
        risks = context["risks"]
        counts: dict[int, int] = {}
        for source_id in ActionItem.objects.filter(
            kind=services.TREATMENT_KIND, source_id__in=[r.pk for r in risks]
        ).values_list("source_id", flat=True):
            counts[source_id] = counts.get(source_id, 0) + 1
        rows = []
        for r in risks:
            inh, res = r.level_of("inherent"), r.level_of("residual")
            rows.append(
                [
                    r.code, r.title, KIND_ES[Risk.Kind(r.kind)], "; ".join(LENS_ES[Risk.Lens(x)] for x in r.lenses),
                    r.process.code, r.site.code, r.cause, r.event, r.consequence, r.owner.username,
                    "; ".join(c.code for c in r.controls.all()),
                    r.inherent_probability, r.inherent_impact, r.residual_probability, r.residual_impact, "",
                    inh["label"] if inh else "", r.inherent_score, res["label"] if res else "", r.residual_score,
                    TREATMENT_ES.get(r.treatment, r.treatment), counts.get(r.pk, 0), r.get_status_display(),
                    r.acceptance_expires_on, f"{r.method.code} v{r.method.version}",
                ]
            )  # fmt: skip
        header = [c.header for c in COLUMNS] + EXPORT_EXTRA
        widths = [c.width for c in COLUMNS] + [12] * len(EXPORT_EXTRA)
        return [Sheet("Matriz de riesgos", header, rows, widths)]


class TreatmentFollowUp(Report):
    """Informe de seguimiento de los planes de acción de la matriz de riesgos (PDF and XLSX)."""

    template = "risks/print/follow_up.html"
    landscape = True
    uncontrolled_legend = False
    audit_type = "risks.risk"

    def __init__(self, risks: QuerySet[Risk], today: datetime.date | None = None) -> None:
        self.risks = risks
        self.today = today or timezone.localdate()

    def identity(self) -> Identity:
        return Identity(
            title="Informe de seguimiento de los planes de acción de la matriz de riesgos",
            filename="seguimiento-planes-de-accion-riesgos",
        )

    def context(self) -> dict[str, Any]:
        risks = {r.pk: r for r in self.risks.select_related("site")}
        items = list(
            ActionItem.objects.filter(kind=services.TREATMENT_KIND, source_id__in=list(risks))
            .select_related("responsible")
            .order_by("number", "pk")
        )
        rows = [
            (i, risks[i.source_id], STATUS_ES.get(ActionItem.Status(i.status), i.status), i.is_overdue(self.today))
            for i in items
            if i.source_id in risks
        ]
        return {
            "rows": rows,
            "summary": {
                "total": len(rows),
                "done": sum(1 for i, *_ in rows if i.status == ActionItem.Status.DONE),
                "open": sum(1 for i, *_ in rows if i.is_open),
                "overdue": sum(1 for *_, late in rows if late),
                "cancelled": sum(1 for i, *_ in rows if i.status == ActionItem.Status.CANCELLED),
            },
        }

    def sheets(self, context: dict[str, Any]) -> list[Sheet]:
        header = ["Riesgo", "Sede", "N.° de acción", "Acción", "Responsable", "Plazo", "Estado", "Vencida",
                  "Fecha de cierre", "Sustento"]  # fmt: skip
        data = [
            [
                r.code,
                r.site.code,
                i.number,
                i.title,
                _person(i.responsible),
                i.due_date,
                status,
                "Sí" if late else "No",
                i.closed_on,
                i.closing_note,
            ]  # fmt: skip
            for i, r, status, late in context["rows"]
        ]
        return [Sheet("Seguimiento", header, data, (14, 10, 16, 60, 28, 12, 12, 9, 12, 40))]
