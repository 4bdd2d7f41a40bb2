"""The refresh of the stored figures: the one-pass measures store exactly the rows of the
reference shape, and a change recomputes only the periods it touches."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from lgnet.cases.models import Case, ServiceType
from lgnet.cases.services import close_case, open_case, record_service
from lgnet.monitoring import engine, measures
from lgnet.monitoring.models import Figure, Indicator
from lgnet.monitoring.tests import reference_measures
from lgnet.network.models import Edition, Participation
from lgnet.people.models import Contact
from lgnet.people.services import register_person

ROME = ZoneInfo("Europe/Rome")
FIELDS = engine.COLUMNS  # a stored figure row's fields


def _person(world, name, sex="F", born=date(1995, 5, 1), nationalities=("NG",)):
    return register_person(
        actor=world.user("caseworker"),
        city=world.a.city,
        data={
            "given_names": name,
            "family_names": "Refresh",
            "sex": sex,
            "birth_date": born,
            "nationalities": list(nationalities),
        },
    )


def _contact(world, when, *, person=None, channel="street", **anonymous):
    return Contact.objects.create(
        city=world.a.city,
        channel=channel,
        occurred_at=when,
        recorded_by=world.user("outreach"),
        person=person,
        outcome="sent_to_desk",
        **anonymous,
    )


@pytest.fixture
def edges(world):
    """Data on the edges the measures must agree on: birthdays on leap days and on period
    starts, no nationality, cases in several areas or none, two cases opened the same
    day, dates on the first and last day of periods, contacts around local midnight and on
    the days the clocks change. Plus the world's placements, rent support and course."""
    with scopes_disabled():
        worker = world.user("caseworker")
        leap = _person(world, "Leap", born=date(2004, 2, 29))
        turns = _person(world, "Turns", sex="M", born=date(2005, 7, 1), nationalities=("MA",))
        unknown = _person(world, "Unknown", born=date(1993, 1, 1), nationalities=())
        old = _person(world, "Old", born=date(1958, 4, 1))
        a = open_case(
            actor=worker, person=leap, opened_on=date(2023, 2, 28), areas=["taking_in_charge"]
        )
        close_case(actor=worker, case=a, outcome="goals_reached", closed_on=date(2023, 3, 31))
        open_case(actor=worker, person=leap, opened_on=date(2023, 9, 1), areas=["housing"])
        b = open_case(
            actor=worker,
            person=turns,
            opened_on=date(2023, 7, 1),
            areas=["taking_in_charge", "housing", "civic_engagement"],
        )
        # A second case opened the same day (an old record, closed, in no area).
        b2 = Case.objects.get(pk=b.pk)
        b2.pk, b2.number, b2.status = None, f"{b.number}-bis", "closed"
        b2.closed_on, b2.outcome = date(2023, 9, 30), "other"
        b2.save()
        c = open_case(actor=worker, person=unknown, opened_on=date(2023, 1, 1), areas=[])
        close_case(actor=worker, case=c, outcome="other", closed_on=date(2023, 6, 30))
        d = open_case(actor=worker, person=old, opened_on=date(2023, 12, 31), areas=["housing"])
        Case.objects.filter(pk__in=[b2.pk, c.pk]).update(areas=[])  # older cases have none
        legal = ServiceType.objects.get(code="legal_advice", city=None)
        food = ServiceType.objects.get(code="food_clothing", city=None)
        job = ServiceType.objects.filter(code="job_orientation", city=None).first() or legal
        for case, day, kind in (
            (a, date(2023, 2, 28), legal),
            (a, date(2023, 3, 1), food),
            (a, date(2023, 3, 31), job),
            (b, date(2023, 7, 1), job),
            (b, date(2023, 7, 1), job),
            (b2, date(2023, 9, 30), legal),
            (c, date(2023, 1, 1), food),
            (c, date(2023, 6, 30), job),
            (d, date(2023, 12, 31), legal),
            (d, date(2024, 1, 1), job),
        ):
            record_service(actor=worker, case=case, service_type=kind, delivered_on=day)
        for when, person, extra in (
            (datetime(2023, 3, 31, 23, 30, tzinfo=ROME), None, {"anonymous_sex": "M"}),
            (datetime(2023, 4, 1, 0, 15, tzinfo=ROME), leap, {}),
            (datetime(2023, 3, 26, 1, 30, tzinfo=ROME), None, {"anonymous_age_band": "18-24"}),
            (datetime(2023, 3, 26, 3, 30, tzinfo=ROME), turns, {}),
            (datetime(2023, 10, 29, 2, 30, tzinfo=ROME), None, {"anonymous_nationality": "TN"}),
            (datetime(2023, 12, 31, 23, 59, tzinfo=ROME), old, {}),
            (datetime(2024, 1, 1, 0, 0, tzinfo=ROME), None, {}),
        ):
            _contact(world, when, person=person, **extra)
            _contact(world, when, person=person, channel="desk", **extra)
    return world


