"""Monitoring: the indicator catalogue, targets, aggregate figures and period reports.

Figure rows are aggregates (counts and sums per city, edition, indicator, period and
breakdown): the network level reads only these, never a person-level table.
"""

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lgnet.core.history import tracked
from lgnet.core.models import CityOwned, TimeStamped


class Unit(models.TextChoices):
    PERSONS = "persons", _("persons")
    CONTACTS = "contacts", _("contacts")
    SERVICES = "services", _("services")
    CASES = "cases", _("cases")
    REFERRALS = "referrals", _("referrals")
    HOURS = "hours", _("hours")
    BED_NIGHTS = "bed_nights", _("bed-nights")
    EUROS = "euros", _("euros")
    PERCENT = "percent", _("percent")
    EVENTS = "events", _("events")


class Dimension(models.TextChoices):
    """Breakdowns a figure may have. `vulnerable` is for city users only."""

    SEX = "sex", _("sex")
    AGE_BAND = "age_band", _("age band at the period's start")
    NATIONALITY = "nationality", _("nationality")
    ACTION_AREA = "action_area", _("action area")
    MONTH = "month", _("month")
    CATEGORY = "category", _("type")
    VULNERABLE = "vulnerable", _("vulnerability")


CITY_ONLY_DIMENSIONS = {Dimension.VULNERABLE}


