"""What every API router shares: authentication, capability checks, the error format."""

import logging
from functools import wraps
from inspect import iscoroutinefunction
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security.http import HttpBearer
from ninja.utils import check_csrf

from lgnet.core.exceptions import RuleBroken

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


class MembershipAuth(HttpBearer):
    """Bearer token or session; the tenancy middleware has already found the membership."""

    def __call__(self, request: HttpRequest) -> Any:
        membership = getattr(request, "membership", None)
        if membership is None:
            return None
        is_session = getattr(request, "api_token", None) is None
        if is_session and request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, _("CSRF check failed: send the X-CSRFToken header."))
        return membership

    def authenticate(self, request: HttpRequest, token: str) -> Any:  # pragma: no cover
        return None


def _no_default(schema: dict) -> None:
    schema.pop("default", None)


def patch_field(**constraints: Any) -> Any:
    """A PATCH field that may be left out (no change) but not sent as null.

    For columns that cannot be empty: an explicit null answers 400 instead of reaching
    the model, and the published schema does not offer null.
    """
    return Field(None, json_schema_extra=_no_default, **constraints)


class Shaped:
    """A queryset that pagination slices first; each item of the page is then shaped for
    the caller (``shape(request, obj) -> dict``), so a role sees only its own fields."""

    def __init__(self, request, queryset, shape):
        self.request, self.queryset, self.shape = request, queryset, shape

    def __getitem__(self, item):
        return [self.shape(self.request, obj) for obj in self.queryset[item]]

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()


def need(request: HttpRequest, capability: str) -> None:
    """403 unless the caller's membership holds the capability."""
    from lgnet.accounts.roles import ALL_CAPABILITIES

    if capability not in ALL_CAPABILITIES:
        raise KeyError(f"unknown capability {capability!r}")
    membership = getattr(request, "membership", None)
    if membership is None or not membership.can(capability):
        raise PermissionDenied


def _location(loc: list | tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "data")]
    return ".".join(parts) or "body"


def _error(api: NinjaAPI, request, status: int, detail: str, errors=None) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    """Every 4xx answers {"detail": "...", "errors": [{"field", "message"}]}."""

    @api.exception_handler(ValidationError)
    def on_validation(request, exc: ValidationError):
        errors = [
            {"field": _location(e.get("loc", ())), "message": str(e.get("msg", ""))}
            for e in exc.errors
        ]
        return _error(api, request, 400, _("The request is not valid."), errors)

    @api.exception_handler(DjangoValidationError)
    def on_django_validation(request, exc: DjangoValidationError):
        if hasattr(exc, "error_dict"):
            errors = [
                {"field": field if field != "__all__" else "", "message": str(message)}
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
        else:
            errors = [{"field": "", "message": str(m)} for m in exc.messages]
        return _error(api, request, 400, _("The request is not valid."), errors)

    @api.exception_handler(RuleBroken)
    def on_rule(request, exc: RuleBroken):
        errors = [{"field": exc.field, "message": str(exc.message)}] if exc.field else []
        return _error(api, request, exc.status, str(exc.message), errors)

    @api.exception_handler(AuthenticationError)
    def on_auth(request, exc):
        return _error(api, request, 401, _("Authentication required: a bearer token or a session."))

    @api.exception_handler(PermissionDenied)
    def on_denied(request, exc):
        return _error(api, request, 403, _("Your role does not allow this."))

    @api.exception_handler(Http404)
    def on_missing(request, exc):
        return _error(api, request, 404, _("Not found."))

    @api.exception_handler(DataError)
    def on_data(request, exc: DataError):
        # Values PostgreSQL cannot store (NUL characters, out-of-range numbers).
        return _error(
            api,
            request,
            400,
            _("A value cannot be stored: check the characters and the size of the numbers."),
        )

    @api.exception_handler(MultiPartParserError)
    def on_unreadable_body(request, exc: MultiPartParserError):
        # e.g. Content-Type: multipart/form-data without a boundary, read by request.POST
        return _error(
            api, request, 400, _("The request body cannot be read: check its Content-Type.")
        )

    @api.exception_handler(SuspiciousOperation)
    def on_suspicious(request, exc: SuspiciousOperation):
        # Django's own handler would log these and answer 400; ninja would answer 500.
        logging.getLogger(f"django.security.{exc.__class__.__name__}").error(str(exc))
        if isinstance(exc, RequestDataTooBig):
            return _error(api, request, 413, _("The request is too large."))
        return _error(api, request, 400, _("The request is not valid."))

    @api.exception_handler(IntegrityError)
    def on_integrity(request, exc: IntegrityError):
        # A uniqueness or reference rule the services did not check first.
        return _error(api, request, 409, _("This conflicts with a record that exists already."))

    @api.exception_handler(HttpError)
    def on_http(request, exc: HttpError):
        return _error(api, request, exc.status_code, str(exc))

    _json_method_not_allowed(api)


def _json_method_not_allowed(api: NinjaAPI) -> None:
    """ninja answers a wrong method with a plain-text 405 and offers no handler for it:
    wrap the API's URL views so that answer has the error format too."""
    build_urls = getattr(api, "_get_urls", None)
    if build_urls is None:  # pragma: no cover - a ninja without this hook keeps its 405
        return

    def wrap(view):
        if iscoroutinefunction(view) or getattr(view, "_lgnet_json_405", False):
            return view

        @wraps(view)
        def json_405(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if response.status_code != 405 or response.get("Content-Type", "").startswith(
                "application/json"
            ):
                return response
            allowed = ", ".join(sorted(m.strip() for m in response.get("Allow", "").split(",")))
            answer = _error(
                api, request, 405, _("Method not allowed: use %(methods)s.") % {"methods": allowed}
            )
            answer["Allow"] = allowed
            return answer

        json_405._lgnet_json_405 = True
        return json_405

    def get_urls():
        patterns = build_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = wrap(pattern.callback)
        return patterns

    api._get_urls = get_urls