PERIODS = [
    *engine.standard_periods(Edition(starts_on=date(2023, 1, 1), ends_on=date(2024, 12, 31))),
    (date(2023, 2, 15), date(2023, 3, 14)),
    (date(2023, 6, 1), date(2023, 6, 1)),
    (date(2023, 2, 28), date(2024, 2, 29)),
]


def _rows(cursor_sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(cursor_sql, params)
        return sorted(tuple(r[:-1]) + (Decimal(r[-1]),) for r in cursor.fetchall())


def _stored_sql(sql: str) -> str:
    return f"SELECT {engine.STORED_COLUMNS} FROM ({sql}) AS q GROUP BY {engine.STORED_GROUP}"  # noqa: S608 - the measures' own SQL


def test_the_one_pass_measures_yield_the_rows_of_the_reference_shape(edges):
    world = edges
    params = engine._params(world.a.city.pk, PERIODS)
    compared = 0
    with scopes_disabled():
        for indicator in Indicator.objects.filter(is_active=True):
            reference = reference_measures.sql_for(indicator.measure)
            fast = measures.sql_for(indicator.measure)
            assert (reference is None) == (fast is None), indicator.code
            if reference is None:
                continue
            expected = _rows(reference, params)
            assert _rows(fast, params) == expected, indicator.code  # live, vulnerability too
            with measures.for_storage():
                stored = measures.sql_for(indicator.measure)
            assert _rows(_stored_sql(stored), params) == _rows(_stored_sql(reference), params), (
                indicator.code
            )
            compared += bool(expected)
    assert compared >= 12  # most measures have rows on this data (13 today)


def _stored_rows(city, edition, periods=None) -> list[tuple]:
    rows = Figure.objects.filter(city=city, edition=edition)
    found = sorted(rows.values_list("indicator__code", *FIELDS))
    if periods is not None:
        found = [r for r in found if (r[1], r[2]) in set(periods)]
    return found


@pytest.fixture
def edition(edges):
    world = edges
    with scopes_disabled():
        edition = Edition.objects.create(
            code="LGNETR", name="Refresh", starts_on=date(2023, 1, 1), ends_on=date(2024, 12, 31)
        )
        Participation.objects.create(edition=edition, city=world.a.city)
    return edition


def test_a_full_refresh_stores_the_rows_of_the_reference_shape(edges, edition):
    world = edges
    city = world.a.city
    periods = engine.stored_periods(edition)
    params = engine._params(city.pk, periods)
    with scopes_disabled():
        engine.refresh(city, edition)
        stored = _stored_rows(city, edition)
        expected = []
        for indicator in Indicator.objects.filter(is_active=True):
            sql = reference_measures.sql_for(indicator.measure)
            if sql is not None:
                expected += [(indicator.code, *r) for r in _rows(_stored_sql(sql), params)]
    assert stored == sorted(expected)
    assert len(stored) > 500


# Incremental refresh: a change recomputes the periods it touches.


def _run_queued(seen: set) -> list[list]:
    """Run the refresh tasks queued since ``seen`` (as the worker would); their arguments."""
    from django_tasks_db.models import DBTaskResult

    ran = []
    for result in DBTaskResult.objects.exclude(pk__in=seen).order_by("enqueued_at", "pk"):
        seen.add(result.pk)
        args, kwargs = result.args_kwargs["args"], result.args_kwargs["kwargs"]
        with scopes_disabled():
            result.task.call(*args, **kwargs)
        ran.append(args)
    return ran


def _queued_now() -> set:
    from django_tasks_db.models import DBTaskResult

    return set(DBTaskResult.objects.values_list("pk", flat=True))


def _by_period(city, edition) -> dict:
    rows = Figure.objects.filter(city=city, edition=edition)
    found: dict = {}
    for row in rows.values("id", "updated_at", "indicator__code", *FIELDS):
        found.setdefault((row["period_start"], row["period_end"]), []).append(row)
    return found


def test_a_change_dated_in_one_month_recomputes_only_the_periods_holding_it(
    edges, edition, django_capture_on_commit_callbacks
):
    world = edges
    city = world.a.city
    with scopes_disabled():
        engine.refresh(city, edition)
        before = _by_period(city, edition)
        case = Case.objects.get(person__given_names="Turns", closed_on=None)
    connection.run_on_commit = []  # forget the callbacks the fixtures left pending
    seen = _queued_now()
    day = date(2023, 8, 10)
    with django_capture_on_commit_callbacks(execute=True), scopes_disabled():
        legal = ServiceType.objects.get(code="legal_advice", city=None)
        record_service(
            actor=world.user("caseworker"), case=case, service_type=legal, delivered_on=day
        )
        record_service(
            actor=world.user("caseworker"), case=case, service_type=legal, delivered_on=day
        )
    # One task for the transaction, carrying the day the change touched.
    assert _run_queued(seen) == [[city.pk, [[day.isoformat(), day.isoformat()]]]]
    touched = {
        (date(2023, 8, 1), date(2023, 8, 31)),
        (date(2023, 7, 1), date(2023, 9, 30)),
        (date(2023, 7, 1), date(2023, 12, 31)),
        (date(2023, 1, 1), date(2023, 12, 31)),
        (date(2023, 1, 1), date(2024, 12, 31)),
    }
    with scopes_disabled():
        assert set(engine.touched_periods(edition, [(day, day)])) == touched
        after = _by_period(city, edition)
        assert after.keys() == before.keys()
        for period, rows in before.items():
            if period in touched:
                assert {r["id"] for r in rows}.isdisjoint({r["id"] for r in after[period]})
            else:  # the very same rows: not rewritten
                assert after[period] == rows, period
        services = Indicator.objects.get(code="services")
        august = after[(date(2023, 8, 1), date(2023, 8, 31))]
        assert (
            sum(
                r["value"]
                for r in august
                if r["indicator__code"] == services.code and not r["action_area"]
            )
            == 2
        )
        incremental = _stored_rows(city, edition)
        engine.refresh(city, edition)
        assert _stored_rows(city, edition) == incremental  # the same as a full recompute


def test_every_kind_of_change_leaves_the_rows_of_a_full_recompute(
    edges, edition, django_capture_on_commit_callbacks
):
    """Old and new dates, a case that changes which case is a person's first, a deletion, a
    person's birth date (the whole edition), a placement's end: after each change and its
    task, the stored rows equal a full recompute."""
    world = edges
    city = world.a.city
    with scopes_disabled():
        engine.refresh(city, edition)
    connection.run_on_commit = []
    seen = _queued_now()

    def first_case_earlier():
        # Leap's first case opened on 28 February; an older, closed one now comes first, so
        # February loses a new beneficiary although its dates are not the new case's.
        first = Case.objects.filter(person__given_names="Leap").order_by("opened_on").first()
        older = Case.objects.get(pk=first.pk)
        older.pk, older.number = None, f"{first.number}-old"
        older.opened_on, older.closed_on, older.status = (
            date(2023, 1, 5),
            date(2023, 1, 20),
            "closed",
        )
        older.outcome = "other"
        older.save()

    def service_moves():
        from lgnet.cases.models import Service

        service = Service.objects.filter(city=city, delivered_on=date(2023, 3, 1)).get()
        service.delivered_on = date(2023, 11, 15)
        service.save()

    def contact_goes():
        Contact.objects.filter(city=city, occurred_at__date=date(2023, 10, 29)).first().delete()

    def case_reopens():
        case = Case.objects.get(person__given_names="Unknown")
        case.closed_on, case.status, case.outcome = None, "active", ""
        case.save()

    def birthday_moves():
        from lgnet.people.models import Person

        person = Person.objects.get(given_names="Old")
        person.birth_date = date(1959, 1, 1)
        person.save()

    def placement_ends():
        placement = world.a.placement
        placement.refresh_from_db()
        placement.end_date = date(2024, 4, 15)
        placement.exit_reason = "autonomous_housing"
        placement.save()

    for change in (
        first_case_earlier,
        service_moves,
        contact_goes,
        case_reopens,
        birthday_moves,
        placement_ends,
    ):
        connection.run_on_commit = []  # each change its own transaction, as in production
        with django_capture_on_commit_callbacks(execute=True), scopes_disabled():
            change()
        ran = _run_queued(seen)
        assert [args[0] for args in ran] == [city.pk], change.__name__
        with scopes_disabled():
            incremental = _stored_rows(city, edition)
            engine.refresh(city, edition)
            assert _stored_rows(city, edition) == incremental, change.__name__


def test_registers_and_head_counts_written_in_bulk_schedule_their_days(
    world, django_capture_on_commit_callbacks
):
    """Attendance and head counts go in with bulk_create (no model signal): they schedule the
    refresh of their session's day and their event's day all the same."""
    from lgnet.activities import services as activities
    from lgnet.activities.models import ActivityKind

    connection.run_on_commit = []  # forget the callbacks the world fixture left pending
    session = world.a.session
    worker = world.user("caseworker")
    with scopes_disabled():
        marks = [activities.Mark(world.a.enrolment, "present")]
        seen = _queued_now()
        with django_capture_on_commit_callbacks(execute=True):
            activities.record_attendance(actor=worker, session=session, marks=marks)
        day = session.date.isoformat()
        ran = _run_queued(seen)
        assert [args[0] for args in ran] == [world.a.city.pk]
        assert [day, day] in ran[0][1]  # the session's day, among the enrolment's span

        event = activities.create_activity(
            actor=worker,
            city=world.a.city,
            data={
                "title": "Festa di quartiere",
                "kind": ActivityKind.EVENT,
                "start_date": date(2024, 5, 18),
                "end_date": date(2024, 5, 18),
                "organisation": world.a.partner,
            },
        )
        connection.run_on_commit = []  # the event's own refresh: not what is tested here
        seen = _queued_now()
        with django_capture_on_commit_callbacks(execute=True):
            activities.record_head_counts(
                actor=worker,
                activity=event,
                counts=[{"sex": "F", "age_band": "18-24", "count": 40}],
            )
        assert _run_queued(seen) == [[world.a.city.pk, [["2024-05-18", "2024-05-18"]]]]


def test_a_refresh_inside_a_longer_transaction_gives_its_settings_back(world, edition):
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_sort")
        before = cursor.fetchone()[0]
        with scopes_disabled():
            engine.refresh(world.a.city, edition)
        cursor.execute("SELECT current_setting('enable_sort'), current_setting('jit')")
        assert cursor.fetchone()[0] == before == "on"


@pytest.mark.django_db
def test_a_long_transaction_keeps_its_pending_spans_bounded():
    from datetime import timedelta

    from lgnet.monitoring import tasks

    connection.run_on_commit = []
    first = date(2024, 1, 1)
    for i in range(1000):  # a big import: a few days per row, each its own span
        day = first + timedelta(days=2 * i)
        tasks.schedule_city(999, [(day, day)])
    (pending,) = [entry[1] for entry in connection.run_on_commit]
    assert len(pending.lgnet_spans) <= 4 * tasks.MAX_SPANS
    # Merged is wider, never narrower: every day scheduled is still covered.
    assert tasks.merged(pending.lgnet_spans) == [(first, first + timedelta(days=1998))]
    connection.run_on_commit = []
