"""Form helpers shared by every area's views."""

from django import forms

from core.services import ServiceError


def add_service_error(form: forms.Form, exc: ServiceError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's refusal on the form: on the field it names (after renaming it through
    `aliases` when the form calls it differently), else as a form-wide error."""
    field = (aliases or {}).get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, exc.message)
