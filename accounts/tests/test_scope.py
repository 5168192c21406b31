import datetime

import pytest

from accounts.models import RoleAssignment
from core.access import get_scope
from organization.models import Site


@pytest.mark.django_db
def test_a_central_role_sees_all_sites(cmg):
    scope = get_scope(cmg)
    assert scope.all_sites and scope.can_write


@pytest.mark.django_db
def test_a_ut_role_is_confined_to_its_ut(ut_cusco):
    scope = get_scope(ut_cusco)
    cusco = Site.objects.get(code="UT-CUS")
    puno = Site.objects.get(code="UT-PUN")
    assert not scope.all_sites
    assert scope.can_see_site(cusco.pk) and not scope.can_see_site(puno.pk)
    assert scope.can_write_site(cusco.pk) and not scope.can_write_site(puno.pk)


@pytest.mark.django_db
def test_a_reader_sees_all_but_writes_nothing(lector):
    scope = get_scope(lector)
    assert scope.all_sites and not scope.can_write


@pytest.mark.django_db
def test_expired_and_future_roles_do_not_count(lector):
    RoleAssignment.objects.filter(user=lector).update(valid_until=datetime.date(2020, 12, 31))
    RoleAssignment.objects.create(
        user=lector, role="auditor", site=Site.objects.get(code="SC"), valid_from=datetime.date(2099, 1, 1)
    )
    assert get_scope(lector).roles == frozenset()
