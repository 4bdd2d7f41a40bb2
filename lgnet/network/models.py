"""The network: editions, member cities, partner organisations, agreements and sites."""

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lgnet.core.history import tracked
from lgnet.core.models import CityOwned, TimeStamped

# City slugs appear in URLs (/c/<slug>/) and in the X-City header.
RESERVED_SLUGS = {"api", "accounts", "admin", "static", "media", "healthz", "i18n", "rete", "c"}


@tracked()
class Edition(TimeStamped):
    """A network edition (rete, edizione): LgNetEA, LgNet2, LGNET3."""

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9_]+$", _("Use capital letters, digits and _."))],
    )
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    fund = models.CharField(
        _("fund"), max_length=120, blank=True, help_text=_("For example FAMI 2014-2020.")
    )
    cities = models.ManyToManyField(
        "City", through="Participation", related_name="editions", verbose_name=_("cities")
    )

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="edition_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name


@tracked()
class City(TimeStamped):
    """A comune (or the body acting for it): the data controller of its beneficiaries."""

    istat_code = models.CharField(
        _("ISTAT code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("The ISTAT code has six digits."))],
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name"), max_length=40, unique=True)
    region = models.CharField(_("region"), max_length=60)
    controller = models.CharField(
        _("data controller"),
        max_length=200,
        blank=True,
        help_text=_("The body holding the data, when not the comune itself."),
    )

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:city_home", kwargs={"city_slug": self.slug})

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("This short name is reserved.")})


@tracked()
class Participation(TimeStamped):
    """A city's membership of an edition, with its budget and target."""

    edition = models.ForeignKey(
        Edition,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("edition"),
    )
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="participations", verbose_name=_("city")
    )
    budget = models.DecimalField(
        _("budget (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    target_beneficiaries = models.PositiveIntegerField(
        _("target number of beneficiaries"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["edition", "city__name"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "city"], name="participation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.city} — {self.edition}"


@tracked()
class Organisation(CityOwned):
    """The comune itself or a partner working with it (cooperative, IOM, UEPE...)."""

    class Kind(models.TextChoices):
        COMUNE = "comune", _("Comune")
        SOCIAL_COOPERATIVE = "social_cooperative", _("Social cooperative")
        INTERNATIONAL = "international", _("International organisation")
        PUBLIC_OFFICE = "public_office", _("Public office (e.g. UEPE)")
        HEALTH = "health", _("Health service")
        SCHOOL = "school", _("School")
        THEATRE = "theatre", _("Theatre")
        ASSOCIATION = "association", _("Association")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    tax_code = models.CharField(_("tax code / VAT number"), max_length=16, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["city", "name"], name="organisation_unique_name")
        ]
        indexes = [models.Index(fields=["city", "kind"])]

    def __str__(self) -> str:
        return self.name


@tracked()
class Agreement(CityOwned):
    """A convenzione between the city and a partner organisation."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=200)
    scope = models.TextField(_("scope"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="agreement_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["city", "organisation"])]

    def __str__(self) -> str:
        return self.title

    def is_in_force_on(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


@tracked()
class Site(CityOwned):
    """Where things happen: a one-stop shop, a mobile unit's base, a shelter, a school."""

    class Kind(models.TextChoices):
        ONE_STOP_SHOP = "one_stop_shop", _("One-stop shop")
        MOBILE_UNIT = "mobile_unit", _("Mobile unit")
        SHELTER = "shelter", _("Shelter")
        SCHOOL = "school", _("School")
        GARDEN = "garden", _("Garden")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sites",
        verbose_name=_("run by"),
    )
    address = models.CharField(_("address"), max_length=250, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["city", "name"], name="site_unique_name")]
        indexes = [models.Index(fields=["city", "kind"])]

    def __str__(self) -> str:
        return self.name
