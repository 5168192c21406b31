"""The registers' optimisations (issue 13's benchmark: 20,000 partners, 100,000 due diligences)
give the same rows as the plain definitions: same order, same scoping, same filters; the pages
run a fixed number of queries whatever the number of rows; the matrix reads partners a chunk at
a time and the PDF prints at most PDF_MAX_ROWS of them."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import openpyxl
import pytest
from django.db.models import Q
from django.utils import timezone

from core.access import get_scope
from integrity import reports
from integrity.access import due_diligence_visible_to, key_positions_visible_to, partners_visible_to
from integrity.models import BusinessPartner, DueDiligence, KeyPosition
from integrity.validators import ruc_check_digit
from organization.models import OrgUnit, Process, Site

pytestmark = pytest.mark.django_db

DOC = re.compile(r'<tr data-doc="(\d+)">')
KINDS = ["supplier", "paying_agent", "contractor"]
RISKS = ["low", "medium", "high"]


def _ruc(n: int) -> str:
    first = f"20{70_000_000 + n:08d}"
    return first + str(ruc_check_digit(first))


def _partners(n: int, start: int = 0) -> list[BusinessPartner]:
    """n partners spread over the Sede Central (no site), Cusco and Puno, every risk and type;
    some names repeat so that the (name, id) order is exercised."""
    cusco, puno = Site.objects.get(code="UT-CUS"), Site.objects.get(code="UT-PUN")
    sites = [None, None, cusco, puno]
    made = BusinessPartner.objects.bulk_create(
        BusinessPartner(
            doc_number=_ruc(i),
            name=f"Socio {(i * 7) % 11:02d}" + (" Alfa" if i % 3 else ""),
            kind=KINDS[i % 3],
            risk_level=RISKS[(i // 3) % 3],
            site=sites[i % 4],
        )
        for i in range(start, start + n)
    )
    procs = list(Process.objects.order_by("pk")[:3])
    for i, p in enumerate(made):
        p.processes.set(procs[: i % 3])
    return made


def _dd(subject: BusinessPartner | KeyPosition, started: datetime.date, **extra: Any) -> DueDiligence:
    from accounts.models import User

    key = "partner" if isinstance(subject, BusinessPartner) else "key_position"
    return DueDiligence.objects.create(
        **{key: subject},
        started_on=started,
        responsible=User.objects.get(username="integridad"),
        **extra,
    )


def _listed(client: Any, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return DOC.findall(response.content.decode())


def _expected(user: Any, keep: Any) -> list[str]:
    """The register's rows computed in Python from every partner: visible to the user (all
    sites, or theirs and the ones with no site), kept by `keep`, in (name, id) order."""
    scope = get_scope(user)
    rows = [
        p
        for p in BusinessPartner.objects.all()
        if (scope.all_sites or p.site_id is None or p.site_id in scope.site_ids) and keep(p)
    ]
    return [p.doc_number for p in sorted(rows, key=lambda p: (p.name, p.pk))][:50]


@pytest.mark.parametrize("persona", ["integridad", "ut.cusco"])
def test_partner_register_filters_scope_and_order_match_the_plain_definition(persona: str, client_as: Any) -> None:
    from accounts.models import User

    _partners(40)
    user = User.objects.get(username=persona)
    client = client_as(user)
    cases: list[tuple[str, Any]] = [
        ("", lambda p: True),
        ("?risk=high", lambda p: p.risk_level == "high"),
        ("?kind=supplier", lambda p: p.kind == "supplier"),
        ("?risk=high&kind=supplier", lambda p: p.risk_level == "high" and p.kind == "supplier"),
        ("?q=socio+03", lambda p: "socio 03" in p.name.lower()),
        ("?q=ALFA", lambda p: "alfa" in p.name.lower()),
        ("?q=2070000001", lambda p: p.doc_number.startswith("2070000001")),
        ("?risk=nonsense&kind=zzz", lambda p: True),  # unknown values are ignored, never a 500
    ]
    for query, keep in cases:
        expected = _expected(user, keep)
        assert expected, query
        assert _listed(client, "/integridad/socios/" + query) == expected, query


def test_ut_head_sees_their_ut_and_central_partners_only(ut_cusco: Any, client_as: Any) -> None:
    made = _partners(8)
    listed = set(_listed(client_as(ut_cusco), "/integridad/socios/?q=Socio"))
    assert {p.doc_number for p in made if p.site is None or p.site.code == "UT-CUS"} <= listed
    assert not {p.doc_number for p in made if p.site and p.site.code == "UT-PUN"} & listed


@pytest.mark.parametrize(
    ("url", "queries"),
    [("/integridad/socios/", 6), ("/integridad/debida-diligencia/", 5), ("/integridad/puestos-clave/", 7)],
)
def test_register_pages_run_a_fixed_number_of_queries(
    url: str, queries: int, integridad: Any, client_as: Any, django_assert_num_queries: Any
) -> None:
    client = client_as(integridad)
    client.get(url)  # session, caches
    unit = OrgUnit.objects.filter(site__code="UT-CUS").first()
    assert unit is not None
    for n in (3, 60):
        for p in _partners(n, start=1000 * n):
            _dd(p, datetime.date(2025, 1, 1))
            _dd(p, datetime.date(2025, 6, 1))
        for i in range(n // 3):
            position = KeyPosition.objects.create(position=f"Puesto {n}-{i}", unit=unit, reason="Fondos")
            _dd(position, datetime.date(2025, 1, 1), person_name="A")
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


def test_due_diligence_of_a_central_reader_is_every_due_diligence_and_a_ut_head_keeps_the_subqueries(
    integridad: Any, ut_cusco: Any
) -> None:
    made = _partners(8)
    for p in made:
        _dd(p, datetime.date(2025, 3, 1))
    unit = OrgUnit.objects.filter(site__code="UT-PUN").first()
    assert unit is not None
    puno = KeyPosition.objects.create(position="Tesorero", unit=unit, site=unit.site, reason="Fondos")
    _dd(puno, datetime.date(2025, 3, 1), person_name="B")
    for user in (integridad, ut_cusco):
        plain = DueDiligence.objects.filter(
            Q(partner__in=partners_visible_to(user)) | Q(key_position__in=key_positions_visible_to(user))
        )
        assert set(due_diligence_visible_to(user).values_list("pk", flat=True)) == set(
            plain.values_list("pk", flat=True)
        )
    assert not due_diligence_visible_to(ut_cusco).filter(key_position=puno).exists()
    assert due_diligence_visible_to(integridad).filter(key_position=puno).exists()


def test_due_diligence_review_filters_on_the_page_and_the_api(integridad: Any, client_as: Any) -> None:
    today = timezone.localdate()
    p = _partners(1)[0]
    past = _dd(p, today - datetime.timedelta(days=400), next_review=today - datetime.timedelta(days=1))
    soon = _dd(p, today - datetime.timedelta(days=350), next_review=today + datetime.timedelta(days=10))
    later = _dd(p, today - datetime.timedelta(days=300), next_review=today + datetime.timedelta(days=60))
    none = _dd(p, today)
    client = client_as(integridad)
    mine = {past.pk, soon.pk, later.pk, none.pk}
    for review, wanted in [("overdue", {past.pk}), ("soon", {soon.pk}), ("", mine)]:
        page = client.get(f"/integridad/debida-diligencia/?review={review}").content.decode()
        shown = {int(pk) for pk in re.findall(r'href="/integridad/debida-diligencia/(\d+)/"', page)} & mine
        assert shown == wanted, review
        api = client.get(f"/api/v1/due-diligence/?partner_id={p.pk}" + (f"&review={review}" if review else ""))
        assert [d["id"] for d in api.json()["items"]] == [
            d.pk for d in sorted((d for d in (past, soon, later, none) if d.pk in wanted), key=lambda d: (d.started_on, d.pk), reverse=True)
        ]  # fmt: skip
    assert client.get("/api/v1/due-diligence/?review=someday").status_code == 422
    assert client.get("/integridad/debida-diligencia/?review=someday&status=x").status_code == 200


def _last_dd(p: BusinessPartner) -> DueDiligence | None:
    dds = sorted(p.due_diligences.all(), key=lambda d: (d.started_on, d.pk))
    return dds[-1] if dds else None


def test_matrix_xlsx_has_every_partner_with_its_latest_due_diligence_read_chunk_by_chunk(
    integridad: Any, client_as: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(reports, "CHUNK", 4)
    made = _partners(11)
    same_day = datetime.date(2025, 5, 5)
    for i, p in enumerate(made):
        if i % 4 == 0:
            continue  # no due diligence
        _dd(p, datetime.date(2024, 1, 1), decision="stop")
        _dd(p, same_day, decision="conditions", status="completed", valid_until=datetime.date(2026, 5, 5))
        if i % 2:
            _dd(p, same_day, decision="proceed")  # same start date: the later id is the latest
    response = client_as(integridad).get("/integridad/socios/matriz.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response)), read_only=True)["Socios de negocio"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    partners = sorted(BusinessPartner.objects.all(), key=lambda p: (p.name, p.pk))
    assert [r[1] for r in rows] == [p.doc_number for p in partners]
    for row, p in zip(rows, partners, strict=True):
        last = _last_dd(p)
        assert (row[4] or "") == ", ".join(sorted(pr.code for pr in p.processes.all())), p.doc_number
        assert row[11] == (reports.DECISION_ES[last.decision] if last else None), p.doc_number
        started = row[10].date() if isinstance(row[10], datetime.datetime) else row[10]
        assert started == (last.started_on if last else None)


def test_matrix_follows_the_register_filters_and_the_pdf_prints_at_most_its_limit(
    integridad: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(reports, "PDF_MAX_ROWS", 3)
    _partners(12)
    report = reports.PartnerMatrix(integridad)
    ctx = report.context()
    everyone = sorted(BusinessPartner.objects.all(), key=lambda p: (p.name, p.pk))
    assert [r["partner"].pk for r in ctx["rows"]] == [p.pk for p in everyone[:3]]
    assert ctx["total"] == len(everyone) and ctx["truncated"]
    assert f"Se muestran los primeros 3 de {len(everyone)} socios" in report.html()
    high = reports.PartnerMatrix(integridad, {"risk": "high", "kind": "supplier"})
    ctx = high.context()
    wanted = [p.pk for p in everyone if p.risk_level == "high" and p.kind == "supplier"]
    assert len(wanted) <= 3
    assert [r["partner"].pk for r in ctx["rows"]] == wanted and not ctx["truncated"]
    assert "riesgo Alto, tipo" in high.html()


def test_matrix_download_keeps_the_filters_and_audits_them(integridad: Any, client_as: Any) -> None:
    from audit.models import AuditEvent

    _partners(12)
    client = client_as(integridad)
    listing = client.get("/integridad/socios/?risk=high&q=socio").content.decode()
    assert 'href="/integridad/socios/matriz.xlsx?q=socio&amp;risk=high"' in listing
    response = client.get("/integridad/socios/matriz.xlsx?q=socio&risk=high")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response)), read_only=True)["Socios de negocio"]
    docs = [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert docs and set(docs) == set(
        BusinessPartner.objects.filter(risk_level="high", name__icontains="socio").values_list("doc_number", flat=True)
    )
    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).order_by("-pk").first()
    assert event is not None and event.changes["filters"] == {"q": "socio", "risk": "high"}


def test_key_position_list_shows_the_latest_due_diligence(integridad: Any, client_as: Any) -> None:
    unit = OrgUnit.objects.filter(site__code="UT-CUS").first()
    assert unit is not None
    position = KeyPosition.objects.create(position="Cajero de prueba", unit=unit, reason="Fondos")
    _dd(position, datetime.date(2024, 1, 1), person_name="A", decision="stop")
    newest = _dd(position, datetime.date(2025, 1, 1), person_name="A", decision="proceed")
    page = client_as(integridad).get("/integridad/puestos-clave/").content.decode()
    row = page[page.index(f'id="kp-{position.pk}"') :].split("</tr>")[0]
    assert f'href="/integridad/debida-diligencia/{newest.pk}/"' in row


def test_compliance_report_counts_match_the_plain_definitions(integridad: Any) -> None:
    from integrity.reports import ComplianceReport

    today = timezone.localdate()
    made = _partners(12)
    for i, p in enumerate(made):
        p.anti_bribery_clause = i % 2 == 0
        p.due_diligence_required = i % 3 != 0
        p.monitoring = i % 5 == 0
        p.active = i != 7
        p.save()
        if i % 4 == 1:  # valid
            _dd(p, today - datetime.timedelta(days=30), status="completed", decision="proceed",
                valid_until=today + datetime.timedelta(days=300), next_review=today + datetime.timedelta(days=10))  # fmt: skip
        if i % 4 == 2:  # expired, plus one in progress
            _dd(p, today - datetime.timedelta(days=500), status="completed", decision="conditions",
                valid_until=today - datetime.timedelta(days=100), politically_exposed=True)  # fmt: skip
            _dd(p, today, decision="pending")
    rows: dict[str, Any] = {}
    for label, value, _pct in ComplianceReport(integridad).context()["rows"]:
        rows.setdefault(label, value)  # "… con debida diligencia vigente" is also the key positions' row
    active = [p for p in BusinessPartner.objects.all() if p.active]

    def valid(p: BusinessPartner) -> bool:
        return any(d.status == "completed" and d.valid_until and d.valid_until >= today for d in p.due_diligences.all())

    dds = list(DueDiligence.objects.all())
    assert rows["Socios de negocio activos"] == len(active)
    assert rows["Con cláusula antisoborno"] == sum(p.anti_bribery_clause for p in active)
    assert rows["Que requieren debida diligencia"] == sum(p.due_diligence_required for p in active)
    assert rows["… con debida diligencia vigente"] == sum(p.due_diligence_required and valid(p) for p in active)
    assert rows["Con seguimiento"] == sum(p.monitoring for p in active)
    assert rows["Debidas diligencias vencidas"] == sum(
        d.status == "completed" and d.valid_until is not None and d.valid_until < today for d in dds
    )
    assert rows["Revisiones en los próximos 30 días"] == sum(
        d.next_review is not None and today <= d.next_review <= today + datetime.timedelta(days=30) for d in dds
    )
    assert rows["Debidas diligencias reforzadas (señales de alerta)"] == sum(d.enhanced for d in dds)
    ctx = ComplianceReport(integridad).context()
    assert dict(ctx["by_risk"]) == {
        reports.RISK_ES[level]: sum(p.risk_level == level for p in active) for level in ("low", "medium", "high")
    }
    assert dict(ctx["decisions"]) == {
        reports.DECISION_ES[d]: sum(x.decision == d for x in dds) for d in ("pending", "proceed", "conditions", "stop")
    }