@tracked()
class FundIndicator(TimeStamped):
    """A common indicator of a fund (AMIF 2021-2027, Annex VIII of Reg. (EU) 2021/1147)."""

    class Kind(models.TextChoices):
        OUTPUT = "output", _("output")
        RESULT = "result", _("result")

    programme = models.CharField(_("programming period"), max_length=40)
    code = models.CharField(_("code"), max_length=20)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name_en = models.CharField(_("name (English)"), max_length=400)
    name_it = models.CharField(_("name (Italian)"), max_length=400)
    reference = models.CharField(_("legal reference"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("fund indicator")
        verbose_name_plural = _("fund indicators")
        ordering = ["programme", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="fund_indicator_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_en}"


@tracked()
class Indicator(TimeStamped):
    """A defined count over the cities' data; the measure is code registered in measures.py."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_it = models.CharField(_("name (Italian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    definition_it = models.TextField(_("definition (Italian)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices)
    measure = models.CharField(_("measure"), max_length=60)
    breakdowns = ArrayField(
        models.CharField(max_length=20, choices=Dimension.choices),
        default=list,
        blank=True,
        verbose_name=_("allowed breakdowns"),
    )
    category_label_en = models.CharField(_("type means (English)"), max_length=60, blank=True)
    category_label_it = models.CharField(_("type means (Italian)"), max_length=60, blank=True)
    capability = models.CharField(_("counts data of"), max_length=20, default="cases")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_active = models.BooleanField(_("active"), default=True)
    is_headline = models.BooleanField(_("on the dashboards' first table"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    fund_indicators = models.ManyToManyField(
        FundIndicator, blank=True, related_name="indicators", verbose_name=_("feeds")
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "it").startswith("en") else self.name_it

    @property
    def definition(self) -> str:
        from django.utils.translation import get_language

        english = (get_language() or "it").startswith("en")
        return self.definition_en if english else self.definition_it

    @property
    def is_additive(self) -> bool:
        return self.unit != Unit.PERCENT


@tracked()
class Target(CityOwned):
    """What a city should reach on an indicator in an edition (set by the network)."""

    edition = models.ForeignKey(
        "network.Edition", on_delete=models.CASCADE, related_name="+", verbose_name=_("edition")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="targets", verbose_name=_("indicator")
    )
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["edition", "indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "city", "indicator"], name="target_unique"),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_not_negative"),
        ]
        indexes = [models.Index(fields=["edition", "indicator"])]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.value}"


class Figure(CityOwned):
    """One aggregate cell: city × edition × indicator × period × breakdown → value.

    Rows with an empty action_area partition the persons (each counted once per period);
    rows with an action area count a person in every area of their cases, so they are
    read only when the breakdown asks for the area. Periods are the edition's months,
    quarters, halves, years and whole span, plus every reported period.
    """

    edition = models.ForeignKey("network.Edition", on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    sex = models.CharField(max_length=1, blank=True)
    age_band = models.CharField(max_length=6, blank=True)
    nationality = models.CharField(max_length=2, blank=True)
    vulnerable = models.CharField(max_length=3, blank=True)
    action_area = models.CharField(max_length=20, blank=True)
    category = models.CharField(max_length=60, blank=True)
    value = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        indexes = [
            # Covering: the dashboards' sums over cities and months read the index alone.
            models.Index(
                fields=["edition", "indicator", "period_start", "period_end", "city"],
                include=["action_area", "value"],
                name="figure_lookup_cover_idx",
            ),
            models.Index(fields=["city", "edition"], name="figure_city_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_start}–{self.period_end}: {self.value}"


class FigureRun(CityOwned):
    """When a city's figures for an edition were last computed."""

    edition = models.ForeignKey("network.Edition", on_delete=models.CASCADE, related_name="+")
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["city", "edition"], name="figure_run_unique")
        ]

    def __str__(self) -> str:
        return f"{self.city_id}/{self.edition_id} {self.computed_at}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


@tracked()
class PeriodReport(CityOwned):
    """A city's figures and narrative for a period: draft → submitted → approved (frozen)."""

    edition = models.ForeignKey(
        "network.Edition", on_delete=models.PROTECT, related_name="+", verbose_name=_("edition")
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    activities = models.TextField(_("activities done"), blank=True, max_length=10000)
    deviations = models.TextField(_("deviations from the plan"), blank=True, max_length=10000)
    problems = models.TextField(_("problems and solutions"), blank=True, max_length=10000)
    staff_changes = models.TextField(_("staff changes"), blank=True, max_length=5000)
    partner_roles = models.TextField(_("each partner's role"), blank=True, max_length=10000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("period report")
        verbose_name_plural = _("period reports")
        ordering = ["-period_start", "city__name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "edition", "period_start", "period_end", "version"],
                name="period_report_unique_version",
            ),
            # One report not yet approved per city and period: the next version waits.
            models.UniqueConstraint(
                fields=["city", "edition", "period_start", "period_end"],
                condition=~Q(status="approved"),
                name="period_report_one_open",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="period_report_ends_after"
            ),
        ]
        indexes = [
            models.Index(fields=["city", "edition", "status"]),
            models.Index(fields=["edition", "status"]),
        ]
        triggers = [
            # An approved report is final: no change, no deletion, whatever the code path.
            pgtrigger.Protect(
                name="period_report_approved_frozen",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__status="approved"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.edition_id} {self.period_start}–{self.period_end} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse(
            "monitoring:report_detail", kwargs={"city_slug": self.city.slug, "pk": self.pk}
        )

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


FROZEN_FIGURE_FUNC = """
IF EXISTS (
    SELECT 1 FROM monitoring_periodreport r
    WHERE r.id = (CASE WHEN TG_OP = 'INSERT' THEN NEW.report_id ELSE OLD.report_id END)
      AND r.status = 'approved'
) THEN
    RAISE EXCEPTION 'the figures of an approved report cannot change'
        USING ERRCODE = 'integrity_constraint_violation';
END IF;
IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
RETURN NEW;
"""


class ReportFigure(CityOwned):
    """A report's figure for one indicator: a stored copy, frozen once the report is approved."""

    report = models.ForeignKey(PeriodReport, on_delete=models.CASCADE, related_name="figures")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        ordering = ["indicator__order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="report_figure_unique")
        ]
        triggers = [
            pgtrigger.Trigger(
                name="report_figure_frozen",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
                func=FROZEN_FIGURE_FUNC,
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.indicator_id}: {self.value}"


class ReportStep(CityOwned):
    """A step of a report's workflow with its comment (submitted, returned, approved)."""

    report = models.ForeignKey(PeriodReport, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=10, choices=ReportStatus.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=5000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        triggers = [
            pgtrigger.Protect(
                name="report_step_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.action}"
