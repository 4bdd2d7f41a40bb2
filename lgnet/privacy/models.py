"""Data-subject rights, retention and the privacy notice (GDPR arts. 13, 15-21, 5(1)(e))."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lgnet.core.history import tracked
from lgnet.core.models import CityOwned, TimeStamped


class RequestKind(models.TextChoices):
    ACCESS = "access", _("access (art. 15)")
    RECTIFICATION = "rectification", _("rectification (art. 16)")
    ERASURE = "erasure", _("erasure (art. 17)")
    RESTRICTION = "restriction", _("restriction (art. 18)")
    OBJECTION = "objection", _("objection (art. 21)")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    IN_PROGRESS = "in_progress", _("in progress")
    ANSWERED = "answered", _("answered")
    REFUSED = "refused", _("refused, with reasons")


OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)


@tracked()
class RightsRequest(CityOwned):
    """A request from a person exercising a GDPR right, to be answered within one month."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    kind = models.CharField(_("right"), max_length=20, choices=RequestKind.choices)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("answer due by"))
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    details = models.TextField(_("what the person asks"), blank=True, max_length=4000)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True, max_length=4000)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    class Meta:
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["city", "status", "due_on"]),
            models.Index(fields=["city", "person"]),
            models.Index(fields=["city", "-received_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("received_on")),
                name="rights_request_due_after_received",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()


class RetentionKind(models.TextChoices):
    """The kinds of record the network sets a retention period for, and when the clock starts."""

    CLOSED_CASES = "closed_cases", _("persons whose cases are all closed (from the last closing)")
    NO_CASE = "no_case", _("persons never taken in charge (from their last update or contact)")
    CONTACT_NOTES = "contact_notes", _("free text of first contacts (from the contact)")
    ATTACHMENTS = "attachments", _("files attached to closed cases (from the case's closing)")
    IMPORT_FILES = (
        "import_files",
        _("uploaded import files and their row reports (from the import's last change)"),
    )


@tracked()
class RetentionPolicy(TimeStamped):
    """How long the network keeps one kind of record before it is anonymised."""

    kind = models.CharField(_("records"), max_length=20, choices=RetentionKind.choices, unique=True)
    months = models.PositiveSmallIntegerField(_("kept for (months)"))
    is_active = models.BooleanField(_("applied by the daily run"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(condition=models.Q(months__gte=1), name="retention_months_min")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.months}"

    def cutoff(self, today: date | None = None) -> date:
        """Records whose clock started before this day have passed the period."""
        today = today or timezone.localdate()
        months = today.year * 12 + today.month - 1 - self.months
        year, month = divmod(months, 12)
        return _clamped(year, month + 1, today.day)


def _clamped(year: int, month: int, day: int) -> date:
    import calendar

    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


class RetentionRun(models.Model):
    """One run of the retention job: what it anonymised, counts only."""

    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    counts = models.JSONField(_("records anonymised"), default=dict, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"

    @property
    def total(self) -> int:
        return sum(sum(by_kind.values()) for by_kind in self.counts.values())


class PrivacyNotice(TimeStamped):
    """The information notice (art. 13 GDPR) in one language; the text is data, not code.

    ``{controller}`` in the body is replaced with the comune's name when printed.
    """

    language = models.CharField(_("language"), max_length=3, unique=True)
    name = models.CharField(_("language name"), max_length=60)
    is_rtl = models.BooleanField(_("written right to left"), default=False)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    version = models.CharField(_("version"), max_length=20, default="1")

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        ordering = ["language"]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    def text_for(self, city) -> str:
        return self.body.replace("{controller}", f"Comune di {city.name}")
