"""Shared test set-up: the demo organisation is loaded once per test database, and the
personas below stand for the permission matrix (STYLE.md §18)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)
    yield


@pytest.fixture(scope="session", autouse=True)
def _flush_lifts_the_audit_guard() -> Iterator[None]:
    """Transactional tests (browser journeys) empty the database with `flush` afterwards; the
    audit table refuses DELETE and TRUNCATE (audit.guard), so the flush lifts its triggers."""
    from django.core.management.commands import flush

    from audit.guard import unguarded

    original = flush.Command.handle

    def handle(self: Any, **options: Any) -> Any:
        with unguarded(options.get("database") or "default"):
            return original(self, **options)

    flush.Command.handle = handle  # type: ignore[method-assign]
    yield
    flush.Command.handle = original  # type: ignore[method-assign]


def _user(username: str) -> Any:
    from accounts.models import User

    return User.objects.get(username=username)


@pytest.fixture
def platform_admin(db: Any) -> Any:
    return _user("admin")


@pytest.fixture
def direccion(db: Any) -> Any:
    return _user("direccion")


@pytest.fixture
def uppm(db: Any) -> Any:
    return _user("uppm")


@pytest.fixture
def cmg(db: Any) -> Any:
    """Central SIG coordinator: sees everything, edits reference data."""
    return _user("cmg")


@pytest.fixture
def tecnico(db: Any) -> Any:
    return _user("tecnico")


@pytest.fixture
def auditor(db: Any) -> Any:
    return _user("auditor")


@pytest.fixture
def integridad(db: Any) -> Any:
    return _user("integridad")


@pytest.fixture
def oficial_si(db: Any) -> Any:
    return _user("oficial.si")


@pytest.fixture
def ut_cusco(db: Any) -> Any:
    """Head of UT Cusco: sees and edits only Cusco's records."""
    return _user("ut.cusco")


@pytest.fixture
def ut_puno(db: Any) -> Any:
    """Head of another UT (Puno): Cusco's records are invisible to them (404)."""
    return _user("ut.puno")


@pytest.fixture
def lector(db: Any) -> Any:
    """Central reader: sees everything, writes nothing (403)."""
    return _user("lector")


@pytest.fixture
def no_role_user(db: Any) -> Any:
    """An active account without any role assignment: sees nothing (404)."""
    from accounts.models import User

    return User.objects.create(username="sin.rol", first_name="Sin", last_name="Rol")


@pytest.fixture
def client_as() -> Callable[[Any], Client]:
    """client_as(user) → a test client logged in as `user` (None → anonymous)."""

    def make(user: Any) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _every_response_is_checked(monkeypatch: Any) -> None:
    """Every API response a test receives is validated against the OpenAPI document, and every
    HTML page is checked for what the CSP would block (core.testing.check_every_response)."""
    from core.testing import check_every_response

    check_every_response(monkeypatch)


def _stand_in_pdf(html: str) -> bytes:
    """A small, valid one-page PDF that differs whenever the HTML differs: what tests that are
    not about PDFs get instead of WeasyPrint's seconds of layout."""
    import hashlib
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Subject": hashlib.sha256(html.encode()).hexdigest()})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class _StandInDocument:
    def __init__(self, html: str) -> None:
        self.html = html
        self.pages: list[Any] = []

    def write_pdf(self, *args: Any, **kwargs: Any) -> bytes:
        return _stand_in_pdf(self.html)


@pytest.fixture(autouse=True)
def _pdf_only_where_tested(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint runs only in tests marked `pdf` (those that read, measure or look at a PDF);
    elsewhere reports.pdf lays out a stand-in, so publishing a document or closing an acta
    costs milliseconds. Everything else about the PDF (hashes, storage, verification) is real."""
    if request.node.get_closest_marker("pdf") is not None:
        return
    from reports import pdf

    monkeypatch.setattr(pdf, "html_document", _StandInDocument)
