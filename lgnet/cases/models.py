"""Presa in carico: cases, their team, and the services delivered under them."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from lgnet.core.history import tracked
from lgnet.core.models import CityOwned, TimeStamped


class ActionArea(models.TextChoices):
    TAKING_IN_CHARGE = "taking_in_charge", _("Taking in charge")
    HOUSING = "housing", _("Housing")
    CIVIC_ENGAGEMENT = "civic_engagement", _("Civic engagement")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    GOALS_REACHED = "goals_reached", _("Goals reached")
    MOVED = "moved_to_another_city", _("Moved to another city")
    LEFT = "left_the_programme", _("Left the programme")
    LOST = "lost_to_follow_up", _("Lost to follow-up")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other")


class Unit(models.TextChoices):
    TIMES = "times", _("times")
    MINUTES = "minutes", _("minutes")
    EUROS = "euros", _("euros")
    NIGHTS = "nights", _("nights")


@tracked()
class ServiceType(TimeStamped):
    """A kind of service. The network's catalogue has no city; a city may add local types,
    each mapped onto a network type so that every city counts alike."""

    code = models.SlugField(_("code"), max_length=60)
    name_it = models.CharField(_("name (Italian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.TIMES)
    city = models.ForeignKey(
        "network.City",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("city (local types)"),
    )
    network_type = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="local_types",
        verbose_name=_("counted as"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service type")
        verbose_name_plural = _("service types")
        ordering = ["name_it"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(city__isnull=True),
                name="service_type_network_code_unique",
            ),
            models.UniqueConstraint(
                fields=["city", "code"],
                condition=Q(city__isnull=False),
                name="service_type_local_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(city__isnull=True, network_type__isnull=True)
                | Q(city__isnull=False, network_type__isnull=False),
                name="service_type_local_maps_to_network",
            ),
        ]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "it").startswith("en") else self.name_it

    @property
    def counted_as(self) -> "ServiceType":
        return self.network_type or self


class CaseQuerySet(models.QuerySet):
    def not_closed(self):
        return self.exclude(status=Status.CLOSED)


@tracked()
class Case(CityOwned):
    """The city's commitment to a person (presa in carico): one open case at a time."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="cases", verbose_name=_("person")
    )
    number = models.CharField(_("number"), max_length=20)
    areas = ArrayField(
        models.CharField(max_length=20, choices=ActionArea.choices),
        default=list,
        verbose_name=_("action areas"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("case manager"),
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CaseMember", related_name="+", verbose_name=_("team")
    )
    opened_from = models.ForeignKey(
        "people.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened from contact"),
    )

    objects = ScopedManager(city="city", _manager_class=models.Manager.from_queryset(CaseQuerySet))

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["city", "number"], name="case_number_unique"),
            # One case not closed per person: successive cases are allowed.
            models.UniqueConstraint(
                fields=["person"], condition=~Q(status="closed"), name="case_one_open_per_person"
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_on__isnull=False)
                | (~Q(status="closed") & Q(closed_on__isnull=True)),
                name="case_closed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="case_closes_after_opening",
            ),
        ]
        indexes = [
            models.Index(fields=["city", "status"]),
            models.Index(fields=["city", "opened_on"]),
            models.Index(fields=["city", "closed_on"]),
            models.Index(fields=["city", "manager"]),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", kwargs={"city_slug": self.city.slug, "pk": self.pk})

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED

    def get_areas_display(self) -> list[str]:
        return [str(ActionArea(a).label) if a in ActionArea.values else a for a in self.areas]


class CaseMember(CityOwned):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_memberships"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_member_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.user_id}"


class CaseCounter(models.Model):
    """The last case number given per city and year (numbers such as TA-2023-0042)."""

    city = models.ForeignKey("network.City", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["city", "year"], name="case_counter_unique")]

    def __str__(self) -> str:
        return f"{self.city_id}/{self.year}: {self.last}"


