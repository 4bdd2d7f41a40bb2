"""Reads about users and memberships."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import DateTimeField, ExpressionWrapper, F, QuerySet, Value
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken

from lgnet.accounts.models import ApiToken, BrowserSession, Membership, User


def memberships_of(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.active()
        .filter(user=user)
        .select_related("city", "organisation")
        .order_by("city__name", "role")
    )


def membership_for_city(user: User, city_slug: str) -> Membership | None:
    """The user's membership in the city named by the slug; the strongest role first."""
    from lgnet.accounts.roles import Role

    order = [r.value for r in Role]
    found = list(memberships_of(user).filter(city__slug=city_slug))
    found.sort(key=lambda m: order.index(m.role))
    return found[0] if found else None


def network_membership_of(user: User) -> Membership | None:
    return memberships_of(user).filter(city__isnull=True).first()


def membership_by_id(user: User, membership_id: int | None) -> Membership | None:
    if membership_id is None:
        return None
    return memberships_of(user).filter(pk=membership_id).first()


def membership_for_token(secret: str) -> tuple[Membership, ApiToken] | None:
    token = (
        ApiToken.objects.usable()
        .select_related("membership__user", "membership__city", "membership__organisation")
        .filter(digest=ApiToken.digest_of(secret))
        .first()
    )
    if token is None:
        return None
    membership = token.membership
    if not membership.is_active or not membership.user.is_active:
        return None
    # Writing last_used_at at most once a minute keeps reads read-only under load.
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return membership, token


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return (
        ApiToken.objects.filter(membership__user=user)
        .select_related("membership__city")
        .order_by("-created_at")
    )


def city_memberships(city) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(city=city)
        .select_related("user", "organisation")
        .order_by("user__username", "role")
    )


def user_exists(username: str) -> bool:
    return User.objects.filter(username=username).exists()


def sessions_of(user: User) -> QuerySet[BrowserSession]:
    """The user's sessions that have not expired, the most recently used first.

    Every request saves the session (SESSION_SAVE_EVERY_REQUEST), moving its expiry to
    "now + SESSION_COOKIE_AGE": the last activity is read back from it, with no write.
    """
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    return (
        BrowserSession.objects.filter(user=user, session__expire_date__gt=timezone.now())
        .annotate(
            last_seen_at=ExpressionWrapper(
                F("session__expire_date") - Value(idle), output_field=DateTimeField()
            )
        )
        .order_by("-last_seen_at", "-pk")
    )


def recovery_codes_left(user: User) -> int:
    from lgnet.accounts.services import RECOVERY_DEVICE

    return StaticToken.objects.filter(
        device__user=user, device__name=RECOVERY_DEVICE, device__confirmed=True
    ).count()
