"""Housing pages: the board, free beds, placing and its conflicts as form errors, the waiting
list, rent support totals, autonomy; constant query counts."""

from datetime import date, timedelta

from django.utils import timezone
from django_scopes import scopes_disabled

from lgnet.housing import services
from lgnet.housing.models import Facility, Landlord, OutOfService, Placement, RequestStatus
from lgnet.people.services import register_person

T = "/c/taranto/housing"


def _many_placements(world, count: int, first: int = 0) -> None:
    user = world.user("coordinator")
    today = timezone.localdate()
    with scopes_disabled():
        for i in range(first, first + count):
            person = register_person(
                actor=user,
                city=world.a.city,
                data={
                    "given_names": f"N{i}",
                    "family_names": "Test",
                    "sex": "M",
                    "birth_date": date(1990, 1, 1),
                },
            )
            bed = services.save_bed(
                actor=user, facility=world.a.facility, changes={"label": f"N{i}"}
            )
            services.place_person(
                actor=user, person=person, bed=bed, start_date=today - timedelta(days=3)
            )
            services.add_request(actor=user, person=person, data={})


def test_board_week_and_month(world, login):
    client = login(world.user("caseworker"))
    url = f"{T}/facilities/{world.a.facility.pk}/board/"
    week = client.get(url + "?start=2024-05-29")
    assert week.status_code == 200
    html = week.content.decode()
    assert html.count('data-testid="board-row"') == 2
    assert 'colspan="5"' in html  # 1A: Mon 27 to Fri 31 May, then free
    assert "?period=week&start=2024-06-03" in html
    month = client.get(url + "?period=month&start=2024-04-10")
    assert month.status_code == 200
    # The bed column and the 30 days of April.
    assert month.content.decode().count('<th scope="col" class=') == 31
    assert client.get(url + "?start=not-a-date").status_code == 200


def test_pages_read_in_constant_queries(world, login, django_assert_max_num_queries):
    client = login(world.user("caseworker"))
    urls = [
        f"{T}/",
        f"{T}/facilities/{world.a.facility.pk}/board/",
        f"{T}/facilities/{world.a.facility.pk}/",
        f"{T}/free-beds/",
        f"{T}/placements/",
        f"{T}/waiting-list/",
        f"{T}/rent-supports/",
        f"{T}/landlords/",
        f"{T}/occupancy/",
        f"{T}/autonomy/",
    ]

    def measure():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        counts = {}
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200, url
            counts[url] = len(captured)
        return counts

    _many_placements(world, 1)
    before = measure()
    _many_placements(world, 10, first=1)
    after = measure()
    grew = {u: (before[u], after[u]) for u in urls if after[u] > before[u]}
    assert not grew, grew


def test_a_taken_bed_shows_as_a_form_error_with_409(world, login):
    client = login(world.user("caseworker"))
    url = f"{T}/placements/new/?person={world.a.other_person.pk}"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"bed": world.a.bed.pk, "start_date": "2024-05-01"})
    assert refused.status_code == 409
    assert "invalid-feedback" in refused.content.decode()
    placed = client.post(url, {"bed": world.a.bed.pk, "start_date": "2024-06-01"})
    assert placed.status_code == 302
    with scopes_disabled():
        assert Placement.objects.filter(person=world.a.other_person).count() == 1


def test_move_extend_and_end_from_the_placement_page(world, login):
    client = login(world.user("caseworker"))
    base = f"{T}/placements/{world.a.placement.pk}/"
    assert client.get(base).status_code == 200
    bad = client.post(base + "extend/", {"end_date": "2024-02-01"})
    assert bad.status_code == 400
    assert client.post(base + "extend/", {"end_date": "2024-07-01"}).status_code == 302
    moved = client.post(base + "move/", {"bed": world.a.spare_bed.pk, "on": "2024-04-01"})
    assert moved.status_code == 302
    with scopes_disabled():
        new = Placement.objects.get(moved_from=world.a.placement)
    ended = client.post(
        f"{T}/placements/{new.pk}/end/",
        {"end_date": "2024-06-15", "exit_reason": "family", "exit_notes": ""},
    )
    assert ended.status_code == 302
    with scopes_disabled():
        new.refresh_from_db()
    assert (new.end_date, new.exit_reason) == (date(2024, 6, 15), "family")


