"""Sign in (password, then the one-time code or a recovery code), profile, tokens,
sessions, recovery codes, city switcher, city users."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from lgnet.accounts import selectors, services
from lgnet.accounts.forms import LoginForm, MemberForm, OtpForm, RecoveryCodeForm, TokenForm
from lgnet.accounts.middleware import SESSION_AUTH_AT, SESSION_MEMBERSHIP, second_factor_exempt
from lgnet.accounts.permissions import requires
from lgnet.core.exceptions import RuleBroken
from lgnet.core.forms import parse_id
from lgnet.network import selectors as network_selectors


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = False

    def get_success_url(self) -> str:
        if settings.LGNET_DEMO:
            return super().get_success_url()
        url = reverse("accounts:otp")
        next_url = self.get_redirect_url()
        return f"{url}?{urlencode({'next': next_url})}" if next_url else url


login_view = login_not_required(LoginView.as_view())
logout_view = auth_views.LogoutView.as_view()
logout_view = second_factor_exempt(logout_view)


def _safe_next(request: HttpRequest) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return next_url
    return reverse("home")


@second_factor_exempt
def otp(request: HttpRequest) -> HttpResponse:
    """The second step: enter the code (or a recovery code), or enrol an authenticator the
    first time; a new authenticator is followed by the offer of recovery codes."""
    if settings.LGNET_DEMO or request.user.is_verified():
        return redirect(_safe_next(request))
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    device = confirmed or TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="default", confirmed=False)
    using_recovery = request.method == "POST" and "recovery_code" in request.POST
    form = OtpForm(request.POST if request.method == "POST" and not using_recovery else None)
    recovery_form = RecoveryCodeForm(request.POST if using_recovery else None)
    if using_recovery and recovery_form.is_valid():
        check = services.use_recovery_code(
            user=request.user, code=recovery_form.cleaned_data["recovery_code"]
        )
        if check.device is not None:
            otp_login(request, check.device)
            messages.warning(
                request,
                ngettext(
                    "You signed in with a recovery code: %(left)d code is left.",
                    "You signed in with a recovery code: %(left)d codes are left.",
                    check.left,
                )
                % {"left": check.left},
            )
            return redirect(_safe_next(request))
        recovery_form.add_error("recovery_code", _refusal(check))
    elif request.method == "POST" and not using_recovery and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error("otp_token", _refusal(services.CodeCheck(throttled=True)))
        elif device.verify_token(form.cleaned_data["otp_token"]):
            enrolled = not device.confirmed
            if enrolled:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            if enrolled:
                url = reverse("accounts:recovery_codes")
                return redirect(f"{url}?{urlencode({'next': _safe_next(request)})}")
            return redirect(_safe_next(request))
        else:
            form.add_error("otp_token", _("The code is not valid. Check your device's clock."))
    qr_svg = ""
    if not device.confirmed:
        qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("QR code"))
    return render(
        request,
        "accounts/otp.html",
        {
            "form": form,
            "recovery_form": recovery_form,
            "offer_recovery": device.confirmed and selectors.recovery_codes_left(request.user) > 0,
            "recovery_open": using_recovery,
            "enrolling": not device.confirmed,
            "qr_svg": qr_svg,
            "secret": _base32(device) if not device.confirmed else "",
            "next": _safe_next(request),
        },
    )


def _refusal(check: services.CodeCheck) -> str:
    if check.throttled:
        return _("Too many wrong codes: wait a minute, then try again.")
    return _("This recovery code is not valid or was already used.")


def _base32(device: TOTPDevice) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode().rstrip("=")


def _record_current_session(request: HttpRequest):
    started = request.session.get(SESSION_AUTH_AT)
    return services.record_session(
        user=request.user,
        session_key=request.session.session_key,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        started_at=datetime.fromtimestamp(started, tz=UTC) if started else None,
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        """A new password ends every other session of the user (Django already refuses
        them; deleting them keeps the profile's list true), and this one goes on."""
        response = super().form_valid(form)  # this session now has a new key
        user = self.request.user
        current = _record_current_session(self.request)
        others = selectors.sessions_of(user).exclude(pk=getattr(current, "pk", None))
        services.end_sessions(user=user, sessions=others, actor=user)
        return response


password_change = PasswordChangeView.as_view()


def profile(request: HttpRequest) -> HttpResponse:
    """Your memberships, your API tokens (list, create, revoke), your signed-in sessions
    (list, end) and your recovery codes."""
    new_secret = request.session.pop("lgnet_new_token", None)
    sessions = list(selectors.sessions_of(request.user))
    current_key = request.session.session_key
    if current_key and not any(s.session_id == current_key for s in sessions):
        # A session begun before sessions were recorded: list it from now on.
        _record_current_session(request)
        sessions = list(selectors.sessions_of(request.user))
    for item in sessions:
        item.is_current = item.session_id == current_key
    return render(
        request,
        "accounts/profile.html",
        {
            "tokens": selectors.tokens_of(request.user),
            "token_form": TokenForm(),
            "new_secret": new_secret,
            "sessions": sessions,
            "has_other_sessions": any(not s.is_current for s in sessions),
            "recovery_codes_left": (
                None if settings.LGNET_DEMO else selectors.recovery_codes_left(request.user)
            ),
        },
    )


@never_cache
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Recovery codes: how many are left; a new set (POST) replaces the old one and is
    shown in this answer only (never stored in the session or a page cache)."""
    if settings.LGNET_DEMO:
        messages.info(request, _("Demo mode has no second factor, so no recovery codes."))
        return redirect("accounts:profile")
    codes = None
    if request.method == "POST":
        codes = services.generate_recovery_codes(user=request.user)
    # Arriving from the enrolment of an authenticator, with the page the user was going to.
    after_enrolment = bool(request.GET.get("next") or request.POST.get("next"))
    return render(
        request,
        "accounts/recovery_codes.html",
        {
            "codes": [f"{code[:4]}-{code[4:]}" for code in codes or []],
            "left": selectors.recovery_codes_left(request.user),
            "after_enrolment": after_enrolment,
            "next": _safe_next(request) if after_enrolment else reverse("accounts:profile"),
        },
    )


@require_POST
def session_end(request: HttpRequest) -> HttpResponse:
    """End one of your other sessions: that browser is signed out at its next request."""
    session_id = parse_id(request.POST.get("session"))
    if session_id is None:
        messages.error(request, _("Choose one of your sessions."))
        return redirect("accounts:profile")
    found = get_object_or_404(selectors.sessions_of(request.user), pk=session_id)
    if found.session_id == request.session.session_key:
        messages.error(request, _("To end this session, sign out."))
        return redirect("accounts:profile")
    services.end_sessions(user=request.user, sessions=[found], actor=request.user)
    messages.success(request, _("The session was ended."))
    return redirect("accounts:profile")


@require_POST
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    """End every session of yours but this one."""
    others = selectors.sessions_of(request.user).exclude(session_id=request.session.session_key)
    count = services.end_sessions(user=request.user, sessions=others, actor=request.user)
    messages.success(
        request,
        ngettext("%(count)d session was ended.", "%(count)d sessions were ended.", count)
        % {"count": count},
    )
    return redirect("accounts:profile")


@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    membership = selectors.membership_by_id(request.user, parse_id(request.POST.get("membership")))
    form = TokenForm(request.POST)
    if membership is None or not form.is_valid():
        messages.error(request, _("Choose one of your memberships."))
        return redirect("accounts:profile")
    secret, _token = services.issue_token(
        membership=membership, name=form.cleaned_data["name"], actor=request.user
    )
    # Shown once on the next page, never stored in clear.
    request.session["lgnet_new_token"] = secret
    return redirect("accounts:profile")


@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(selectors.tokens_of(request.user), pk=token_id)
    services.revoke_token(token=token, actor=request.user)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:profile")


@require_POST
def switch(request: HttpRequest) -> HttpResponse:
    """The city switcher: make another of your memberships the active one."""
    membership = selectors.membership_by_id(request.user, parse_id(request.POST.get("membership")))
    if membership is None:
        messages.error(request, _("Choose one of your memberships."))
        return redirect("home")
    request.session[SESSION_MEMBERSHIP] = membership.pk
    if membership.city is None:
        return redirect("network:home")
    return redirect("network:city_home", city_slug=membership.city.slug)


def home(request: HttpRequest) -> HttpResponse:
    """Send each user to the home of their active membership."""
    membership = (
        selectors.membership_by_id(request.user, request.session.get(SESSION_MEMBERSHIP))
        or selectors.memberships_of(request.user).first()
    )
    if membership is None:
        return render(request, "accounts/no_membership.html", status=403)
    if membership.city is None:
        return redirect("network:home")
    return redirect("network:city_home", city_slug=membership.city.slug)


@requires("city.manage")
def member_list(request: HttpRequest, city_slug: str) -> HttpResponse:
    organisations = network_selectors.list_organisations(request.city)
    form = MemberForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            is_new = not selectors.user_exists(data["username"])
            # A new user gets a one-time password, shown once to the coordinator, to be
            # given in person; the user changes it at the first sign-in (profile page).
            password = secrets.token_urlsafe(12) if is_new else None
            services.add_member(
                actor=request.user,
                city=request.city,
                username=data["username"],
                role=data["role"],
                organisation=data["organisation"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                password=password,
            )
            if password:
                request.session["lgnet_new_password"] = [data["username"], password]
            messages.success(request, _("The user was added."))
            return redirect("accounts:member_list", city_slug=city_slug)
        except RuleBroken as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    return render(
        request,
        "accounts/member_list.html",
        {
            "memberships": selectors.city_memberships(request.city),
            "form": form,
            "new_password": request.session.pop("lgnet_new_password", None),
        },
    )


@require_POST
@requires("city.manage")
def member_toggle(request: HttpRequest, city_slug: str, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(selectors.city_memberships(request.city), pk=membership_id)
    try:
        services.set_membership_active(
            actor=request.user, membership=membership, is_active=not membership.is_active
        )
    except RuleBroken as error:
        messages.error(request, error.message)
    return redirect("accounts:member_list", city_slug=city_slug)


def locked_out(request: HttpRequest, credentials=None, *args, **kwargs) -> HttpResponse:
    """django-axes' answer after too many failures: JSON for the API, a page otherwise."""
    if request.path_info.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse(
            {"detail": _("Too many failed attempts: try again later."), "errors": []}, status=429
        )
    return render(request, "accounts/locked_out.html", status=429)
