"""core.http.pk_url gives what reverse() gives, for the routes it serves (issue 10)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.http import pk_url


@pytest.mark.parametrize("name", ["actions:item_detail", "actions:item_status", "nonconformities:nc_detail"])
@pytest.mark.parametrize("pk", [1, 9, 10, 987654321, 12345678901])
def test_the_url_is_the_reversed_one(name: str, pk: int) -> None:
    assert pk_url(name)(pk) == reverse(name, args=[pk])
