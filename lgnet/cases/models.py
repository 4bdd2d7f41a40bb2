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
