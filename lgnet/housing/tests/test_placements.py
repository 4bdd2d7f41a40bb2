"""Placements: the database refuses double bookings; the services explain why; moves, extensions,
endings, the waiting list, rent support, milestones and merges."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scope

from lgnet.core.exceptions import RuleBroken
from lgnet.housing import selectors, services
from lgnet.housing.models import Placement, RequestStatus
from lgnet.people.services import register_person

D = date


def person(world, name: str, sex: str = "M", city=None):
    return register_person(
        actor=world.user("caseworker"),
        city=city or world.a.city,
        data={
            "given_names": name,
            "family_names": "Test",
            "sex": sex,
            "birth_date": D(1991, 1, 1),
        },
    )


@pytest.fixture
def a(world):
    with scope(city=world.a.city):
        yield world


def test_the_database_refuses_two_placements_overlapping_on_one_bed(a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(
            city=a.a.city,
            person=a.a.other_person,
            bed=a.a.bed,
            start_date=D(2024, 5, 31),
            end_date=D(2024, 7, 1),
            created_by=a.user("caseworker"),
        )


def test_the_database_refuses_one_person_in_two_beds_at_once(a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(
            city=a.a.city,
            person=a.a.person,
            bed=a.a.spare_bed,
            start_date=D(2024, 4, 1),
            created_by=a.user("caseworker"),
        )


def test_overlap_is_refused_with_the_dates_and_adjacent_ranges_are_accepted(a):
    user = a.user("caseworker")
    with pytest.raises(RuleBroken) as refused:
        services.place_person(
            actor=user, person=a.a.other_person, bed=a.a.bed, start_date=D(2024, 5, 1)
        )
    assert refused.value.status == 409 and refused.value.field == "bed"
    assert "01/03/2024" in str(refused.value.message)  # the dates of the stay in the way
    # The day of leaving is free: the next person sleeps there that night.
    adjacent = services.place_person(
        actor=user, person=a.a.other_person, bed=a.a.bed, start_date=D(2024, 6, 1)
    )
    assert adjacent.end_date is None
    # Before the first placement, ending on its first night, is adjacent too.
    before = person(a, "Before")
    services.place_person(
        actor=user, person=before, bed=a.a.bed, start_date=D(2024, 2, 1), end_date=D(2024, 3, 1)
    )


def test_one_person_cannot_hold_two_beds(a):
    with pytest.raises(RuleBroken) as refused:
        services.place_person(
            actor=a.user("caseworker"),
            person=a.a.person,
            bed=a.a.spare_bed,
            start_date=D(2024, 5, 15),
            end_date=D(2024, 8, 1),
        )
    assert refused.value.status == 409 and refused.value.field == "person"


def test_women_only_beds_refuse_men_and_out_of_service_beds_refuse_everyone(a):
    user = a.user("coordinator")
    services.save_bed(actor=user, bed=a.a.spare_bed, changes={"is_women_only": True})
    with pytest.raises(RuleBroken) as men:
        services.place_person(
            actor=user, person=a.a.other_person, bed=a.a.spare_bed, start_date=D(2024, 1, 1)
        )
    assert men.value.field == "bed" and men.value.status == 400
    woman = person(a, "Amina", sex="F")
    services.put_out_of_service(
        actor=user, bed=a.a.spare_bed, start_date=D(2024, 1, 10), end_date=D(2024, 1, 20)
    )
    with pytest.raises(RuleBroken) as closed:
        services.place_person(actor=user, person=woman, bed=a.a.spare_bed, start_date=D(2024, 1, 5))
    assert closed.value.status == 409
    placed = services.place_person(
        actor=user, person=woman, bed=a.a.spare_bed, start_date=D(2024, 1, 20)
    )
    assert placed.pk
    # A bed cannot go out of service under someone.
    with pytest.raises(RuleBroken):
        services.put_out_of_service(actor=user, bed=a.a.bed, start_date=D(2024, 5, 1))


def test_move_ends_here_and_starts_there_in_one_transaction(a):
    user = a.user("caseworker")
    old = a.a.placement
    moved = services.move_placement(actor=user, placement=old, bed=a.a.spare_bed, on=D(2024, 4, 1))
    old.refresh_from_db()
    assert (old.end_date, old.exit_reason) == (D(2024, 4, 1), "")
    assert (moved.bed, moved.start_date, moved.end_date) == (
        a.a.spare_bed,
        D(2024, 4, 1),
        D(2024, 6, 1),
    )
    assert moved.moved_from == old and moved.case == old.case


def test_a_refused_move_leaves_the_placement_as_it_was(a):
    user = a.user("caseworker")
    other = services.place_person(
        actor=user, person=a.a.other_person, bed=a.a.spare_bed, start_date=D(2024, 5, 1)
    )
    with pytest.raises(RuleBroken) as refused:
        services.move_placement(
            actor=user, placement=a.a.placement, bed=a.a.spare_bed, on=D(2024, 4, 1)
        )
    assert refused.value.status == 409
    a.a.placement.refresh_from_db()
    assert a.a.placement.end_date == D(2024, 6, 1) and a.a.placement.bed == a.a.bed
    assert Placement.objects.filter(person=a.a.person).count() == 1
    assert other.pk


def test_extend_end_and_the_exit_reason(a):
    user = a.user("caseworker")
    placement = services.extend_placement(
        actor=user, placement=a.a.placement, end_date=D(2024, 8, 1)
    )
    assert placement.end_date == D(2024, 8, 1)
    with pytest.raises(RuleBroken):
        services.extend_placement(actor=user, placement=placement, end_date=D(2024, 7, 1))
    blocker = services.place_person(
        actor=user, person=a.a.other_person, bed=a.a.bed, start_date=D(2024, 9, 1)
    )
    with pytest.raises(RuleBroken) as taken:
        services.extend_placement(actor=user, placement=placement, end_date=None)
    assert taken.value.status == 409 and taken.value.field == "bed"
    assert "01/09/2024" in str(taken.value.message)  # the stay that blocks the extension
    with pytest.raises(RuleBroken):
        services.end_placement(
            actor=user, placement=placement, end_date=D(2024, 7, 1), exit_reason=""
        )
    ended = services.end_placement(
        actor=user,
        placement=placement,
        end_date=D(2024, 7, 15),
        exit_reason="autonomous_housing",
    )
    assert ended.exit_reason == "autonomous_housing" and blocker.pk


def test_the_waiting_list_orders_by_urgency_vulnerability_then_date(a):
    user = a.user("caseworker")
    early = services.add_request(
        actor=user,
        person=person(a, "Early"),
        data={"urgency": 3, "vulnerability": 2, "requested_on": D(2024, 1, 1)},
    )
    late_vulnerable = services.add_request(
        actor=user,
        person=person(a, "Vulnerable"),
        data={"urgency": 3, "vulnerability": 3, "requested_on": D(2024, 2, 1)},
    )
    tonight = services.add_request(
        actor=user,
        person=person(a, "Tonight"),
        data={"urgency": 4, "vulnerability": 1, "requested_on": D(2024, 3, 1)},
    )
    order = list(selectors.waiting_list(a.a.city).values_list("pk", flat=True))
    assert order[:3] == [tonight.pk, late_vulnerable.pk, early.pk]
    with pytest.raises(RuleBroken) as twice:
        services.add_request(actor=user, person=a.a.other_person, data={})
    assert twice.value.status == 409


def test_offering_a_matching_bed_turns_the_request_into_a_placement(a):
    user = a.user("caseworker")
    request = a.a.housing_request
    day = D(2024, 4, 1)
    matches = list(selectors.matching_beds(request, day=day))
    assert matches == [a.a.spare_bed]  # bed 1A is taken that night
    placement = services.offer_bed(actor=user, request=request, bed=a.a.spare_bed, start_date=day)
    request.refresh_from_db()
    assert request.status == RequestStatus.PLACED and request.placement == placement
    with pytest.raises(RuleBroken):
        services.offer_bed(actor=user, request=request, bed=a.a.bed, start_date=D(2024, 9, 1))


def test_an_offer_that_does_not_fit_the_request_is_refused(a):
    user = a.user("caseworker")
    woman = person(a, "Fatima", sex="F")
    request = services.add_request(actor=user, person=woman, data={"needs_women_only": True})
    assert list(selectors.matching_beds(request, day=D(2024, 7, 1))) == []
    with pytest.raises(RuleBroken):
        services.offer_bed(actor=user, request=request, bed=a.a.spare_bed, start_date=D(2024, 7, 1))


def test_payments_stay_within_the_planned_total_and_totals_meet_the_budget(a):
    user = a.user("caseworker")
    support = a.a.rent_support  # 200 EUR × 6 months
    a.edition.participations.filter(city=a.a.city).update(budget=Decimal(10000))
    for month in range(6):
        services.record_payment(
            actor=user, support=support, paid_on=D(2023, 6 + month, 5), amount=Decimal(200)
        )
    with pytest.raises(RuleBroken) as too_much:
        services.record_payment(
            actor=user, support=support, paid_on=D(2023, 12, 20), amount=Decimal(1)
        )
    assert too_much.value.status == 409
    with pytest.raises(RuleBroken):
        services.update_rent_support(actor=user, support=support, changes={"months": 5})
    totals = {t.edition.code: t for t in selectors.rent_totals(a.a.city)}
    lgnet2 = totals["LGNET2"]
    assert (lgnet2.supports, lgnet2.planned, lgnet2.paid) == (1, Decimal(1200), Decimal(1200))
    assert lgnet2.share_of_budget == pytest.approx(0.12)


def test_rent_support_outside_any_edition_must_name_one(a):
    with pytest.raises(RuleBroken) as refused:
        services.create_rent_support(
            actor=a.user("caseworker"),
            person=a.a.other_person,
            data={
                "landlord": a.a.landlord,
                "start_date": D(2030, 1, 1),
                "months": 3,
                "monthly_rent": Decimal(300),
                "contribution": Decimal(400),
            },
        )
    assert refused.value.field == "edition"


def test_autonomy_outcome_after_6_and_12_months(a):
    user = a.user("caseworker")
    services.end_placement(
        actor=user,
        placement=a.a.placement,
        end_date=D(2024, 5, 1),
        exit_reason="autonomous_housing",
    )
    today = D(2025, 6, 1)
    [exit_] = selectors.autonomy_outcomes(a.a.city, today=today)
    outcome = selectors.outcome_of(exit_, today)
    assert outcome.due_6 and outcome.due_12
    assert outcome.home_6 is None  # no evidence either way
    services.record_milestone(
        actor=user, person=a.a.person, kind="lease_signed", reached_on=D(2024, 5, 1)
    )
    [exit_] = selectors.autonomy_outcomes(a.a.city, today=today)
    assert selectors.outcome_of(exit_, today).home_12 is True
    # Back in a bed 8 months later: housed at 6 months, not at 12.
    services.place_person(
        actor=user, person=a.a.person, bed=a.a.spare_bed, start_date=D(2025, 1, 1)
    )
    [exit_] = selectors.autonomy_outcomes(a.a.city, today=today)
    outcome = selectors.outcome_of(exit_, today)
    assert (outcome.home_6, outcome.home_12) == (True, False)
    assert selectors.outcome_of(exit_, D(2024, 9, 1)).due_6 is False


def test_occupancy_rate_counts_bed_nights_in_the_database(a):
    # Bed 1A: 2024-03-01 .. 2024-06-01 (92 nights); bed 1B empty; two beds in use.
    points = selectors.occupancy_rate(a.a.city, start=D(2024, 3, 1), end=D(2024, 7, 1))
    assert [(p.period, p.bed_nights, p.available_nights) for p in points] == [
        (D(2024, 3, 1), 31, 62),
        (D(2024, 4, 1), 30, 60),
        (D(2024, 5, 1), 31, 62),
        (D(2024, 6, 1), 0, 60),
    ]
    services.put_out_of_service(
        actor=a.user("coordinator"),
        bed=a.a.spare_bed,
        start_date=D(2024, 6, 1),
        end_date=D(2024, 6, 11),
    )
    june = selectors.occupancy_rate(a.a.city, start=D(2024, 6, 1), end=D(2024, 7, 1))[0]
    assert june.available_nights == 50


def test_board_shows_runs_of_days(a):
    grid = selectors.board(a.a.facility, start=D(2024, 5, 27), days=7)
    row = next(r for r in grid.rows if r.bed == a.a.bed)
    assert [(s.kind, s.span) for s in row.segments] == [("placement", 5), ("free", 2)]
    assert row.segments[0].placement == a.a.placement


def test_free_beds_tonight_with_filters(a):
    user = a.user("coordinator")
    tonight = timezone.localdate()
    services.place_person(
        actor=user, person=a.a.other_person, bed=a.a.bed, start_date=tonight - timedelta(days=2)
    )
    assert list(selectors.free_beds(a.a.city, day=tonight)) == [a.a.spare_bed]
    assert list(selectors.free_beds(a.a.city, day=tonight, accessible=True)) == []
    services.save_bed(actor=user, bed=a.a.spare_bed, changes={"is_accessible": True})
    assert list(selectors.free_beds(a.a.city, day=tonight, accessible=True)) == [a.a.spare_bed]


def test_merge_moves_housing_rows_unless_placements_overlap(a):
    from lgnet.people.services import merge_persons

    user = a.user("coordinator")
    duplicate = person(a, "Dup")
    services.place_person(actor=user, person=duplicate, bed=a.a.spare_bed, start_date=D(2024, 4, 1))
    with pytest.raises(RuleBroken) as refused:
        merge_persons(actor=user, survivor=a.a.person, duplicate=duplicate)
    assert refused.value.status == 409
    other = person(a, "Other")
    services.place_person(
        actor=user,
        person=other,
        bed=a.a.spare_bed,
        start_date=D(2023, 1, 1),
        end_date=D(2023, 2, 1),
    )
    older = services.add_request(actor=user, person=other, data={"requested_on": D(2024, 9, 1)})
    merge_persons(actor=user, survivor=a.a.other_person, duplicate=other)
    assert Placement.objects.filter(person=a.a.other_person).count() == 1
    # Two waiting requests become one: the older one keeps its place.
    waiting = selectors.waiting_list(a.a.city).filter(person=a.a.other_person)
    assert list(waiting) == [older]
    a.a.housing_request.refresh_from_db()
    assert a.a.housing_request.status == RequestStatus.WITHDRAWN


def test_the_case_timeline_shows_placements_only_to_housing_roles(a):
    from lgnet.cases.timeline import entries_for

    entries = list(entries_for(a.a.case, a.memberships["caseworker"]))
    mine = sorted((e.on, e.kind) for e in entries if e.kind.startswith("placement"))
    assert mine == [(D(2024, 3, 1), "placement"), (D(2024, 6, 1), "placement_end")]
    # The rent support began before the case opened: not on its timeline.
    assert not any(e.kind == "rent_support" for e in entries)
    partner = entries_for(a.a.case, a.memberships["partner"])
    assert not any(e.kind.startswith("placement") for e in partner)


def test_the_person_page_shows_the_housing_panel(world, login):
    client = login(world.user("caseworker"))
    page = client.get(f"/c/taranto/persons/{world.a.person.pk}/")
    assert page.status_code == 200
    assert b'id="housing"' in page.content and b"Casa del rifugiato" in page.content
    partner = login(world.user("partner")).get(f"/c/taranto/persons/{world.a.person.pk}/")
    assert b'id="housing"' not in partner.content


def test_occupancy_rate_by_week_and_by_facility(a):
    user = a.user("coordinator")
    other = services.save_facility(
        actor=user,
        city=a.a.city,
        changes={"name": "Appartamento", "kind": "apartment", "organisation": a.a.partner},
    )
    services.save_bed(actor=user, facility=other, changes={"label": "A1"})
    weeks = selectors.occupancy_rate(
        a.a.city, start=D(2024, 5, 27), end=D(2024, 6, 10), unit="week"
    )
    # Monday 27 May: 1A occupied 5 nights of 21 bed-nights (three beds); then nobody.
    assert [(p.period, p.bed_nights, p.available_nights) for p in weeks] == [
        (D(2024, 5, 27), 5, 21),
        (D(2024, 6, 3), 0, 21),
    ]
    flat = selectors.occupancy_rate(
        a.a.city, start=D(2024, 5, 27), end=D(2024, 6, 3), unit="week", facility=other
    )
    assert [(p.bed_nights, p.available_nights) for p in flat] == [(0, 7)]


def test_a_bed_comes_back_into_service_sooner_later_or_never_left(a):
    from lgnet.housing.models import OutOfService

    user = a.user("coordinator")
    bed = a.a.spare_bed
    period = services.put_out_of_service(
        actor=user, bed=bed, start_date=D(2024, 7, 1), reason="infiltrazioni"
    )
    with pytest.raises(RuleBroken):  # until further notice: nobody can be placed
        services.place_person(
            actor=user, person=a.a.other_person, bed=bed, start_date=D(2025, 1, 1)
        )
    services.change_out_of_service_end(actor=user, period=period, end_date=D(2024, 7, 10))
    period.refresh_from_db()
    assert period.end_date == D(2024, 7, 10)
    placed = services.place_person(
        actor=user, person=a.a.other_person, bed=bed, start_date=D(2024, 7, 10)
    )
    # Keeping it out longer would put it out of service under the person placed meanwhile.
    with pytest.raises(RuleBroken) as busy:
        services.change_out_of_service_end(actor=user, period=period, end_date=D(2024, 8, 1))
    assert busy.value.status == 409 and "10/07/2024" in str(busy.value.message)
    period.refresh_from_db()
    assert period.end_date == D(2024, 7, 10) and placed.pk
    # Back in service on (or before) its first day: the period is cancelled.
    later = services.put_out_of_service(
        actor=user,
        bed=a.a.bed,
        start_date=D(2025, 3, 1),
        end_date=D(2025, 3, 5),
        reason="stanza del sig. Rossi da sanificare",
    )
    services.change_out_of_service_end(actor=user, period=later, end_date=D(2025, 3, 1))
    assert not OutOfService.objects.filter(pk=later.pk).exists()
    from lgnet.core.models import AuditEvent

    cancelled = AuditEvent.objects.get(action="bed.out_of_service_cancelled")
    assert "Rossi" not in str(cancelled.data)  # free text stays out of the audit trail
    assert list(selectors.free_beds(a.a.city, day=D(2025, 3, 2))) == [a.a.bed]
