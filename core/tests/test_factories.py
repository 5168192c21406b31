"""The shared factories give a person whose role counts where it is held: a UT head built by a
factory sees their own UT's records and not another's, like the demo's personas."""

from __future__ import annotations

import pytest

from accounts.roles import Role
from core.access import get_scope
from core.tests.factories import PersonFactory, SiteFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_a_factory_person_holds_their_role_at_their_site_only():
    ut = SiteFactory()
    other = SiteFactory()
    head = PersonFactory(role=Role.UNIT_HEAD, role__site=ut)
    scope = get_scope(head)
    assert scope.can_see_site(ut.pk) and not scope.can_see_site(other.pk) and not scope.all_sites
    assert UnitFactory(site=ut).site == ut


def test_a_factory_person_with_a_central_role_sees_every_site():
    coordinator = PersonFactory(role=Role.SIG_COORDINATOR)
    assert get_scope(coordinator).all_sites
