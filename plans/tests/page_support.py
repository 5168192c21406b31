"""Shared set-up for the plan page tests: URLs, a plan with activities and products made with the
services, documents and Committee sessions to serve as evidence. Pages are read through data-*
attributes (never English UI text, which becomes Spanish). Years from 2041 on keep clear of the
demo plans and of the API tests."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from committee import services as committee_services
from committee.models import Session
from organization.tests.helpers import find, find_all, has_field_error, text_of  # noqa: F401 - re-exported
from plans import services
from plans.models import Activity, ChangeRequest, Plan, Product
from plans.tests.api_support import add_activity, add_product, fresh, make_plan, site, unit  # noqa: F401

YEAR = 2041
TODAY = timezone.localdate


def events() -> int:
    return AuditEvent.objects.count()


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def plan_url(plan: Plan, name: str = "plan_detail", *args: Any) -> str:
    return reverse(f"plans:{name}", args=[plan.pk, *args])


def activity_url(activity: Activity, name: str = "activity_detail") -> str:
    return reverse(f"plans:{name}", args=[activity.pk])


def deliver_url(product: Product) -> str:
    return reverse("plans:product_deliver", args=[product.pk])


def cr_url(cr: ChangeRequest, name: str = "change_request_detail") -> str:
    return reverse(f"plans:{name}", args=[cr.pk])


LIST = reverse("plans:plan_list")
CREATE = reverse("plans:plan_create")


def plan(cmg: Any, **kwargs: Any) -> Plan:
    kwargs.setdefault("year", YEAR)
    return make_plan(cmg, **kwargs)


def approved(cmg: Any, direccion: Any, **kwargs: Any) -> Plan:
    return approve(plan(cmg, **kwargs), cmg, direccion)


def approve(p: Plan, cmg: Any, direccion: Any) -> Plan:
    """Submit and approve `p` (once approved, its content changes only by change request)."""
    services.submit_plan_to_committee(p, by=cmg)
    return services.approve_plan(p, resolution="RDE N.° 010-2041", approved_on=datetime.date(2041, 1, 15), by=direccion)


def populate(p: Plan, cmg: Any, activities: int, products: int, prefix: str = "") -> list[Activity]:
    """`activities` activities spread over the three stages (some at UT Cusco), and `products`
    products, every third one shared by two activities."""
    made = []
    for i in range(activities):
        sites = ("UT-CUS", "UT-PUN") if i % 3 == 0 else ("SC",)
        made.append(add_activity(p, f"{prefix}{i % 3 + 1}.{i + 1}", by=cmg, stage=i % 3 + 1, sites=sites))
    for j in range(products):
        linked = [made[j % len(made)]] + ([made[(j + 1) % len(made)]] if j % 3 == 0 else [])
        add_product(p, f"{prefix}Producto {j + 1}", linked, by=cmg)
    return made


def session(by: Any, number: str = "01-2041", when: datetime.datetime | None = None) -> Session:
    when = when or timezone.now()  # a request is reviewed in a session held on or after its proposal
    return committee_services.create_session(
        data={"number": number, "kind": Session.Kind.ORDINARY, "date": when, "place": "Sala de reuniones"}, by=by
    )


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)
