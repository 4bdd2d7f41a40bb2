import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class CityOwned(TimeStamped):
    """A row that belongs to one city. Its default manager refuses to run outside a scope."""

    city = models.ForeignKey(
        "network.City", on_delete=models.PROTECT, related_name="+", verbose_name=_("city")
    )

    objects = ScopedManager(city="city")

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """A business event ("case.closed", "token.revoked"): who did what to which object.

    Row-level change history comes from pghistory's triggers; this table records the
    meaning of a change. Append-only: the database refuses updates and deletes.
    """

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    city = models.ForeignKey(
        "network.City",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("city"),
        db_index=False,  # the (city, -at) index leads with it
    )
    action = models.CharField(_("action"), max_length=80)
    target_type = models.CharField(_("object type"), max_length=80, blank=True)
    target_id = models.CharField(_("object id"), max_length=40, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["city", "-at"]),
            models.Index(fields=["target_type", "target_id"]),
        ]
        triggers = [
            pgtrigger.Protect(
                name="audit_event_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class AccessLog(models.Model):
    """A read of a person's sensitive sections, or an export of personal data.

    Append-only (the database refuses updates and deletes); shown to the city coordinator
    and the auditor as "who saw this file".
    """

    at = models.DateTimeField(_("at"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    membership_id = models.BigIntegerField(_("membership"), null=True, blank=True)
    city = models.ForeignKey(
        "network.City", on_delete=models.PROTECT, related_name="+", verbose_name=_("city")
    )
    person_id = models.BigIntegerField(_("person"))
    what = models.CharField(_("what"), max_length=60)
    channel = models.CharField(_("from"), max_length=10, default="web")
    outside_team = models.BooleanField(_("outside the case team"), default=False)

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["city", "person_id", "-at"]),
            models.Index(fields=["city", "-at"]),
        ]
        triggers = [
            pgtrigger.Protect(
                name="access_log_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.what}"
