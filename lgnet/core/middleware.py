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
