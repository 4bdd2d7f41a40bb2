"""Demo monitoring: targets, figures for every city and edition, and period reports —
LgNetEA and LgNet2 closed with every city's report approved (Taranto's LgNet2
beneficiaries: 65), LGNET3 running with quarterly reports in every state."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.apps import apps
from django.db import connection

from lgnet.accounts.models import User
from lgnet.monitoring import engine, services, standard_set
from lgnet.monitoring.models import FigureRun, Indicator, PeriodReport, Target
from lgnet.network.models import Edition

# Targets per beneficiary planned (the participation's target), for the other headline figures.
TARGET_RATIOS = {
    "new_beneficiaries": Decimal("0.8"),
    "contacts": Decimal(3),
    "services": Decimal(4),
    "bed_nights": Decimal(20),
    "course_participants": Decimal("0.4"),
    "civic_hours": Decimal(10),
}
NARRATIVE = {
    "activities": "Sportello aperto cinque giorni su sette; uscite dell'unità mobile tre sere a "
    "settimana; corsi di italiano con il CPIA.",
    "deviations": "Nessuno scostamento rilevante dal piano.",
    "problems": "Tempi lunghi per i permessi di soggiorno: accompagnamento in Questura.",
    "staff_changes": "Nessuna.",
    "partner_roles": "La cooperativa gestisce sportello, unità mobile e accoglienza.",
}


def _quarters(edition: Edition, today: date) -> list[tuple[date, date]]:
    done = [
        p
        for p in engine.standard_periods(edition)
        if p[1] < today and (p[1].month - p[0].month == 2) and p[0].day == 1
    ]
    return done[-4:]


def seed_monitoring(scale: int = 1) -> None:
    standard_set.load(apps)
    network = User.objects.filter(username="rete").first()
    if network is None:
        return
    today = date.today()  # noqa: DTZ011 - demo dates only
    indicators = {i.code: i for i in Indicator.objects.all()}
    editions = list(Edition.objects.prefetch_related("participations__city"))
    for edition in editions:
        for participation in edition.participations.all():
            planned = participation.target_beneficiaries
            if not planned or edition.ends_on < today:
                continue
            for code, ratio in TARGET_RATIOS.items():
                Target.objects.get_or_create(
                    edition=edition,
                    city=participation.city,
                    indicator=indicators[code],
                    defaults={"value": (planned * ratio).quantize(Decimal(1))},
                )
    # A second run the same day (make run again, the idempotency test) finds them current:
    # the demo's data only changes on its first run, and later changes schedule a refresh.
    fresh = set(
        FigureRun.objects.filter(computed_at__date=today).values_list("city_id", "edition_id")
    )
    if len(fresh) < sum(len(e.participations.all()) for e in editions):
        # The registry, cases and activities were written in this transaction: without
        # statistics on them, the planner takes the tables for empty and the figures' queries
        # loop over whole tables (minutes instead of seconds). ANALYZE sees our own rows.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    for edition in editions:
        for participation in edition.participations.all():
            if (participation.city_id, edition.pk) not in fresh:
                engine.refresh(participation.city, edition)
    engine.refresh_network_counts(editions)
    if PeriodReport.objects.exists():
        return  # idempotent: the reports were made on the first run
    for edition in editions:
        for participation in edition.participations.all():
            city = participation.city
            coordinator = User.objects.filter(username=f"{city.slug}.coordinatore").first()
            if coordinator is None:
                continue
            if edition.ends_on < today:
                _report(
                    edition,
                    city,
                    coordinator,
                    network,
                    edition.starts_on,
                    edition.ends_on,
                    "approved",
                )
                continue
            quarters = _quarters(edition, today)
            # Every state on the showcase cities; elsewhere the last two quarters.
            states = ["approved", "submitted"]
            if city.slug in ("taranto", "milano", "roma"):
                states = ["approved", "submitted", "returned", "draft"]
            for (start, end), state in zip(quarters[-len(states) :], states, strict=False):
                _report(edition, city, coordinator, network, start, end, state)


def _report(edition, city, coordinator, network, start, end, state) -> None:
    # The figures were just refreshed: the reports take them from the stored rows.
    report = services.open_report(
        actor=coordinator,
        city=city,
        edition=edition,
        period_start=start,
        period_end=end,
        from_stored=True,
    )
    services.update_report(actor=coordinator, report=report, changes=NARRATIVE)
    if state == "draft":
        return
    services.submit_report(actor=coordinator, report=report, from_stored=True)
    if state == "submitted":
        return
    if state == "returned":
        services.return_report(
            actor=network,
            report=report,
            comment="Manca il ruolo dei partner nelle attività abitative: completate, grazie.",
        )
        return
    services.approve_report(actor=network, report=report)
