"""core.rows.url_pattern gives what reverse() gives, for the routes the row writers use (issue 10)."""

from __future__ import annotations

import pytest
from django.urls import reverse, set_script_prefix

from core.rows import url_pattern


@pytest.mark.parametrize(
    "name", ["actions:item_detail", "actions:item_status", "nonconformities:nc_detail", "documents:document_detail"]
)
@pytest.mark.parametrize("pk", [1, 9, 10, 987654321, 12345678901])
def test_the_url_is_the_reversed_one(name: str, pk: int) -> None:
    assert url_pattern(name).format(pk) == reverse(name, args=[pk])


def test_braces_in_the_script_prefix_are_kept() -> None:
    set_script_prefix("/sig{x}/")
    try:
        assert url_pattern("actions:item_detail").format(7) == reverse("actions:item_detail", args=[7])
    finally:
        set_script_prefix("/")
