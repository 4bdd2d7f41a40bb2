"""Housing: facilities, rooms and beds; placements (never two in one bed, never one person in
two beds: exclusion constraints); the waiting list; landlords and rent support; the autonomy path.

Date ranges are half-open everywhere: [start_date, end_date), end_date is the day of leaving
and empty means open-ended (decision 0008).
"""

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q, Value
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lgnet.core.history import tracked
from lgnet.core.models import CityOwned


class DateRange(Func):
    """daterange(start, end, '[)'): a NULL end is an open upper bound."""

    function = "DATERANGE"
    output_field = DateRangeField()

    def __init__(self, start: str, end: str):
        super().__init__(F(start), F(end), Value("[)"))


class FacilityKind(models.TextChoices):
    PROTECTED_SHELTER = "protected_shelter", _("Protected shelter")
    CO_HOUSING = "co_housing", _("Solidarity co-housing")
    EMERGENCY_HOUSE = "emergency_house", _("Emergency shared house")
    APARTMENT = "apartment", _("Apartment")
    OTHER = "other", _("Other")


class ExitReason(models.TextChoices):
    AUTONOMOUS_HOUSING = "autonomous_housing", _("Autonomous housing")
    ANOTHER_PROJECT = "another_project", _("Another project")
    FAMILY = "family", _("Family")
    LEFT = "left", _("Left")
    REMOVED = "removed", _("Removed for breaking the rules")
    OTHER = "other", _("Other")


class Urgency(models.IntegerChoices):
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")
    TONIGHT = 4, _("Tonight (on the street)")


class Vulnerability(models.IntegerChoices):
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")


class RequestStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    PLACED = "placed", _("Placed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class LandlordKind(models.TextChoices):
    PERSON = "person", _("Private person")
    COMPANY = "company", _("Company")


class MediationOutcome(models.TextChoices):
    CONTACTED = "contacted", _("Contacted")
    AVAILABLE = "available", _("Available to rent")
    AGREED = "agreed", _("Lease agreed")
    REFUSED = "refused", _("Refused")
    DISPUTE_SETTLED = "dispute_settled", _("Dispute settled")
    OTHER = "other", _("Other")


class MilestoneKind(models.TextChoices):
    LEASE_SIGNED = "lease_signed", _("Lease signed")
    RESIDENCE_REGISTERED = "residence_registered", _("Residence registered")
    INCOME_FROM_WORK = "income_from_work", _("Income from work")
    SAVINGS = "savings", _("Savings")


@tracked()
class Facility(CityOwned):
    """A place with beds, run by an organisation of the city."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=FacilityKind.choices)
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("managing organisation"),
    )
    site = models.ForeignKey(
        "network.Site",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
    )
    address = models.CharField(_("address"), max_length=250, blank=True)
    house_rules = models.TextField(_("house rules"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["city", "name"], name="facility_name_unique")
        ]
        indexes = [models.Index(fields=["city", "is_active"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "housing:facility_detail", kwargs={"city_slug": self.city.slug, "pk": self.pk}
        )


@tracked()
class Room(CityOwned):
    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("facility")
    )
    name = models.CharField(_("name"), max_length=60)
    notes = models.CharField(_("notes"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "name"], name="room_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


@tracked()
class Bed(CityOwned):
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="beds", verbose_name=_("facility")
    )
    room = models.ForeignKey(
        Room,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="beds",
        verbose_name=_("room"),
    )
    label = models.CharField(_("label"), max_length=40)
    is_women_only = models.BooleanField(_("women only"), default=False)
    is_accessible = models.BooleanField(_("accessible"), default=False)
    is_family_room = models.BooleanField(_("family room"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("bed")
        verbose_name_plural = _("beds")
        ordering = ["facility__name", "room__name", "label", "id"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "label"], name="bed_label_unique")
        ]
        indexes = [models.Index(fields=["city", "is_active"])]

    def __str__(self) -> str:
        return f"{self.facility.name} · {self.label}"


@tracked()
class OutOfService(CityOwned):
    """A bed that cannot be given for a while (repairs, disinfestation...)."""

    bed = models.ForeignKey(
        Bed, on_delete=models.CASCADE, related_name="out_of_service", verbose_name=_("bed")
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until (excluded)"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("out-of-service period")
        verbose_name_plural = _("out-of-service periods")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")),
                name="out_of_service_ends_after_start",
            ),
            ExclusionConstraint(
                name="out_of_service_no_overlap",
                expressions=[
                    ("bed", RangeOperators.EQUAL),
                    (DateRange("start_date", "end_date"), RangeOperators.OVERLAPS),
                ],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bed_id}: {self.start_date}–{self.end_date or ''}"


@tracked()
class Placement(CityOwned):
    """A person in a bed over [start_date, end_date). The database refuses two placements that
    overlap on one bed or for one person, whatever the number of concurrent requests."""

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("person"),
    )
    bed = models.ForeignKey(
        Bed, on_delete=models.PROTECT, related_name="placements", verbose_name=_("bed")
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(
        _("until (day of leaving)"),
        null=True,
        blank=True,
        help_text=_("The day the person leaves; empty while open-ended."),
    )
    exit_reason = models.CharField(
        _("exit reason"), max_length=30, choices=ExitReason.choices, blank=True
    )
    exit_notes = models.CharField(_("notes on leaving"), max_length=500, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("case"),
    )
    moved_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moved from"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")),
                name="placement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(exit_reason="") | Q(end_date__isnull=False),
                name="placement_exit_needs_end",
            ),
            ExclusionConstraint(
                name="placement_no_overlap_per_bed",
                expressions=[
                    ("bed", RangeOperators.EQUAL),
                    (DateRange("start_date", "end_date"), RangeOperators.OVERLAPS),
                ],
            ),
            ExclusionConstraint(
                name="placement_no_overlap_per_person",
                expressions=[
                    ("person", RangeOperators.EQUAL),
                    (DateRange("start_date", "end_date"), RangeOperators.OVERLAPS),
                ],
            ),
        ]
        indexes = [
            models.Index(fields=["city", "start_date"]),
            models.Index(fields=["city", "end_date"]),
            models.Index(fields=["city", "exit_reason"]),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.bed_id} {self.start_date}–{self.end_date or ''}"

    def get_absolute_url(self) -> str:
        return reverse(
            "housing:placement_detail", kwargs={"city_slug": self.city.slug, "pk": self.pk}
        )

    def is_current_on(self, day) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date > day)


@tracked()
class HousingRequest(CityOwned):
    """A request for a place on the waiting list, with its priority."""

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="housing_requests",
        verbose_name=_("person"),
    )
    requested_on = models.DateField(_("requested on"))
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), choices=Urgency.choices, default=Urgency.MEDIUM
    )
    vulnerability = models.PositiveSmallIntegerField(
        _("vulnerability"), choices=Vulnerability.choices, default=Vulnerability.MEDIUM
    )
    needs_women_only = models.BooleanField(_("needs a women-only bed"), default=False)
    needs_accessible = models.BooleanField(_("needs an accessible bed"), default=False)
    needs_family_room = models.BooleanField(_("needs a family room"), default=False)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.WAITING
    )
    placement = models.OneToOneField(
        Placement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="request",
        verbose_name=_("placement"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("housing request")
        verbose_name_plural = _("housing requests")
        # The waiting list's priority: urgency, then vulnerability, then who asked first.
        ordering = ["-urgency", "-vulnerability", "requested_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="waiting"),
                name="housing_request_one_waiting_per_person",
            )
        ]
        indexes = [models.Index(fields=["city", "status"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.requested_on}"

    def get_absolute_url(self) -> str:
        return reverse(
            "housing:request_detail", kwargs={"city_slug": self.city.slug, "pk": self.pk}
        )


@tracked()
class Landlord(CityOwned):
    kind = models.CharField(_("kind"), max_length=10, choices=LandlordKind.choices)
    name = models.CharField(_("name"), max_length=200)
    tax_code = models.CharField(_("tax code / VAT number"), max_length=16, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("landlord")
        verbose_name_plural = _("landlords")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["city", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "housing:landlord_detail", kwargs={"city_slug": self.city.slug, "pk": self.pk}
        )


@tracked()
class Property(CityOwned):
    landlord = models.ForeignKey(
        Landlord, on_delete=models.CASCADE, related_name="properties", verbose_name=_("landlord")
    )
    address = models.CharField(_("address"), max_length=250)
    rooms = models.PositiveSmallIntegerField(_("rooms"), default=1)
    monthly_rent = models.DecimalField(
        _("asked monthly rent (EUR)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    notes = models.CharField(_("notes"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("property")
        verbose_name_plural = _("properties")
        ordering = ["address", "id"]

    def __str__(self) -> str:
        return self.address


@tracked()
class Mediation(CityOwned):
    """A step of the comune's mediation with a landlord."""

    landlord = models.ForeignKey(
        Landlord, on_delete=models.CASCADE, related_name="mediations", verbose_name=_("landlord")
    )
    on = models.DateField(_("date"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=MediationOutcome.choices)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("mediation")
        verbose_name_plural = _("mediations")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.on} {self.outcome}"


@tracked()
class RentSupport(CityOwned):
    """Money toward a person's (or household's) rent: a monthly contribution for some months."""

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="rent_supports",
        verbose_name=_("person (head of household)"),
    )
    household_size = models.PositiveSmallIntegerField(_("household size"), default=1)
    landlord = models.ForeignKey(
        Landlord, on_delete=models.PROTECT, related_name="rent_supports", verbose_name=_("landlord")
    )
    rented_property = models.ForeignKey(
        Property,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("property"),
    )
    edition = models.ForeignKey(
        "network.Edition", on_delete=models.PROTECT, related_name="+", verbose_name=_("edition")
    )
    start_date = models.DateField(_("first month"))
    months = models.PositiveSmallIntegerField(_("months"))
    monthly_rent = models.DecimalField(_("monthly rent (EUR)"), max_digits=8, decimal_places=2)
    contribution = models.DecimalField(
        _("monthly contribution (EUR)"), max_digits=8, decimal_places=2
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("rent support")
        verbose_name_plural = _("rent supports")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(months__gte=1, months__lte=36), name="rent_support_months_range"
            ),
            models.CheckConstraint(
                condition=Q(contribution__gt=0) & Q(contribution__lte=F("monthly_rent")),
                name="rent_support_contribution_within_rent",
            ),
            models.CheckConstraint(
                condition=Q(household_size__gte=1), name="rent_support_household_size"
            ),
        ]
        indexes = [
            models.Index(fields=["city", "edition"]),
            models.Index(fields=["city", "start_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.start_date} × {self.months}"

    def get_absolute_url(self) -> str:
        return reverse("housing:rent_detail", kwargs={"city_slug": self.city.slug, "pk": self.pk})

    @property
    def planned_total(self):
        return self.contribution * self.months


@tracked()
class RentPayment(CityOwned):
    rent_support = models.ForeignKey(
        RentSupport, on_delete=models.CASCADE, related_name="payments", verbose_name=_("support")
    )
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount (EUR)"), max_digits=8, decimal_places=2)
    notes = models.CharField(_("notes"), max_length=250, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="rent_payment_positive")
        ]
        indexes = [models.Index(fields=["city", "paid_on"])]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.amount}"


@tracked()
class Milestone(CityOwned):
    """A step on the way to an autonomous home."""

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="housing_milestones",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("milestone"), max_length=30, choices=MilestoneKind.choices)
    reached_on = models.DateField(_("reached on"))
    notes = models.CharField(_("notes"), max_length=250, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("autonomy milestone")
        verbose_name_plural = _("autonomy milestones")
        ordering = ["-reached_on", "-id"]
        indexes = [models.Index(fields=["city", "kind", "reached_on"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.reached_on}"
