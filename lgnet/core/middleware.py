from django.http import HttpRequest, HttpResponse


class ItalianFirstMiddleware:
    """The UI speaks Italian unless the user chose English with the language switch.

    The browser's Accept-Language is ignored on purpose: shared office computers often run
    an English browser, and the comune's working language is Italian.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: no camera, microphone, location or payment APIs
    for any page (the platform never needs them)."""

    PERMISSIONS_POLICY = (
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
        "interest-cohort=(), browsing-topics=()"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        return response


class RequestLogMiddleware:
    """One log line per request, with ids only: method, path without its query string,
    status, duration, user id and city. Paths carry ids, never names (searches go by POST),
    and query strings are dropped because a filter may hold free text."""

    def __init__(self, get_response):
        import logging

        self.get_response = get_response
        self.logger = logging.getLogger("lgnet.request")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        import time

        started = time.monotonic()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        city = getattr(request, "city", None)
        self.logger.info(
            "%s %s %s %dms user=%s city=%s",
            request.method,
            request.path,
            response.status_code,
            int((time.monotonic() - started) * 1000),
            user.pk if user is not None and user.is_authenticated else "-",
            getattr(city, "slug", "-"),
        )
        return response
