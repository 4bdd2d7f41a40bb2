"""Writes of monitoring: targets, period reports and their workflow, figure refreshes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from lgnet.core import audit
from lgnet.core.exceptions import RuleBroken
from lgnet.monitoring import engine
from lgnet.monitoring.models import (
    Indicator,
    PeriodReport,
    ReportFigure,
    ReportStatus,
    ReportStep,
    Target,
)
from lgnet.network.models import City, Edition, Participation

NARRATIVE = ["activities", "deviations", "problems", "staff_changes", "partner_roles"]


def _in_city_scope(service):
    """Run a service inside the scope of the city it acts on (the report's, or the city named):
    network coordinators act from an empty scope on one city's report."""
    from functools import wraps

    @wraps(service)
    def wrapped(*args, **kwargs):
        city = kwargs["report"].city if "report" in kwargs else kwargs["city"]
        with scope(city=city):
            return service(*args, **kwargs)

    return wrapped


@transaction.atomic
def set_target(
    *, actor, edition: Edition, city: City, indicator: Indicator, value: Decimal
) -> Target:
    """The network sets a member city's target for an indicator in an edition."""
    if not Participation.objects.filter(edition=edition, city=city).exists():
        raise RuleBroken(_("This city is not a member of the edition."), field="city", status=400)
    if value < 0:
        raise RuleBroken(_("A target cannot be negative."), field="value", status=400)
    with scopes_disabled():  # the network writes a row of the named city
        target, _created = Target.objects.update_or_create(
            edition=edition, city=city, indicator=indicator, defaults={"value": value}
        )
    audit.record(
        actor=actor,
        target=target,
        action="monitoring.target_set",
        data={"edition": edition.code, "indicator": indicator.code, "value": str(value)},
    )
    return target


def _write_figures(report: PeriodReport, *, from_stored: bool = False) -> None:
    if from_stored:  # the demo, right after a refresh
        totals = engine.stored_totals(
            report.city, report.edition, report.period_start, report.period_end
        )
    else:
        totals = engine.compute_totals(report.city, report.period_start, report.period_end)
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=totals)}
    report.figures.all().delete()
    ReportFigure.objects.bulk_create(
        [
            ReportFigure(city=report.city, report=report, indicator=indicators[code], value=value)
            for code, value in totals.items()
        ]
    )


@_in_city_scope
@transaction.atomic
def open_report(
    *,
    actor,
    city: City,
    edition: Edition,
    period_start: date,
    period_end: date,
    from_stored: bool = False,
):
    """A city coordinator opens a report for a period of an edition the city belongs to;
    a period already approved gets its next version."""
    if not Participation.objects.filter(edition=edition, city=city).exists():
        raise RuleBroken(
            _("Your city is not a member of this edition."), field="edition", status=400
        )
    if period_end < period_start:
        raise RuleBroken(_("The period ends before it starts."), field="period_end", status=400)
    if period_start < edition.starts_on or period_end > edition.ends_on:
        raise RuleBroken(
            _("The period must lie within the edition (%(start)s – %(end)s).")
            % {"start": edition.starts_on.isoformat(), "end": edition.ends_on.isoformat()},
            field="period_start",
            status=400,
        )
    same = PeriodReport.objects.filter(
        city=city, edition=edition, period_start=period_start, period_end=period_end
    )
    if same.exclude(status=ReportStatus.APPROVED).exists():
        raise RuleBroken(
            _("A report for this period is already open: continue that one."), status=409
        )
    version = (same.aggregate(last=Max("version"))["last"] or 0) + 1
    try:
        with transaction.atomic():
            report = PeriodReport.objects.create(
                city=city,
                edition=edition,
                period_start=period_start,
                period_end=period_end,
                version=version,
                created_by=actor,
            )
    except IntegrityError as error:
        raise RuleBroken(_("A report for this period is already open."), status=409) from error
    _write_figures(report, from_stored=from_stored)
    if (period_start, period_end) not in engine.standard_periods(edition):
        # A new period: this city's rows now, the other cities' through the task.
        engine.refresh(city, edition, [(period_start, period_end)])
        from lgnet.monitoring import tasks

        transaction.on_commit(
            lambda: tasks.schedule_edition(edition.pk, (period_start, period_end))
        )
    audit.record(actor=actor, target=report, action="report.opened", data={"version": version})
    return report


@_in_city_scope
@transaction.atomic
def update_report(*, actor, report: PeriodReport, changes: dict) -> PeriodReport:
    """Narrative parts change while the report is a draft or returned."""
    from lgnet.core.services import save_changes

    if not report.is_editable:
        raise RuleBroken(_("Only a draft or returned report can change."), status=409)
    return save_changes(
        report, changes=changes, fields=NARRATIVE, actor=actor, action="report.updated"
    )


def _lock(report: PeriodReport) -> PeriodReport:
    with scopes_disabled():  # the row named by id, already checked by the caller
        return PeriodReport.objects.select_for_update().get(pk=report.pk)


@_in_city_scope
@transaction.atomic
def submit_report(
    *, actor, report: PeriodReport, comment: str = "", from_stored: bool = False
) -> PeriodReport:
    """The city coordinator submits a draft or returned report; its figures are recounted."""
    report = _lock(report)
    if not report.is_editable:
        raise RuleBroken(_("Only a draft or returned report can be submitted."), status=409)
    _write_figures(report, from_stored=from_stored)
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.save(update_fields=["status", "submitted_at", "updated_at"])
    ReportStep.objects.create(
        city=report.city, report=report, action=ReportStatus.SUBMITTED, comment=comment, by=actor
    )
    audit.record(actor=actor, target=report, action="report.submitted")
    return report


@_in_city_scope
@transaction.atomic
def return_report(*, actor, report: PeriodReport, comment: str) -> PeriodReport:
    """The network sends a submitted report back, saying why."""
    report = _lock(report)
    if report.status != ReportStatus.SUBMITTED:
        raise RuleBroken(_("Only a submitted report can be returned."), status=409)
    if not comment.strip():
        raise RuleBroken(_("Say what needs to change."), field="comment", status=400)
    report.status = ReportStatus.RETURNED
    report.save(update_fields=["status", "updated_at"])
    ReportStep.objects.create(
        city=report.city, report=report, action=ReportStatus.RETURNED, comment=comment, by=actor
    )
    audit.record(actor=actor, target=report, action="report.returned")
    return report


@_in_city_scope
@transaction.atomic
def approve_report(*, actor, report: PeriodReport, comment: str = "") -> PeriodReport:
    """The network approves a submitted report: from now on its figures never change."""
    report = _lock(report)
    if report.status != ReportStatus.SUBMITTED:
        raise RuleBroken(_("Only a submitted report can be approved."), status=409)
    report.status = ReportStatus.APPROVED
    report.approved_at = timezone.now()
    report.approved_by = actor
    report.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    ReportStep.objects.create(
        city=report.city, report=report, action=ReportStatus.APPROVED, comment=comment, by=actor
    )
    audit.record(actor=actor, target=report, action="report.approved")
    return report


def refresh_figures(*, city: City, editions=None) -> int:
    """Recompute a city's stored figures now (the task and the command call this)."""
    return engine.refresh_city(city, editions)
