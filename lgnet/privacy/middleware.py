from django.http import HttpRequest, HttpResponse


class RestrictionMiddleware:
    """Tells the registry who is looking, so a restricted file (art. 18) opens only for the
    city coordinator and drops out of everyone else's lists. Runs after the tenancy
    middleware, which found the membership."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from lgnet.people.selectors import viewing_as

        membership = getattr(request, "membership", None)
        if membership is None:
            return self.get_response(request)
        with viewing_as(membership):
            return self.get_response(request)
