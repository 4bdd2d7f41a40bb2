"""Writes about users: memberships, API tokens, second factor, recovery codes, sessions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lgnet.accounts import devices
from lgnet.accounts.models import ApiToken, BrowserSession, Membership, User
from lgnet.accounts.roles import NETWORK_ROLES, Role
from lgnet.core import audit
from lgnet.core.exceptions import RuleBroken


@transaction.atomic
def issue_token(
    *, membership: Membership, name: str = "", actor: Any = None
) -> tuple[str, ApiToken]:
    """A new bearer token for one membership; the secret is returned once and never stored."""
    secret, prefix, digest = ApiToken.new_secret()
    token = ApiToken.objects.create(
        membership=membership,
        name=name[:100],
        prefix=prefix,
        digest=digest,
        expires_at=timezone.now() + timedelta(days=settings.LGNET_API_TOKEN_DAYS),
    )
    audit.record(
        actor=actor or membership.user,
        target=token,
        city=membership.city,
        action="token.issued",
        data={"membership": membership.pk},
    )
    return secret, token


@transaction.atomic
def revoke_token(*, token: ApiToken, actor: Any) -> ApiToken:
    """A revoked token stops working at once and cannot be revived."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, target=token, city=token.membership.city, action="token.revoked")
    return token


@transaction.atomic
def add_member(
    *,
    actor: Any,
    city,
    username: str,
    role: str,
    organisation=None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    password: str | None = None,
) -> Membership:
    """Give a user a role in the city, creating the user when the username is new.

    Network roles are never given from a city; partner workers need their organisation.
    """
    if role in NETWORK_ROLES:
        raise RuleBroken(_("A city cannot give a network role."), field="role", status=403)
    if role == Role.PARTNER_WORKER and organisation is None:
        raise RuleBroken(_("A partner worker needs an organisation."), field="organisation")
    if role != Role.PARTNER_WORKER:
        organisation = None
    user = User.objects.filter(username=username).first()
    if user is not None and not user.memberships.filter(city=city).exists():
        # A city may give another role to its own users, never take over someone else's
        # account (a user of another city, or of the network).
        raise RuleBroken(
            _("This username is taken. Choose another one."), field="username", status=409
        )
    if user is None:
        user = User(username=username, first_name=first_name, last_name=last_name, email=email)
        if password:
            validate_password(password, user)
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user, role=role, city=city, organisation=organisation
            )
    except IntegrityError as error:
        raise RuleBroken(_("This user already has this role in the city."), status=409) from error
    audit.record(
        actor=actor, target=membership, city=city, action="membership.created", data={"role": role}
    )
    return membership


@transaction.atomic
def set_membership_active(*, actor: Any, membership: Membership, is_active: bool) -> Membership:
    """Ending a membership also revokes its API tokens."""
    if membership.user_id == getattr(actor, "pk", None) and not is_active:
        raise RuleBroken(_("You cannot end your own membership."), field="is_active")
    membership.is_active = is_active
    membership.save(update_fields=["is_active"])
    if not is_active:
        for token in membership.tokens.usable():
            revoke_token(token=token, actor=actor)
    audit.record(
        actor=actor,
        target=membership,
        city=membership.city,
        action="membership.activated" if is_active else "membership.ended",
    )
    return membership


# Recovery codes: django-otp's static device, one per user, under this name.
RECOVERY_DEVICE = "recovery"
RECOVERY_CODE_COUNT = 10


def normalise_recovery_code(code: str) -> str:
    """Codes are shown as "abcd-efgh"; typed with or without the dash, spaces, capitals."""
    return "".join(code.split()).replace("-", "").lower()[:16]


@transaction.atomic
def generate_recovery_codes(*, user: User, count: int = RECOVERY_CODE_COUNT) -> list[str]:
    """A new set of one-time recovery codes replaces every earlier one; shown once."""
    # The user's row first: two requests at once (a double click) would each create a
    # device, and the codes shown might then be the other device's.
    User.objects.select_for_update().filter(pk=user.pk).first()
    device, _created = StaticDevice.objects.select_for_update().get_or_create(
        user=user, name=RECOVERY_DEVICE, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(StaticToken.random_token())
    ordered = sorted(codes)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in ordered)
    audit.record(
        actor=user, target=user, action="otp.recovery_codes_generated", data={"count": count}
    )
    return ordered


@dataclass(frozen=True)
class CodeCheck:
    device: Any = None  # the device that accepted the code, if any
    throttled: bool = False  # too many wrong codes lately: nothing was checked
    left: int = 0  # recovery codes left after this one


def _throttled(*devices_: Any) -> bool:
    return any(d is not None and not d.verify_is_allowed()[0] for d in devices_)


def use_recovery_code(*, user: User, code: str) -> CodeCheck:
    """A recovery code passes the second factor once and is used up.

    Wrong codes slow down every code of the user: a wrong recovery code also counts on the
    authenticator's back-off, and while either device waits nothing is checked.
    """
    with transaction.atomic():
        # Locked: two requests racing with the same code cannot both pass.
        device = (
            StaticDevice.objects.select_for_update()
            .filter(user=user, name=RECOVERY_DEVICE, confirmed=True)
            .first()
        )
        authenticator = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if _throttled(device, authenticator):
            return CodeCheck(throttled=True)
        wanted = normalise_recovery_code(code)
        if device is not None and wanted and device.verify_token(wanted):
            left = device.token_set.count()
            audit.record(
                actor=user, target=user, action="otp.recovery_code_used", data={"left": left}
            )
            return CodeCheck(device=device, left=left)
        if authenticator is not None:
            authenticator.throttle_increment()
        return CodeCheck()


def check_authenticator_code(*, user: User, code: str) -> CodeCheck:
    """The six digits of the user's authenticator (TOTP). Recovery codes are not taken
    here: they are for the browser's sign-in, where their use is shown and audited."""
    with transaction.atomic():
        for device in TOTPDevice.objects.devices_for_user(user, confirmed=True).select_for_update():
            if device.verify_token(code):
                return CodeCheck(device=device)
    return CodeCheck()


def record_session(
    *, user: User, session_key: str, user_agent: str = "", started_at: datetime | None = None
) -> BrowserSession | None:
    """Remember that this database session belongs to the user (see BrowserSession)."""
    if not session_key or not Session.objects.filter(session_key=session_key).exists():
        return None
    found, _created = BrowserSession.objects.get_or_create(
        session_id=session_key,
        defaults={
            "user": user,
            "started_at": started_at or timezone.now(),
            "device": devices.describe(user_agent),
        },
    )
    return found if found.user_id == user.pk else None


@transaction.atomic
def end_sessions(*, user: User, sessions: Iterable[BrowserSession], actor: Any) -> int:
    """Ended sessions are deleted: each browser that held one is signed out at its next request."""
    keys = [s.session_id for s in sessions if s.user_id == user.pk]
    if not keys:
        return 0
    # The BrowserSession rows go with their sessions (cascade).
    Session.objects.filter(session_key__in=keys).delete()
    audit.record(actor=actor, target=user, action="session.ended", data={"count": len(keys)})
    return len(keys)
