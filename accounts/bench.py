"""Benchmark data and scenarios for people and roles (harness: bench/__init__.py)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.urls import reverse

from accounts.access import people_visible_to
from accounts.models import RoleAssignment, User
from accounts.roles import Role
from accounts.selectors import list_columns
from bench import sql
from bench.context import GenContext, RunContext
from bench.registry import Scenario, Statement

ORDER = 30
GENERATOR_VERSION = 1
PAGE = 50  # accounts.views.PAGE_SIZE

FIRST_NAMES = [
    "María",
    "José",
    "Rosa",
    "Juan",
    "Carmen",
    "Luis",
    "Ana",
    "Carlos",
    "Elena",
    "Jorge",
    "Lucía",
    "Miguel",
    "Sofía",
    "Víctor",
    "Julia",
    "Raúl",
    "Teresa",
    "Andrés",
    "Patricia",
    "Walter",
]
LAST_NAMES = [
    "Quispe",
    "Mamani",
    "Huamán",
    "Flores",
    "Condori",
    "Rojas",
    "Torres",
    "Vargas",
    "Chávez",
    "Ramos",
    "Mendoza",
    "Castillo",
    "Apaza",
    "Ccama",
    "Paredes",
    "Salazar",
    "Gutiérrez",
    "Ríos",
    "Vega",
    "Soto",
]
CENTRAL_ROLES = [Role.READER] * 6 + [Role.TECH_COORDINATOR, Role.AUDITOR, Role.COMMITTEE]
UT_ROLES = [Role.READER] * 4 + [Role.TECH_COORDINATOR]


def generate(ctx: GenContext) -> None:
    """`people_per_site` accounts per site, each holding a role there; some deactivated, some
    with an expired or revoked earlier role (history the active-role filters must skip)."""
    rng = ctx.rng
    unusable = make_password(None)
    people: list[User] = []
    for site in ctx.sites:
        units = ctx.units_by_site.get(site.pk, [])
        code = site.code.lower()
        for i in range(1, ctx.size.people_per_site + 1):
            active = rng.random() > 0.05
            people.append(
                User(
                    username=f"bench.{code}.{i:04d}",
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=f"{rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}",
                    email=f"bench.{code}.{i:04d}@juntos.example",
                    position="Especialista",
                    password=unusable,
                    site=site,
                    unit_id=rng.choice(units) if units else None,
                    is_active=active,
                    deactivated_at=None if active else ctx.now,
                    date_joined=ctx.start,
                )
            )
    User.objects.bulk_create(people, batch_size=1000)
    ctx.add("people", len(people))
    by_username = dict(User.objects.filter(username__startswith="bench.").values_list("username", "pk"))
    first_day = ctx.start.date()
    assignments: list[RoleAssignment] = []
    for person in people:
        home = person.site
        assert home is not None
        user_id = by_username[person.username]
        ctx.people_by_site.setdefault(home.pk, []).append(user_id)
        since = first_day + datetime.timedelta(days=rng.randrange(365))
        role = rng.choice(CENTRAL_ROLES if home.is_central else UT_ROLES)
        if person.username.endswith(".0001") and not home.is_central:
            role = Role.UNIT_HEAD
        assignments.append(
            RoleAssignment(user_id=user_id, role=role, site=home, unit_id=person.unit_id, valid_from=since)
        )
        if rng.random() < 0.2:  # an earlier role that ended (expired or revoked)
            old = RoleAssignment(
                user_id=user_id,
                role=Role.READER,
                site=home,
                unit_id=person.unit_id,
                valid_from=first_day,
                valid_until=since - datetime.timedelta(days=1),
            )
            if rng.random() < 0.5:
                old.revoked_at = ctx.start
            assignments.append(old)
    RoleAssignment.objects.bulk_create(assignments, batch_size=1000)
    ctx.add("role assignments", len(assignments))
    by_site: dict[int, list[int]] = {}
    for pk, site_id in RoleAssignment.objects.values_list("pk", "site_id"):
        by_site.setdefault(site_id, []).append(pk)
    ctx.shared["assignments_by_site"] = by_site


def _people_sql(username: str, page: bool = False) -> Callable[[RunContext], list[Statement]]:
    def statements(ctx: RunContext) -> list[Statement]:
        """accounts.views.person_list (page=True: only the columns its rows show) or the API list:
        count, first page, and the page's active roles."""
        qs = people_visible_to(ctx.user(username)).filter(is_active=True).order_by("last_name", "first_name", "pk")
        roles = RoleAssignment.objects.active().select_related("site")
        if page:
            qs = list_columns(qs)
            roles = roles.only("user", "role", "site__name", "site__is_central")
        roles = roles.filter(user_id__in=sql.page_ids(qs, PAGE))
        return [sql.capped_count(qs), sql.select(qs, PAGE), sql.select(roles)]

    return statements


def _person_list(ctx: RunContext) -> str:
    return reverse("accounts:person_list")


SCENARIOS = [
    Scenario("people.list", _person_list, "cmg", sql=_people_sql("cmg", page=True), note="central: every site"),
    Scenario(
        "people.list.ut", _person_list, "ut.cusco", sql=_people_sql("ut.cusco", page=True), note="UT head: own UT only"
    ),
    Scenario("api.people", "/api/v1/people", "cmg", auth="token", sql=_people_sql("cmg")),
    Scenario("api.people.ut", "/api/v1/people", "ut.cusco", auth="token", sql=_people_sql("ut.cusco")),
]
