"""The REST API root (/api/v1/). Another door to the same services and access helpers as the
pages. Authentication: `Authorization: Bearer <token>` (./sig token USER) or the browser
session (with CSRF on writes)."""

import functools
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer, django_auth

from accounts.services import user_for_token
from core.limits import INT64_MAX, INT64_MIN
from core.services import ServiceError


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


# The error bodies every operation may answer (config.api's handlers and the input checks).
ERROR_RESPONSES = {
    "400": "A business rule refused the operation; `detail` lists the field and the reason.",
    "401": "Authentication required (Bearer token or session).",
    "403": "Your role does not allow this action here.",
    "404": "Not found, or not visible to you.",
    "422": "The input is not valid: `detail` lists each field (`loc`) and the reason (`msg`).",
}
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {
            "anyOf": [
                {"type": "string"},
                {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
                            "msg": {"type": "string"},
                            "type": {"type": "string"},
                        },
                        "required": ["loc", "msg"],
                    },
                },
            ]
        }
    },
    "required": ["detail"],
}


def _bound_integers(node: Any) -> None:
    """Every integer the API takes or gives fits the 64 bits the databases hold (core.limits):
    the document says so wherever a schema has no tighter bound."""
    if isinstance(node, dict):
        if node.get("type") == "integer":
            node.setdefault("minimum", INT64_MIN)
            node.setdefault("maximum", INT64_MAX)
        for value in node.values():
            _bound_integers(value)
    elif isinstance(node, list):
        for value in node:
            _bound_integers(value)


class SigAPI(NinjaAPI):
    """The API, whose OpenAPI document also describes the error responses of every operation."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        _bound_integers(schema)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, text in ERROR_RESPONSES.items():
                    if status == "401" and not operation.get("security"):
                        continue  # public operations never ask for authentication
                    if int(status) in responses:
                        continue  # the operation documents it itself
                    responses.setdefault(
                        status,
                        {
                            "description": text,
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                        },
                    )
        return schema


def _docs_for_members(view: Any) -> Any:
    """The interactive docs and the OpenAPI document are for people who use the API: a session or
    a Bearer token, unless SIG_PUBLIC_API_DOCS=1 publishes them."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        token_user = user_for_token(header[7:]) if header.startswith("Bearer ") else None
        if settings.SIG_PUBLIC_API_DOCS or request.user.is_authenticated or token_user is not None:
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            return JsonResponse({"detail": "Authentication required (Bearer token or session)."}, status=401)
        return redirect_to_login(request.get_full_path())

    return wrapped


api = SigAPI(
    title="sig API",
    version="1",
    description="Sistema Integrado de Gestión — ISO 9001 · ISO 37001 · ISO/IEC 27001.",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs_decorator=_docs_for_members,
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


@api.exception_handler(OverflowError)
def out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A safety net: numbers are bounded where they come in (core.limits); one that still reaches
    the database too large is the client's input, never a 500."""
    return _error(request, 422, [{"loc": ["body"], "msg": "A number is out of range.", "type": "int_range"}])


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
api.add_router("/", "reports.api.public_router")
api.add_router("/", "plans.api.router")
api.add_router("/", "committee.api.router")
api.add_router("/", "actions.api.router")
api.add_router("/", "nonconformities.api.router")
api.add_router("/", "audits.api.router")
api.add_router("/", "supervisions.api.router")
api.add_router("/", "risks.api.router")
api.add_router("/", "isms.api.router")
api.add_router("/", "whistleblowing.api.router")
api.add_router("/", "integrity.api.router")