def test_placing_someone_from_the_waiting_list(world, login):
    client = login(world.user("caseworker"))
    url = f"{T}/requests/{world.a.housing_request.pk}/"
    page = client.get(url + "?on=2024-04-01")
    assert page.status_code == 200
    matching = page.content.decode().split('data-testid="matching-beds"')[1].split("</ul>")[0]
    assert "1B" in matching and "1A" not in matching
    offered = client.post(url + "offer/", {"bed": world.a.spare_bed.pk, "start_date": "2024-04-01"})
    assert offered.status_code == 302
    with scopes_disabled():
        world.a.housing_request.refresh_from_db()
        assert world.a.housing_request.status == RequestStatus.PLACED
        assert offered["Location"].endswith(f"/placements/{world.a.housing_request.placement_id}/")


def test_free_beds_filters(world, login):
    client = login(world.user("auditor"))
    page = client.get(f"{T}/free-beds/?on=2024-04-01")
    assert page.content.decode().count('data-testid="free-bed"') == 1
    page = client.get(f"{T}/free-beds/?on=2024-04-01&women_only=1")
    assert page.content.decode().count('data-testid="free-bed"') == 0


def test_manager_pages_add_rooms_beds_and_out_of_service(world, login):
    client = login(world.user("coordinator"))
    base = f"{T}/facilities/{world.a.facility.pk}/"
    assert client.post(base + "rooms/", {"name": "Stanza 1"}).status_code == 302
    assert client.post(base + "beds/", {"label": "2A", "is_accessible": "on"}).status_code == 302
    assert client.post(base + "beds/", {"label": "2A"}).status_code == 400  # label taken
    busy = client.post(
        base + "out-of-service/", {"bed": world.a.bed.pk, "start_date": "2024-05-01"}
    )
    assert busy.status_code == 409
    ok = client.post(
        base + "out-of-service/",
        {"bed": world.a.spare_bed.pk, "start_date": "2024-05-01", "end_date": "2024-05-10"},
    )
    assert ok.status_code == 302
    assert login(world.user("caseworker")).post(base + "rooms/", {"name": "X"}).status_code == 403


def test_rent_support_page_and_totals(world, login):
    client = login(world.user("caseworker"))
    support = f"{T}/rent-supports/{world.a.rent_support.pk}/"
    assert (
        client.post(support + "payments/", {"paid_on": "2023-06-05", "amount": "200"}).status_code
        == 302
    )
    over = client.post(support + "payments/", {"paid_on": "2023-06-06", "amount": "1001"})
    assert over.status_code == 409
    listing = client.get(f"{T}/rent-supports/").content.decode()
    assert listing.count('data-testid="rent-total"') == 1
    assert "1200" in listing and "200" in listing
    created = client.post(
        f"{T}/rent-supports/new/?person={world.a.other_person.pk}",
        {
            "landlord": world.a.landlord.pk,
            "household_size": 2,
            "start_date": "2023-10-01",
            "months": 3,
            "monthly_rent": "500",
            "contribution": "250",
        },
    )
    assert created.status_code == 302


def test_milestones_from_the_person_page(world, login):
    client = login(world.user("caseworker"))
    url = f"{T}/persons/{world.a.person.pk}/milestones/"
    done = client.post(
        url, {"milestone-kind": "lease_signed", "milestone-reached_on": "2024-06-01"}
    )
    assert done.status_code == 302 and done["Location"].endswith("#housing")
    with scopes_disabled():
        assert world.a.person.housing_milestones.filter(kind="lease_signed").count() == 1
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    client.post(url, {"milestone-kind": "savings", "milestone-reached_on": future})
    with scopes_disabled():
        assert not world.a.person.housing_milestones.filter(kind="savings").exists()


def test_facility_new_and_edit_pages_save_or_show_the_errors(world, login):
    client = login(world.user("coordinator"))
    data = {"name": "Casa Aurora", "kind": "co_housing", "organisation": world.a.partner.pk}
    missing = client.post(f"{T}/facilities/new/", {**data, "name": ""})
    assert missing.status_code == 400 and b"is-invalid" in missing.content
    created = client.post(f"{T}/facilities/new/", data)
    with scopes_disabled():
        facility = Facility.objects.get(city=world.a.city, name="Casa Aurora")
    assert created.status_code == 302 and created["Location"] == facility.get_absolute_url()
    # Names are unique in the city: the refusal shows on the form, nothing is written.
    twice = client.post(f"{T}/facilities/new/", data)
    assert twice.status_code == 400 and "esiste già".encode() in twice.content
    with scopes_disabled():
        assert Facility.objects.filter(city=world.a.city, name="Casa Aurora").count() == 1
    edit = f"{T}/facilities/{facility.pk}/edit/"
    assert b"Casa Aurora" in client.get(edit).content
    renamed = client.post(edit, {**data, "name": "Casa Aurora 2"})
    assert renamed.status_code == 302
    facility.refresh_from_db()
    assert facility.name == "Casa Aurora 2"
    # Another city's facility is not found, not refused.
    assert client.get(f"{T}/facilities/{world.b.facility.pk}/edit/").status_code == 404


