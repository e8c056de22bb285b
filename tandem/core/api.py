"""Shared pieces of the JSON API: error bodies and their handlers, pagination, local times.
The API's authentication by personal tokens is in `tandem.accounts.api_auth`."""

import datetime
from http import HTTPStatus
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.pagination import LimitOffsetPagination
from pydantic import WithJsonSchema

# A wall-clock time without a time zone offset. OpenAPI's `format: time` (RFC 3339) demands an
# offset, which a local meeting time does not have: document the form it really takes.
LocalTime = Annotated[
    datetime.time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
            "description": "Local time, HH:MM or HH:MM:SS, without a time zone offset.",
            "example": "15:00",
        }
    ),
]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}

# What any operation may answer besides its own responses, all with an ErrorOut body: bad input
# (400), no or a wrong credential (401), not allowed (403), not found (404), a body that does
# not fit the schema (422); an operation with a body also a body over the size limit (413).
DEFAULT_ERRORS = (400, 401, 403, 404, 422)
BODY_ERRORS = (413,)


class TandemAPI(NinjaAPI):
    """The API object: its OpenAPI document lists, for every operation, every status the
    shared error handlers can answer, so that clients and the fuzz test know them all."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for item in schema["paths"].values():
            for operation in item.values():
                codes = DEFAULT_ERRORS + (BODY_ERRORS if "requestBody" in operation else ())
                responses = operation.setdefault("responses", {})
                for code in codes:
                    responses.setdefault(
                        code, {"description": HTTPStatus(code).phrase, "content": error}
                    )
        return schema


def validation_error_body(exc: ValidationError) -> dict[str, Any]:
    if hasattr(exc, "error_dict"):
        errors = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
    else:
        errors = {"__all__": [str(m) for m in exc.messages]}
    first = next(iter(errors.values()))[0] if errors else _("Invalid input.")
    return {"detail": first, "errors": errors}


def too_big_or_bad_request(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A request Django refuses to parse: a body over its size limit (413) or with too many
    fields or files, or otherwise malformed (400)."""
    if isinstance(exc, RequestDataTooBig):
        limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        detail = _("The request body is too large: at most %(size)s.") % {"size": limit}
        return JsonResponse({"detail": detail, "errors": {}}, status=413)
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        detail = _("The request has too many fields or files.")
    else:
        detail = _("The request is malformed.")
    return JsonResponse({"detail": detail, "errors": {}}, status=400)


@csrf_exempt  # nothing to protect, and a CSRF refusal would be an HTML 403
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any /api/ path that names no operation (also an id that is not a number): a JSON 404."""
    return JsonResponse({"detail": _("Not found."), "errors": {}}, status=404)


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(request, validation_error_body(exc), status=400)

    @api.exception_handler(NinjaValidationError)
    def on_schema_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            loc = [str(part) for part in error.get("loc", []) if part not in ("body", "payload")]
            errors.setdefault(".".join(loc) or "__all__", []).append(str(error.get("msg", "")))
        detail = _("Invalid input.")
        return api.create_response(request, {"detail": detail, "errors": errors}, status=422)

    @api.exception_handler(PermissionDenied)
    def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        detail = str(exc) or _("You do not have permission to do this.")
        return api.create_response(request, {"detail": detail, "errors": {}}, status=403)

    @api.exception_handler(OverflowError)
    def on_overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
        # An id too large for the database cannot name any row.
        return api.create_response(request, {"detail": _("Not found."), "errors": {}}, status=404)

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": _("Not found."), "errors": {}}, status=404)

    @api.exception_handler(MultiPartParserError)
    def on_unreadable_form(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        detail = _(
            "The request body cannot be read as multipart/form-data (is the boundary "
            "missing?). Send JSON with Content-Type: application/json."
        )
        return api.create_response(request, {"detail": detail, "errors": {}}, status=400)

    @api.exception_handler(UnreadablePostError)
    def on_broken_body(request: HttpRequest, exc: UnreadablePostError) -> HttpResponse:
        detail = _("The request body could not be read completely; send it again.")
        return api.create_response(request, {"detail": detail, "errors": {}}, status=400)

    @api.exception_handler(SuspiciousOperation)
    def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return too_big_or_bad_request(request, exc)

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        detail = _("Authentication required: sign in or send a personal API token.")
        return api.create_response(request, {"detail": detail, "errors": {}}, status=401)


class Pagination(LimitOffsetPagination):
    """limit/offset pagination with bounds the databases accept (at most 200 rows a page)."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=200)
        offset: int = Field(0, ge=0, le=2_000_000_000)
