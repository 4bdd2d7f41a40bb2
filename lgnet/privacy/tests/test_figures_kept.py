"""Anonymisation leaves every figure already counted as it was: the approved report's, and
every breakdown the engine computes again afterwards (sex, age band, nationality,
vulnerability, area, category) for every stored period."""

from datetime import date

from django_scopes import scopes_disabled

from lgnet.people.models import Person
from lgnet.privacy import services


def _every_row(city, edition) -> list:
    """Every indicator's rows for every stored period, computed now, vulnerability included."""
    from lgnet.monitoring import engine
    from lgnet.monitoring.models import Indicator

    periods = engine.stored_periods(edition)
    rows = []
    with scopes_disabled():
        for indicator in Indicator.objects.order_by("code"):
            for row in engine.compute(indicator, city, periods):
                rows.append((indicator.code, *(str(v) for v in vars(row).values())))
    return sorted(rows)


def _setup(world, birth_date: date):
    """Person A: born on ``birth_date``, a case of 2024 closed on 30 September, counted in an
    edition of 2024 whose yearly report was approved."""
    from lgnet.cases.services import close_case
    from lgnet.monitoring.services import approve_report, open_report, submit_report
    from lgnet.network.models import Edition, Participation

    person = world.a.person
    with scopes_disabled():
        Person.objects.filter(pk=person.pk).update(birth_date=birth_date)
        edition = Edition.objects.create(
            code="LGNET3", name="LGNET3", starts_on=date(2024, 1, 1), ends_on=date(2024, 12, 31)
        )
        Participation.objects.create(edition=edition, city=world.a.city, target_beneficiaries=9)
        close_case(
            actor=world.user("caseworker"),
            case=world.a.case,
            outcome="goals_reached",
            closed_on=date(2024, 9, 30),
        )
        report = open_report(
            actor=world.user("coordinator"),
            city=world.a.city,
            edition=edition,
            period_start=date(2024, 1, 1),
            period_end=date(2024, 12, 31),
        )
        submit_report(actor=world.user("coordinator"), report=report)
        approve_report(actor=world.user("network"), report=report)
        services.save_policy(
            actor=world.user("network"), kind="closed_cases", months=12, is_active=True
        )
    return person, edition, report


def _report_figures(report) -> dict:
    with scopes_disabled():
        return {f.indicator.code: f.value for f in report.figures.select_related("indicator")}


def test_retention_keeps_the_approved_figures_and_every_breakdown(world):
    # 17 when the case opens (March 2024), 18 from 20 June: the age band turns inside the
    # counted periods, where a birth date moved to 1 January would turn it earlier.
    person, edition, report = _setup(world, date(2006, 6, 20))
    before = _every_row(world.a.city, edition)
    approved = _report_figures(report)
    # the test can fail: the person is counted in both bands and as vulnerable
    bands = {row[4] for row in before}
    assert {"0-17", "18-24"} <= bands, bands
    assert any(row[6] == "yes" for row in before)
    assert approved["beneficiaries"] == 1

    run = services.run_retention(today=date(2026, 1, 1))
    assert run.counts == {"taranto": {"closed_cases": 1}}
    person.refresh_from_db()
    assert person.anonymised_at is not None and person.given_names == "Anonimo"

    assert _every_row(world.a.city, edition) == before
    assert _report_figures(report) == approved
    from lgnet.monitoring import engine

    with scopes_disabled():  # counted again from the anonymised rows: the same totals
        recounted = engine.compute_totals(world.a.city, report.period_start, report.period_end)
    assert {code: recounted[code] for code in approved} == approved


def test_erasure_keeps_the_age_at_the_start_of_every_month(world):
    """The birth day goes; the date kept gives the same completed years on the first day of
    every month (the periods the figures are kept for start there)."""
    from lgnet.privacy.builtin import coarse_birth_date

    for born in (date(2006, 6, 20), date(2006, 6, 1), date(2000, 2, 29), date(1990, 12, 31)):
        kept = coarse_birth_date(born)
        assert (kept.year, kept.month) == (born.year, born.month)
        for year in range(born.year, born.year + 70):
            for month in range(1, 13):
                first = date(year, month, 1)
                assert _age(first, kept) == _age(first, born), (born, kept, first)


def _age(on: date, born: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