def test_landlord_new_and_edit_pages_save_or_show_the_errors(world, login):
    client = login(world.user("coordinator"))
    data = {"kind": "person", "name": "Anna Greco", "email": "anna@example.it"}
    bad = client.post(f"{T}/landlords/new/", {**data, "email": "not an address"})
    assert bad.status_code == 400 and b"is-invalid" in bad.content
    assert client.post(f"{T}/landlords/new/", data).status_code == 302
    with scopes_disabled():
        landlord = Landlord.objects.get(city=world.a.city, name="Anna Greco")
    edit = client.post(f"{T}/landlords/{landlord.pk}/edit/", {**data, "phone": "099 123"})
    assert edit.status_code == 302 and edit["Location"] == landlord.get_absolute_url()
    landlord.refresh_from_db()
    assert landlord.phone == "099 123"


def test_the_coordinator_puts_a_bed_back_in_service_from_the_facility_page(world, login):
    client = login(world.user("coordinator"))
    base = f"{T}/facilities/{world.a.facility.pk}/"
    today = timezone.localdate()
    client.post(
        base + "out-of-service/",
        {"bed": world.a.spare_bed.pk, "start_date": (today - timedelta(days=5)).isoformat()},
    )
    with scopes_disabled():
        period = OutOfService.objects.get(bed=world.a.spare_bed)
        other_city = OutOfService.objects.create(
            city=world.b.city, bed=world.b.bed, start_date=today - timedelta(days=1)
        )
    page = client.get(base).content.decode()
    assert page.count('data-testid="back-in-service"') == 1
    # Another facility's or another city's period is not one of this facility's.
    foreign = client.post(
        base + "out-of-service/end/", {"period": other_city.pk, "end_date": today.isoformat()}
    )
    assert foreign.status_code == 400
    before = client.post(
        base + "out-of-service/end/", {"period": period.pk, "end_date": "not a date"}
    )
    assert before.status_code == 400 and 'data-testid="back-in-service-error"' in (
        before.content.decode()
    )
    back = client.post(
        base + "out-of-service/end/", {"period": period.pk, "end_date": today.isoformat()}
    )
    assert back.status_code == 302
    with scopes_disabled():
        period.refresh_from_db()
        assert period.end_date == today
        other_city.refresh_from_db()
        assert other_city.end_date is None
    free = login(world.user("caseworker")).get(f"{T}/free-beds/").content.decode()
    assert free.count('data-testid="free-bed"') == 2  # 1B again, and 1A (its stay is over)
    refused = login(world.user("caseworker")).post(
        base + "out-of-service/end/", {"period": period.pk, "end_date": today.isoformat()}
    )
    assert refused.status_code == 403


def test_the_waiting_list_says_how_many_free_beds_fit_each_request_tonight(world, login):
    from lgnet.housing import selectors

    today = timezone.localdate()
    with scopes_disabled():
        services.save_bed(
            actor=world.user("coordinator"), bed=world.a.spare_bed, changes={"is_women_only": True}
        )
        woman = register_person(
            actor=world.user("caseworker"),
            city=world.a.city,
            data={
                "given_names": "Amina",
                "family_names": "Test",
                "sex": "F",
                "birth_date": date(1995, 2, 1),
            },
        )
        services.add_request(
            actor=world.user("caseworker"),
            person=woman,
            data={"urgency": 4, "needs_accessible": True},
        )
        waiting = selectors.waiting_list(world.a.city)
        expected = [selectors.matching_beds(r, day=today).count() for r in waiting]
    page = login(world.user("caseworker")).get(f"{T}/waiting-list/").content.decode()
    cells = [
        cell.split(">", 1)[1].split("</td>")[0]
        for cell in page.split('data-testid="fitting-beds"')[1:]
    ]
    counts = [int(c.split("<span")[0].rsplit(">", 1)[-1]) for c in cells]
    # Amina first (tonight): no accessible bed; the man waiting: 1A (1B is for women).
    assert counts == expected == [0, 1]
