import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lgnet.accounts.roles import NETWORK_ROLES, Role, capabilities_of
from lgnet.core.history import tracked


@tracked(exclude=["password", "last_login"])
class User(AbstractUser):
    """A person who signs in. What they may do comes from their memberships."""

    preferred_language = models.CharField(
        _("preferred language"), max_length=8, blank=True, default=""
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True)


@tracked()
class Membership(models.Model):
    """A user's role in one city (or in the whole network, for network coordinators)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    city = models.ForeignKey(
        "network.City",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("city"),
    )
    # Partner workers act for their organisation; unscoped manager on purpose: the
    # tenancy middleware reads memberships before any scope exists.
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["city__name", "role"]
        constraints = [
            models.CheckConstraint(
                name="membership_city_matches_role",
                condition=(
                    Q(role__in=list(NETWORK_ROLES), city__isnull=True)
                    | (~Q(role__in=list(NETWORK_ROLES)) & Q(city__isnull=False))
                ),
            ),
            models.CheckConstraint(
                name="membership_partner_has_organisation",
                condition=(
                    Q(role=Role.PARTNER_WORKER, organisation__isnull=False)
                    | (~Q(role=Role.PARTNER_WORKER) & Q(organisation__isnull=True))
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "city", "role"],
                name="membership_unique",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        where = self.city.name if self.city_id else _("Network")
        return f"{self.user.username} · {self.get_role_display()} · {where}"

    @property
    def is_network(self) -> bool:
        return self.role in NETWORK_ROLES

    @property
    def capabilities(self) -> frozenset[str]:
        return capabilities_of(self.role)

    def can(self, capability: str) -> bool:
        return capability in self.capabilities


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A bearer token for the API. It belongs to one membership; only its hash is stored."""

    membership = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="tokens",
        verbose_name=_("membership"),
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @staticmethod
    def new_secret() -> tuple[str, str, str]:
        """A fresh token: (the secret shown once, its prefix, its digest)."""
        prefix = secrets.token_hex(4)
        secret = f"lgn_{prefix}_{secrets.token_urlsafe(32)}"
        return secret, prefix, _hash(secret)

    @staticmethod
    def digest_of(secret: str) -> str:
        return _hash(secret)

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )


class BrowserSession(models.Model):
    """A signed-in browser: which user a database session belongs to, so that a user can
    list and end their own sessions without reading every session row.

    Recorded at sign-in (accounts.signals); it goes with its session (the foreign key
    cascades on every delete: sign-out, expiry clean-up, ending it from the profile). No IP
    address is kept; the device is a coarse "browser, system" description.
    """

    session = models.OneToOneField(
        "sessions.Session", on_delete=models.CASCADE, related_name="+", verbose_name=_("session")
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="browser_sessions", verbose_name=_("user")
    )
    started_at = models.DateTimeField(_("started at"))
    device = models.CharField(_("device"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")

    def __str__(self) -> str:
        return f"{self.user_id} · {self.started_at:%Y-%m-%d %H:%M}"
