"""Test factories (factory_boy) for the records every area's tests need: a site, a unit, a
person holding a role at a site. Tests that need three rows build them here instead of
leaning on the whole demo; the demo stays loaded once per test database for the journeys and
the personas of conftest.py.

    head = PersonFactory(role=Role.UNIT_HEAD, site=SiteFactory())
"""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone

from accounts.models import RoleAssignment, User
from accounts.roles import Role


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "organization.Site"
        django_get_or_create = ("code",)

    entity = factory.LazyFunction(lambda: _entity())
    code = factory.Sequence(lambda n: f"UT-T{n:03d}")
    name = factory.Sequence(lambda n: f"Unidad Territorial de prueba {n}")
    kind = "territorial"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "organization.OrgUnit"
        django_get_or_create = ("code",)

    entity = factory.LazyFunction(lambda: _entity())
    code = factory.Sequence(lambda n: f"U-T{n:03d}")
    name = factory.Sequence(lambda n: f"Unidad de prueba {n}")
    kind = "territorial"
    site = factory.SubFactory(SiteFactory)


class PersonFactory(factory.django.DjangoModelFactory):
    """A person; with `role` (and `site`, default the Sede Central) they hold it from today."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"persona{n}")
    first_name = "Persona"
    last_name = factory.Sequence(lambda n: f"De Prueba {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.gob.pe")

    @factory.post_generation
    def role(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create or not extracted:
            return
        site = kwargs.get("site") or _central()
        obj.site = obj.site or site
        obj.save(update_fields=["site"])
        RoleAssignment.objects.create(
            user=obj,
            role=Role(extracted),
            site=site,
            valid_from=timezone.localdate() - datetime.timedelta(days=1),
        )


def _entity() -> Any:
    from organization.models import Entity

    return Entity.objects.first()


def _central() -> Any:
    from organization.models import Site

    return Site.objects.get(is_central=True)
