"""Activities: courses, workshops, civic-engagement projects and awareness events, their
sessions, enrolments and attendance registers."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from lgnet.cases.models import ActionArea
from lgnet.core.history import tracked
from lgnet.core.models import CityOwned
from lgnet.people.choices import AgeBand, Sex


class ActivityKind(models.TextChoices):
    ITALIAN_COURSE = "italian_course", _("Italian course")
    COURSE = "course", _("Course")
    WORKSHOP = "workshop", _("Workshop")
    CIVIC_PROJECT = "civic_project", _("Civic-engagement project")
    EVENT = "event", _("Awareness event")
    OTHER = "other", _("Other")


class CefrLevel(models.TextChoices):
    PRE_A1 = "pre-A1", _("pre-A1")
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"


CEFR_RANK = {level: rank for rank, level in enumerate(CefrLevel.values)}


class CivicScheme(models.TextChoices):
    VOLUNTARY = "voluntary", _("Voluntary")
    WORK_SCHEME = "work_scheme", _("Work scheme (stipend)")
    PAID = "paid", _("Paid (internship allowance)")


class AllowanceBasis(models.TextChoices):
    HOUR = "hour", _("per hour")
    DAY = "day", _("per day worked")
    MONTH = "month", _("per month")
    LUMP_SUM = "lump_sum", _("lump sum")


class EnrolmentStatus(models.TextChoices):
    WAITING = "waiting", _("On the waiting list")
    ENROLLED = "enrolled", _("Enrolled")
    ATTENDING = "attending", _("Attending")
    COMPLETED = "completed", _("Completed")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    NOT_ADMITTED = "not_admitted", _("Not admitted")


# Holding a place in the activity (and counted against its capacity).
PLACE_HOLDING = (EnrolmentStatus.ENROLLED, EnrolmentStatus.ATTENDING)
# Shown in the register and open to attendance marks.
ON_REGISTER = (EnrolmentStatus.ENROLLED, EnrolmentStatus.ATTENDING, EnrolmentStatus.COMPLETED)
FINISHED = (
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.DROPPED_OUT,
    EnrolmentStatus.NOT_ADMITTED,
)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


@tracked()
class Activity(CityOwned):
    """A course, workshop, civic-engagement project or awareness event run in a city."""

    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    action_area = models.CharField(
        _("action area"),
        max_length=20,
        choices=ActionArea.choices,
        default=ActionArea.CIVIC_ENGAGEMENT,
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("run by"),
    )
    agreement = models.ForeignKey(
        "network.Agreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("under the agreement"),
    )
    site = models.ForeignKey(
        "network.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("site"),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    edition = models.ForeignKey(
        "network.Edition",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("counts for the edition"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_activities",
        verbose_name=_("facilitators"),
    )
    # Courses
    cefr_level = models.CharField(
        _("CEFR level taught"), max_length=6, choices=CefrLevel.choices, blank=True
    )
    planned_hours = models.DecimalField(
        _("planned hours"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    min_attendance = models.DecimalField(
        _("minimum attendance for completion"),
        max_digits=3,
        decimal_places=2,
        default=0.70,
        help_text=_("A fraction of the sessions held: 0.70 means 70 %."),
    )
    # Civic-engagement projects
    tutor = models.CharField(_("tutor"), max_length=200, blank=True)
    insurance = models.CharField(
        _("insurance"), max_length=200, blank=True, help_text=_("For example INAIL, policy number.")
    )
    insurance_from = models.DateField(_("insurance cover from"), null=True, blank=True)
    scheme = models.CharField(_("scheme"), max_length=20, choices=CivicScheme.choices, blank=True)
    allowance_amount = models.DecimalField(
        _("allowance (EUR)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    allowance_basis = models.CharField(
        _("allowance basis"), max_length=10, choices=AllowanceBasis.choices, blank=True
    )
    hours_per_week = models.DecimalField(
        _("hours per person per week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    # Awareness events
    organisations_present = models.ManyToManyField(
        "network.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("organisations present"),
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="activity_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(min_attendance__gte=0, min_attendance__lte=1),
                name="activity_min_attendance_fraction",
            ),
        ]
        indexes = [
            models.Index(fields=["city", "kind"]),
            models.Index(fields=["city", "start_date"]),
            models.Index(fields=["city", "organisation"]),
            models.Index(fields=["city", "edition"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", kwargs={"city_slug": self.city.slug, "pk": self.pk})

    @property
    def is_event(self) -> bool:
        return self.kind == ActivityKind.EVENT

    @property
    def is_civic(self) -> bool:
        return self.kind == ActivityKind.CIVIC_PROJECT

    @property
    def is_language_course(self) -> bool:
        return self.kind == ActivityKind.ITALIAN_COURSE


class SessionQuerySet(models.QuerySet):
    def held(self, today):
        """Sessions that took place: not cancelled, on or before today."""
        return self.filter(is_cancelled=False, date__lte=today)


@tracked()
class Session(CityOwned):
    """One meeting of an activity (incontro)."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("activity")
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("time"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)

    objects = ScopedManager(
        city="city", _manager_class=models.Manager.from_queryset(SessionQuerySet)
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "start_time", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=24), name="session_hours_in_a_day"
            )
        ]
        indexes = [
            models.Index(fields=["city", "date"]),
            models.Index(fields=["activity", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.date}"


@tracked()
class Enrolment(CityOwned):
    """A person in an activity (iscrizione), from enrolment (or the waiting list) to outcome."""

    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("activity")
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("person"),
    )
    status = models.CharField(
        _("status"),
        max_length=15,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.ENROLLED,
    )
    enrolled_on = models.DateField(_("enrolled on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    dropout_reason = models.CharField(_("reason"), max_length=300, blank=True)
    entry_level = models.CharField(
        _("entry level (placement test)"), max_length=6, choices=CefrLevel.choices, blank=True
    )
    exit_level = models.CharField(
        _("exit level (final test)"), max_length=6, choices=CefrLevel.choices, blank=True
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enrolled by"),
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["person__family_names", "person__given_names", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"], name="enrolment_once_per_person"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("enrolled_on")),
                name="enrolment_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["city", "status"]),
            models.Index(fields=["activity", "status"]),
            models.Index(fields=["city", "person"]),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.activity_id}"

    def get_absolute_url(self) -> str:
        return reverse("activities:enrolment", kwargs={"city_slug": self.city.slug, "pk": self.pk})

    @property
    def gained_level(self) -> bool:
        """The final test placed the person at least one CEFR level above the placement test."""
        if not self.entry_level or not self.exit_level:
            return False
        return CEFR_RANK[self.exit_level] > CEFR_RANK[self.entry_level]


@tracked()
class Attendance(CityOwned):
    """One person's mark in one session's register."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("session")
    )
    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("enrolment"),
    )
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Only when they differ from the session's."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_once"),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0, hours__lte=24),
                name="attendance_hours_in_a_day",
            ),
        ]
        indexes = [models.Index(fields=["enrolment", "status"])]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.enrolment_id}: {self.status}"


@tracked()
class HeadCount(CityOwned):
    """Anonymous participants of an awareness event, by sex and age band."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="head_counts", verbose_name=_("event")
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    age_band = models.CharField(_("age band"), max_length=6, choices=AgeBand.choices)
    count = models.PositiveIntegerField(_("people"))

    class Meta:
        verbose_name = _("head count")
        verbose_name_plural = _("head counts")
        ordering = ["sex", "age_band"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "sex", "age_band"], name="head_count_once_per_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.sex} {self.age_band}: {self.count}"


class CertificateIssuer(models.TextChoices):
    CPIA = "cpia", _("CPIA test (long-term residence permit)")
    CILS = "cils", _("CILS (Università per Stranieri di Siena)")
    CELI = "celi", _("CELI (Università per Stranieri di Perugia)")
    PLIDA = "plida", _("PLIDA (Società Dante Alighieri)")
    OTHER = "other", _("Other")


@tracked()
class LanguageCertificate(CityOwned):
    """A legal certificate of Italian issued elsewhere (the A2 test for the long-term permit,
    CILS, CELI): recorded on the person as a fact, with its date and level."""

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="language_certificates",
        verbose_name=_("person"),
    )
    level = models.CharField(_("level"), max_length=6, choices=CefrLevel.choices)
    issued_on = models.DateField(_("issued on"))
    issuer = models.CharField(_("issued by"), max_length=10, choices=CertificateIssuer.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("language certificate")
        verbose_name_plural = _("language certificates")
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["city", "person"])]

    def __str__(self) -> str:
        return f"{self.level} {self.issued_on}"


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ENROLLED = "enrolled", _("Enrolled")
    DECLINED = "declined", _("Declined")


@tracked()
class EnrolmentRequest(CityOwned):
    """A partner asks the city to enrol someone: the city decides and enrols."""

    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="enrolment_requests",
        verbose_name=_("activity"),
    )
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )

    class Meta:
        verbose_name = _("enrolment request")
        verbose_name_plural = _("enrolment requests")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["activity", "status"])]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.status}"
