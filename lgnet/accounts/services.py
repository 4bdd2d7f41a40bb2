"""Writes about users: memberships, API tokens, second factor."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lgnet.accounts.models import ApiToken, Membership, User
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
