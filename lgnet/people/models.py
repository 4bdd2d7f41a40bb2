"""The person registry and first contacts."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from lgnet.core.history import tracked
from lgnet.core.models import CityOwned
from lgnet.people.choices import (
    AgeBand,
    Channel,
    Dwelling,
    LegalStatus,
    NoticeChannel,
    Outcome,
    Precision,
    Relation,
    Sex,
)

PERMIT_WARNING_DAYS = 60


class PersonQuerySet(models.QuerySet):
    def current(self):
        """Persons not merged into another record."""
        return self.filter(merged_into__isnull=True)

    def permit_expiring(self, today: date | None = None):
        today = today or timezone.localdate()
        return self.filter(
            permit_expiry__gte=today, permit_expiry__lte=today + timedelta(days=PERMIT_WARNING_DAYS)
        )


PersonManager = ScopedManager(
    city="city", _manager_class=models.Manager.from_queryset(PersonQuerySet)
)


@tracked()
class Person(CityOwned):
    """Someone the city serves (beneficiario). Belongs to exactly one city."""

    given_names = models.CharField(_("given names"), max_length=150)
    family_names = models.CharField(_("family names"), max_length=150)
    original_script_name = models.CharField(
        _("name in the original script"), max_length=200, blank=True
    )
    aliases = ArrayField(
        models.CharField(max_length=150), default=list, blank=True, verbose_name=_("aliases")
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    birth_date_precision = models.CharField(
        _("birth date precision"),
        max_length=10,
        choices=Precision.choices,
        default=Precision.DAY,
    )
    nationalities = ArrayField(
        models.CharField(max_length=2), default=list, blank=True, verbose_name=_("nationalities")
    )
    languages = ArrayField(
        models.CharField(max_length=3), default=list, blank=True, verbose_name=_("languages")
    )
    codice_fiscale = models.CharField(_("codice fiscale"), max_length=16, blank=True)
    legal_status = models.CharField(
        _("residence permit"),
        max_length=30,
        choices=LegalStatus.choices,
        default=LegalStatus.UNKNOWN,
    )
    permit_number = models.CharField(_("permit number"), max_length=40, blank=True)
    permit_expiry = models.DateField(_("permit expiry"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    dwelling = models.CharField(_("dwelling"), max_length=30, choices=Dwelling.choices, blank=True)
    vulnerabilities = ArrayField(
        models.CharField(max_length=30), default=list, blank=True, verbose_name=_("vulnerabilities")
    )
    privacy_notice_on = models.DateField(_("privacy notice given on"), null=True, blank=True)
    privacy_notice_language = models.CharField(
        _("privacy notice language"), max_length=3, blank=True
    )
    privacy_notice_channel = models.CharField(
        _("privacy notice given as"), max_length=12, choices=NoticeChannel.choices, blank=True
    )
    privacy_notice_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("privacy notice given by"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    external_id = models.CharField(_("external id"), max_length=80, blank=True)
    # Art. 18 GDPR: only the city coordinator opens a restricted file (privacy app).
    is_restricted = models.BooleanField(_("processing restricted"), default=False)
    # Set when erasure or retention anonymised the record: names, contacts, documents gone.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_records",
        verbose_name=_("merged into"),
    )
    # Kept by the services from the fields above, for matching and network linkage.
    name_search = models.CharField(max_length=320, blank=True, editable=False)
    match_keys = ArrayField(
        models.CharField(max_length=100), default=list, blank=True, editable=False
    )
    birth_year = models.PositiveSmallIntegerField(null=True, editable=False)
    linkage_cf = models.CharField(max_length=64, blank=True, editable=False)
    linkage_bloom = models.CharField(max_length=160, blank=True, editable=False)

    objects = PersonManager

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["family_names", "given_names"]
        indexes = [
            models.Index(fields=["city", "family_names", "given_names"]),
            models.Index(fields=["city", "birth_year"]),
            models.Index(Upper("codice_fiscale"), "city", name="person_cf_idx"),
            models.Index(fields=["city", "permit_expiry"]),
            GinIndex(fields=["match_keys"], name="person_match_keys_gin"),
            GinIndex(OpClass("name_search", name="gin_trgm_ops"), name="person_name_trgm"),
            models.Index(fields=["linkage_cf"], name="person_linkage_cf_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(merged_into=F("id")), name="person_not_merged_into_itself"
            ),
            # Imports and the demo name their rows: a second run finds them again.
            models.UniqueConstraint(
                fields=["city", "external_id"],
                condition=~Q(external_id=""),
                name="person_external_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given_names} {self.family_names}"

    def get_absolute_url(self) -> str:
        return reverse("people:detail", kwargs={"city_slug": self.city.slug, "pk": self.pk})

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_names}"

    @property
    def permit_expiring_soon(self) -> bool:
        if self.permit_expiry is None:
            return False
        today = timezone.localdate()
        return today <= self.permit_expiry <= today + timedelta(days=PERMIT_WARNING_DAYS)

    @property
    def permit_expired(self) -> bool:
        return self.permit_expiry is not None and self.permit_expiry < timezone.localdate()

    @property
    def birth_display(self) -> str:
        if self.birth_date_precision == Precision.YEAR:
            return str(self.birth_date.year)
        if self.birth_date_precision == Precision.MONTH:
            return self.birth_date.strftime("%m/%Y")
        if self.birth_date_precision == Precision.ESTIMATED:
            return f"~{self.birth_date.year}"
        return self.birth_date.strftime("%d/%m/%Y")

    @property
    def nationality_names(self) -> list[str]:
        from lgnet.people.choices import country_name

        return [country_name(code) for code in self.nationalities]

    @property
    def language_names(self) -> list[str]:
        from lgnet.people.choices import language_name

        return [language_name(code) for code in self.languages]

    @property
    def vulnerability_labels(self) -> list[str]:
        from lgnet.people.choices import Vulnerability

        labels = dict(Vulnerability.choices)
        return [str(labels.get(code, code)) for code in self.vulnerabilities]

    def age_on(self, day: date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@tracked()
class HouseholdLink(CityOwned):
    """A family member of a person, registered or not."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="household", verbose_name=_("person")
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    relative = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered relative"),
    )
    name = models.CharField(_("name (if not registered)"), max_length=200, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    lives_with = models.BooleanField(_("lives with the person"), default=False)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [
            models.CheckConstraint(
                condition=Q(relative__isnull=False) | ~Q(name=""),
                name="household_link_names_someone",
            ),
            models.CheckConstraint(
                condition=~Q(relative=F("person")), name="household_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_relation_display()}: {self.relative or self.name}"


@tracked()
class Contact(CityOwned):
    """A first contact (primo contatto), at the desk or in the street, maybe anonymous."""

    channel = models.CharField(_("where"), max_length=10, choices=Channel.choices)
    site = models.ForeignKey(
        "network.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
    )
    place = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("Street, square or landmark, for street contacts."),
    )
    occurred_at = models.DateTimeField(_("date and time"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("person"),
    )
    anonymous_sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    anonymous_age_band = models.CharField(
        _("age band"), max_length=6, choices=AgeBand.choices, blank=True
    )
    anonymous_nationality = models.CharField(_("nationality"), max_length=2, blank=True)
    needs = ArrayField(
        models.CharField(max_length=20), default=list, blank=True, verbose_name=_("needs spotted")
    )
    help_given = ArrayField(
        models.CharField(max_length=20),
        default=list,
        blank=True,
        verbose_name=_("immediate help given"),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["city", "-occurred_at"]),
            models.Index(fields=["city", "recorded_by", "-occurred_at"]),
            models.Index(fields=["city", "channel", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.get_channel_display()}"

    @property
    def is_anonymous(self) -> bool:
        return self.person_id is None


class PairDecision(CityOwned):
    """Two records an operator judged not to be the same person: never proposed again."""

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="pair_decision_unique"),
            models.CheckConstraint(
                condition=Q(first__lt=F("second")), name="pair_decision_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"


class Merge(CityOwned):
    """A merge of a duplicate into the surviving record, with the values chosen."""

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    fields_taken = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    moved = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.survivor_id}"


class NetworkCount(models.Model):
    """The unique-person count of an edition across its cities, computed in the background
    from pseudonymous keys and stored: the network's pages read this row, never the
    registry (see decision 0009: network pages read aggregates only)."""

    edition = models.OneToOneField(
        "network.Edition", on_delete=models.CASCADE, related_name="network_count"
    )
    cities = models.PositiveIntegerField(default=0)
    records = models.PositiveIntegerField(default=0)
    unique_persons = models.PositiveIntegerField(default=0)
    in_several_cities = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("network count")

    def __str__(self) -> str:
        return f"{self.edition_id}: {self.unique_persons}"
