"""Who is asking, in which city: sessions, second factor and the tenancy scope."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django_scopes import scope

from lgnet.accounts import selectors

API_PREFIX = "/api/"
SESSION_AUTH_AT = "lgnet_auth_at"
SESSION_MEMBERSHIP = "lgnet_membership"


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


class SessionLifetimeMiddleware:
    """Idle expiry comes from SESSION_COOKIE_AGE; this adds the absolute limit (8 hours)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(SESSION_AUTH_AT)
            now = time.time()
            if started is None:
                request.session[SESSION_AUTH_AT] = now
            elif now - started > settings.LGNET_SESSION_ABSOLUTE_SECONDS:
                logout(request)
                if _is_api(request):
                    return JsonResponse(
                        {"detail": _("Your session has expired."), "errors": []}, status=401
                    )
                messages.info(request, _("Your session has expired: please sign in again."))
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every page needs a signed-in user unless marked login_not_required.

    The API answers 401 itself, so it is left to the API's authentication.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if _is_api(request):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


def second_factor_exempt(view):
    view.second_factor_exempt = True
    return view


class SecondFactorMiddleware:
    """Outside demo mode, a signed-in user must pass the TOTP step before any page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if settings.LGNET_DEMO or _is_api(request) or not request.user.is_authenticated:
            return None
        if request.user.is_verified() or getattr(view_func, "second_factor_exempt", False):
            return None
        if not getattr(view_func, "login_required", True):
            return None
        return redirect("accounts:otp")


def _api_error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "errors": []}, status=status)


def _session_membership_ended(request: HttpRequest) -> bool:
    """The session was working under a membership that has since been ended (a coordinator
    disabled the user). Only asked when the usual lookup found nothing, so a working
    session pays no extra query."""
    active_id = request.session.get(SESSION_MEMBERSHIP)
    return active_id is not None and selectors.membership_by_id(request.user, active_id) is None


def _end_session(request: HttpRequest) -> HttpResponse:
    """A disabled user stops at once: the session ends on its very next request."""
    logout(request)
    if _is_api(request):
        return _api_error(401, _("Your access has ended."))
    messages.info(request, _("Your access has ended: ask your city coordinator."))
    return redirect(settings.LOGIN_URL)


class CityScopeMiddleware:
    """Sets request.membership and request.city and runs the view inside the city's scope.

    Pages under /c/<city_slug>/ need a membership in that city (404 otherwise). The API
    takes the membership from the bearer token, or from the session and the X-City header.
    Outside a city (network pages, the profile) the scope is empty: a city-owned query
    there returns nothing unless the code says why it may look further.

    A session whose membership was ended since it began is signed out on its next request
    (pages: to the login page; API: 401); a bearer token of that membership was revoked.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None
        request.city = None
        request.api_token = None
        if _is_api(request):
            return self._api(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self._run(request)
        city_slug = match.kwargs.get("city_slug")
        if city_slug is None or not request.user.is_authenticated:
            if request.user.is_authenticated and request.path_info.startswith("/rete/"):
                request.membership = selectors.network_membership_of(request.user)
            if request.user.is_authenticated and request.membership is None:
                active_id = request.session.get(SESSION_MEMBERSHIP)
                request.membership = selectors.membership_by_id(request.user, active_id)
                if request.membership is None and active_id is not None:
                    return _end_session(request)
                request.membership = (
                    request.membership
                    or selectors.network_membership_of(request.user)
                    or selectors.memberships_of(request.user).first()
                )
            return self._run(request)
        membership = selectors.membership_for_city(request.user, city_slug)
        if membership is None:
            if _session_membership_ended(request):
                return _end_session(request)
            raise Http404
        request.session[SESSION_MEMBERSHIP] = membership.pk
        return self._run(request, membership)

    def _run(self, request: HttpRequest, membership=None) -> HttpResponse:
        if membership is not None:
            request.membership = membership
            request.city = membership.city
        city = request.city
        with scope(city=city if city is not None else []):
            return self.get_response(request)

    def _api(self, request: HttpRequest) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        wanted_city = request.headers.get("X-City", "").strip()
        membership = None
        if header:
            kind, _sep, secret = header.partition(" ")
            if kind.lower() != "bearer" or not secret.strip():
                return _api_error(401, _("Use Authorization: Bearer <token>."))
            found = selectors.membership_for_token(secret.strip())
            if found is None:
                return _api_error(401, _("The token is not valid, expired or revoked."))
            membership, request.api_token = found
            request.user = membership.user
            if wanted_city and (membership.city is None or membership.city.slug != wanted_city):
                return _api_error(404, _("No membership in that city for this token."))
        elif request.user.is_authenticated and (settings.LGNET_DEMO or request.user.is_verified()):
            if wanted_city:
                membership = selectors.membership_for_city(request.user, wanted_city)
                if membership is None:
                    return _api_error(404, _("You have no membership in that city."))
            else:
                memberships = list(selectors.memberships_of(request.user))
                active_id = request.session.get(SESSION_MEMBERSHIP)
                chosen = [m for m in memberships if m.pk == active_id]
                if active_id is not None and not chosen:
                    return _end_session(request)
                if chosen:
                    membership = chosen[0]
                elif len(memberships) == 1:
                    membership = memberships[0]
                elif memberships:
                    return _api_error(
                        400, _("You belong to several cities: name one with the X-City header.")
                    )
        return self._run(request, membership)