@tracked()
class Service(CityOwned):
    """A service delivered to a person under a case: date, type, provider, quantity."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="services", verbose_name=_("case")
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="services", verbose_name=_("person")
    )
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="+", verbose_name=_("type")
    )
    delivered_on = models.DateField(_("delivered on"))
    provider = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider"),
    )
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2, default=1)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["-delivered_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="service_quantity_positive")
        ]
        indexes = [
            models.Index(fields=["city", "delivered_on"]),
            models.Index(fields=["city", "service_type", "delivered_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.delivered_on} {self.service_type}"


class Domain(models.TextChoices):
    """Areas of need, assessed and planned alike."""

    HOUSING = "housing", _("Housing")
    HEALTH = "health", _("Health")
    LEGAL = "legal_documents", _("Legal status and documents")
    WORK = "work", _("Work")
    LANGUAGE = "language", _("Language")
    INCOME = "income", _("Income")
    FAMILY = "family", _("Family")
    SOCIAL = "social_ties", _("Social ties")


class Level(models.IntegerChoices):
    """How the person stands in a domain: 1 is a crisis, 5 is autonomy."""

    CRISIS = 1, _("1 · In crisis")
    VULNERABLE = 2, _("2 · Vulnerable")
    STABILISING = 3, _("3 · Stabilising")
    SAFE = 4, _("4 · Safe")
    AUTONOMOUS = 5, _("5 · Autonomous")


@tracked()
class Assessment(CityOwned):
    """Needs assessed on a day, a level per domain; repeated so that change shows."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("case")
    )
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(_("summary"), blank=True, max_length=4000)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["city", "case", "assessed_on"])]

    def __str__(self) -> str:
        return f"{self.case_id}@{self.assessed_on}"


@tracked()
class AssessmentScore(CityOwned):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="assessment_domain_once"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="level_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.domain}={self.level}"


class GoalStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    PARTLY = "partly_achieved", _("Partly achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")
    DROPPED = "dropped", _("Dropped")


GOAL_OPEN = (GoalStatus.PLANNED, GoalStatus.IN_PROGRESS)


@tracked()
class Goal(CityOwned):
    """A goal of the individual plan, agreed with the person."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="goals", verbose_name=_("case")
    )
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    description = models.CharField(_("goal"), max_length=300)
    target_on = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=GoalStatus.choices, default=GoalStatus.PLANNED
    )
    outcome = models.CharField(_("outcome"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["target_on", "id"]
        indexes = [models.Index(fields=["city", "case", "status"])]

    def __str__(self) -> str:
        return self.description

    @property
    def is_open(self) -> bool:
        return self.status in GOAL_OPEN


@tracked()
class PlanReview(CityOwned):
    """A review of the plan: when it is due, and when it was held."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    due_on = models.DateField(_("review due on"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    remarks = models.CharField(_("remarks"), max_length=500, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(
                fields=["city", "due_on"],
                condition=Q(held_on__isnull=True),
                name="plan_review_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}@{self.due_on}"


@tracked(exclude=["body"])
class Note(CityOwned):
    """A case note. Confidential ones are read by the case team and the city coordinator only,
    and every read is logged. After 24 hours a note is answered with an addendum, not edited."""

    EDIT_WINDOW_HOURS = 24

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="notes", verbose_name=_("case")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("note"), max_length=8000)
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Only the case team and the city coordinator read it; each read is logged."),
    )
    addendum_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="addenda",
        verbose_name=_("addendum to"),
    )
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["city", "case", "created_at"])]

    def __str__(self) -> str:
        return f"note {self.pk}"

    def editable_until(self):
        from datetime import timedelta

        return self.created_at + timedelta(hours=self.EDIT_WINDOW_HOURS)


class Direction(models.TextChoices):
    OUTGOING = "outgoing", _("To a partner")
    INCOMING = "incoming", _("From a partner")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


REFERRAL_OPEN = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)


class Shared(models.TextChoices):
    """What the person agreed may be shared with the partner, beyond the names."""

    CONTACT = "contact", _("Phone number")
    BIRTH_YEAR = "birth_year", _("Sex and birth year")
    LANGUAGES = "languages", _("Languages")
    REASON = "reason", _("The reason of the referral")


