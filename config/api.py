"""The REST API root (/api/v1/). Another door to the same services and access helpers as the
pages. Authentication: `Authorization: Bearer <token>` (./sig token USER) or the browser
session (with CSRF on writes)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer, django_auth

from accounts.services import user_for_token
from core.services import ServiceError


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="sig API",
    version="1",
    description="Sistema Integrado de Gestión — ISO 9001 · ISO 37001 · ISO/IEC 27001.",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


def _error(request: HttpRequest, status: int, detail: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, "Not found.")


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 403, str(exc) or "Your role does not allow this action here.")


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 401, "Authentication required (Bearer token or session).")


@api.exception_handler(ServiceError)
def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return _error(request, 400, [{"loc": ["body", exc.field] if exc.field else ["body"], "msg": exc.message}])


@api.exception_handler(DjangoValidationError)
def model_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        detail = [
            {"loc": ["body", field], "msg": " ".join(str(m) for e in errors for m in e.messages)}
            for field, errors in exc.error_dict.items()
        ]
    else:
        detail = [{"loc": ["body"], "msg": " ".join(exc.messages)}]
    return _error(request, 400, detail)


@api.exception_handler(ValidationError)
def input_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = [{"loc": list(e.get("loc", [])), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in exc.errors]
    return _error(request, 422, detail)


api.add_router("/", "core.api.router")
api.add_router("/", "organization.api.router")
api.add_router("/", "catalog.api.router")
api.add_router("/", "accounts.api.router")
api.add_router("/", "audit.api.router")
api.add_router("/", "documents.api.router")
api.add_router("/", "documents.api.public_router")
api.add_router("/", "plans.api.router")
api.add_router("/", "committee.api.router")
api.add_router("/", "actions.api.router")