class ReferralQuerySet(models.QuerySet):
    def open(self):
        """Referrals that give the partner access: sent or accepted, consent not revoked."""
        return self.filter(status__in=REFERRAL_OPEN, consent_revoked_on__isnull=True)


@tracked()
class Referral(CityOwned):
    """A hand-off to a partner organisation under an agreement, or from one (UEPE referring
    a person before release). The partner reads only what the consent allows, while the
    referral is open."""

    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.OUTGOING
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("person"),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("case"),
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("partner"),
    )
    agreement = models.ForeignKey(
        "network.Agreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("agreement"),
    )
    reason = models.CharField(_("reason"), max_length=1000)
    # An incoming referral names someone the city may not have registered yet.
    proposed_name = models.CharField(_("name given by the partner"), max_length=200, blank=True)
    proposed_birth_year = models.PositiveSmallIntegerField(
        _("birth year given by the partner"), null=True, blank=True
    )
    expected_on = models.DateField(_("expected on"), null=True, blank=True)
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_shares = ArrayField(
        models.CharField(max_length=20, choices=Shared.choices),
        default=list,
        blank=True,
        verbose_name=_("may be shared"),
    )
    consent_revoked_on = models.DateField(_("consent revoked on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    sent_on = models.DateField(_("sent on"))
    responded_on = models.DateField(_("answered on"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason for rejecting"), max_length=500, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(
        city="city", _manager_class=models.Manager.from_queryset(ReferralQuerySet)
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction="incoming") | Q(person__isnull=False),
                name="referral_outgoing_names_person",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="referral_rejection_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["city", "organisation", "status"]),
            models.Index(fields=["city", "status", "sent_on"]),
        ]

    def __str__(self) -> str:
        return f"referral {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("cases:referral_detail", kwargs={"city_slug": self.city.slug, "pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in REFERRAL_OPEN and self.consent_revoked_on is None

    def shares(self, what: str) -> bool:
        return what in self.consent_shares


class TaskKind(models.TextChoices):
    MANUAL = "manual", _("Task")
    PERMIT = "permit_expiry", _("Permit expiring")
    REVIEW = "plan_review", _("Plan review")
    GOAL = "goal_due", _("Goal due")


@tracked()
class Task(CityOwned):
    """Something to do by a date. Some are made automatically (permit expiry 60 days ahead,
    plan reviews); ``key`` keeps those from being made twice."""

    title = models.CharField(_("task"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=TaskKind.choices, default=TaskKind.MANUAL
    )
    due_on = models.DateField(_("due on"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("assigned to"),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("case"),
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    key = models.CharField(max_length=80, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "key"], condition=~Q(key=""), name="task_automatic_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["city", "assignee", "due_on"],
                condition=Q(done_on__isnull=True),
                name="task_open_by_assignee",
            ),
            models.Index(
                fields=["city", "due_on"], condition=Q(done_on__isnull=True), name="task_open_due"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AttachmentKind(models.TextChoices):
    ID_COPY = "id_copy", _("Copy of an identity document")
    PERMIT = "permit", _("Copy of the residence permit")
    SIGNED_FORM = "signed_form", _("Signed form or consent")
    CERTIFICATE = "certificate", _("Certificate")
    OTHER = "other", _("Other")


def attachment_path(instance, filename: str) -> str:
    """Random names: nothing of the person in a path on disk."""
    import uuid

    return f"{instance.city_id}/{uuid.uuid4().hex}"


def attachment_storage():
    from django.core.files.storage import storages

    return storages["attachments"]


@tracked(exclude=["file"])
class Attachment(CityOwned):
    """A file of a case (ID copy, signed form), kept outside the web root and served only
    through a view that checks the reader's rights and logs the read."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("case")
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=AttachmentKind.choices, default=AttachmentKind.OTHER
    )
    file = models.FileField(upload_to=attachment_path, storage=attachment_storage, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["city", "case"])]

    def __str__(self) -> str:
        return self.original_name
