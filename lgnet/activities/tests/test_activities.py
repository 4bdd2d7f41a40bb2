"""Activities: sessions, enrolments, the register, hours, rates, completion, levels,
partners, events, certificates and how activities meet the registry and cases."""

import json
from datetime import date, time
from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from lgnet.activities import selectors, services
from lgnet.activities.models import Activity, Attendance, Enrolment, EnrolmentStatus, Session
from lgnet.core.exceptions import RuleBroken
from lgnet.people.services import register_person

SENSITIVE = {
    "vulnerabilities",
    "legal_status",
    "codice_fiscale",
    "permit_number",
    "permit_expiry",
    "dwelling",
}


def api(client, method, url, headers, body=None):
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(url, data=data, content_type="application/json", headers=headers)


def new_person(cw, actor, given="Amina", family="Yusuf"):
    return register_person(
        actor=actor,
        city=cw.city,
        data={
            "given_names": given,
            "family_names": family,
            "sex": "F",
            "birth_date": date(1994, 5, 1),
        },
    )


def course(cw, actor, **data):
    values = {
        "kind": "italian_course",
        "title": "Italiano A1",
        "start_date": date(2024, 2, 1),
        "end_date": date(2024, 3, 31),
        "cefr_level": "A1",
    }
    values.update(data)
    return services.create_activity(actor=actor, city=cw.city, data=values)


def sessions(activity, actor, days, hours=2):
    return [services.add_session(actor=actor, activity=activity, date=d, hours=hours) for d in days]


def mark(session, actor, enrolment, status, hours=None):
    services.record_attendance(
        actor=actor, session=session, marks=[services.Mark(enrolment, status, hours)]
    )


def keys_of(value) -> set:
    """Every key of a JSON document, at any depth."""
    if isinstance(value, dict):
        return set(value).union(*(keys_of(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(keys_of(v) for v in value))
    return set()


def figures(membership, enrolment):
    return selectors.get_enrolment_for(membership, enrolment.pk)


FEB = [date(2024, 2, d) for d in (5, 7, 12, 14)]


# Rules ------------------------------------------------------------------------------------


def test_hours_add_the_sessions_hours_or_each_persons_own(world):
    a, worker = world.a, world.user("caseworker")
    with scope(city=a.city):
        project = course(
            a,
            worker,
            kind="civic_project",
            title="Giardini",
            cefr_level="",
            insurance="INAIL",
            insurance_from=date(2024, 1, 31),
        )
        first, second = sessions(project, worker, FEB[:2], hours=4)
        one = services.enrol(actor=worker, activity=project, person=a.person)
        two = services.enrol(actor=worker, activity=project, person=a.other_person)
        mark(first, worker, one, "present", Decimal("3"))
        mark(second, worker, one, "present")
        mark(first, worker, two, "present")
        mark(second, worker, two, "absent")
        membership = world.memberships["caseworker"]
        assert figures(membership, one).hours_attended == Decimal("7.00")
        assert figures(membership, one).days_worked == 2
        assert figures(membership, two).hours_attended == Decimal("4.00")
        assert figures(membership, two).days_worked == 1


def test_rate_is_present_sessions_over_sessions_held_so_far(world):
    a, worker = world.a, world.user("caseworker")
    membership = world.memberships["caseworker"]
    with scope(city=a.city):
        activity = course(a, worker, end_date=date(2099, 12, 31))
        held = sessions(activity, worker, FEB)
        cancelled = services.add_session(
            actor=worker, activity=activity, date=date(2024, 2, 19), hours=2
        )
        services.update_session(actor=worker, session=cancelled, changes={"is_cancelled": True})
        services.add_session(actor=worker, activity=activity, date=date(2099, 1, 5), hours=2)
        enrolment = services.enrol(
            actor=worker, activity=activity, person=a.person, enrolled_on=date(2024, 2, 1)
        )
        for session, status in zip(held, ["present", "present", "absent", "present"], strict=True):
            mark(session, worker, enrolment, status)
        row = figures(membership, enrolment)
        assert (row.present_sessions, row.sessions_held) == (3, 4)
        assert row.attendance_rate == pytest.approx(0.75)
        # A late joiner is not absent from the sessions before joining.
        late = services.enrol(
            actor=worker, activity=activity, person=a.other_person, enrolled_on=date(2024, 2, 10)
        )
        mark(held[2], worker, late, "present")
        assert figures(membership, late).sessions_held == 2
        assert figures(membership, late).attendance_rate == pytest.approx(0.5)


def test_completion_follows_the_activitys_minimum_attendance(world):
    a, worker = world.a, world.user("caseworker")
    with scope(city=a.city):
        activity = course(a, worker, min_attendance=Decimal("0.75"))
        held = sessions(activity, worker, FEB)
        good = services.enrol(actor=worker, activity=activity, person=a.person)
        poor = services.enrol(actor=worker, activity=activity, person=a.other_person)
        for index, session in enumerate(held):
            mark(session, worker, good, "present" if index < 3 else "excused")
            mark(session, worker, poor, "present" if index < 2 else "absent")
        with pytest.raises(RuleBroken) as refused:
            services.change_status(actor=worker, enrolment=poor, status="completed")
        assert refused.value.status == 409
        done = services.change_status(actor=worker, enrolment=good, status="completed")
        assert done.status == EnrolmentStatus.COMPLETED and done.ended_on is not None


def test_completion_waits_for_the_last_session(world):
    a, worker = world.a, world.user("caseworker")
    with scope(city=a.city):
        activity = course(a, worker, end_date=date(2099, 1, 31))
        (first,) = sessions(activity, worker, FEB[:1])
        services.add_session(actor=worker, activity=activity, date=date(2099, 1, 10), hours=2)
        enrolment = services.enrol(actor=worker, activity=activity, person=a.person)
        mark(first, worker, enrolment, "present")
        with pytest.raises(RuleBroken, match="still to come|da svolgere"):
            services.change_status(actor=worker, enrolment=enrolment, status="completed")


def test_a_level_gained_counts_for_the_city(world):
    a, worker = world.a, world.user("caseworker")
    with scope(city=a.city):
        before = selectors.city_figures(a.city)["gains"]
        activity = course(a, worker)
        gained = services.enrol(actor=worker, activity=activity, person=a.person, entry_level="A1")
        same = services.enrol(
            actor=worker, activity=activity, person=a.other_person, entry_level="A1"
        )
        services.record_levels(actor=worker, enrolment=gained, exit_level="A2")
        services.record_levels(actor=worker, enrolment=same, exit_level="A1")
        assert gained.gained_level and not same.gained_level
        assert selectors.city_figures(a.city)["gains"] == before + 1


def test_a_second_enrolment_of_the_same_person_is_refused(client, world, bearer):
    body = {"activity": world.a.activity.pk, "person": world.a.person.pk}
    response = api(client, "post", "/api/v1/enrolments", bearer("caseworker"), body)
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "person"
    with scopes_disabled():
        assert Enrolment.objects.filter(activity=world.a.activity).count() == 1


def test_full_activity_puts_people_on_the_waiting_list_and_promotes_them(world):
    a, worker = world.a, world.user("caseworker")
    with scope(city=a.city):
        activity = course(a, worker, capacity=1)
        first = services.enrol(actor=worker, activity=activity, person=a.person)
        second = services.enrol(actor=worker, activity=activity, person=a.other_person)
        assert (first.status, second.status) == ("enrolled", "waiting")
        with pytest.raises(RuleBroken):  # a dropout needs a reason
            services.change_status(actor=worker, enrolment=first, status="dropped_out")
        services.change_status(
            actor=worker, enrolment=first, status="dropped_out", reason="Trovato lavoro"
        )
        second.refresh_from_db()
        assert second.status == EnrolmentStatus.ENROLLED


def test_weekly_pattern_skips_holidays_and_adds_nothing_twice(world):
    a, worker = world.a, world.user("caseworker")
    with scope(city=a.city):
        activity = course(a, worker, start_date=date(2024, 10, 1), end_date=date(2024, 12, 20))
        pattern = services.WeeklyPattern(
            weekdays=[0, 2],
            start_time=time(9),
            hours=Decimal(2),
            first_day=date(2024, 10, 1),
            last_day=date(2024, 12, 19),
            skip=[date(2024, 11, 1), date(2024, 12, 9)],  # 1 Nov is a Friday: no effect
        )
        made = services.plan_weekly_sessions(actor=worker, activity=activity, pattern=pattern)
        days = [s.date for s in made]
        assert date(2024, 12, 9) not in days and date(2024, 12, 11) in days
        assert all(d.weekday() in (0, 2) for d in days)
        assert len(days) == 22  # 12 Wednesdays and 11 Mondays from 2 Oct to 18 Dec, less one
        again = services.plan_weekly_sessions(actor=worker, activity=activity, pattern=pattern)
        assert again == [] and Session.objects.filter(activity=activity).count() == 22


def test_civic_sessions_cannot_come_before_the_insurance_cover(world):
    a, worker = world.a, world.user("caseworker")
    with scope(city=a.city):
        project = course(
            a, worker, kind="civic_project", cefr_level="", insurance_from=date(2024, 2, 10)
        )
        with pytest.raises(RuleBroken) as refused:
            services.add_session(actor=worker, activity=project, date=date(2024, 2, 5), hours=4)
        assert refused.value.status == 409
        services.add_session(actor=worker, activity=project, date=date(2024, 2, 12), hours=4)
        with pytest.raises(RuleBroken) as late_cover:
            services.update_activity(
                actor=worker, activity=project, changes={"insurance_from": date(2024, 2, 20)}
            )
        assert late_cover.value.field == "insurance_from"


def test_moving_and_cancelling_a_session(world):
    a, worker = world.a, world.user("caseworker")
    with scope(city=a.city):
        activity = course(a, worker)
        (session,) = sessions(activity, worker, FEB[:1])
        services.update_session(
            actor=worker,
            session=session,
            changes={"date": date(2024, 2, 6), "start_time": time(10)},
        )
        services.update_session(actor=worker, session=session, changes={"is_cancelled": True})
        enrolment = services.enrol(actor=worker, activity=activity, person=a.person)
        with pytest.raises(RuleBroken, match="cancelled|annullato"):
            mark(session, worker, enrolment, "present")
        with pytest.raises(RuleBroken):  # outside the activity's dates
            services.update_session(
                actor=worker, session=session, changes={"date": date(2025, 1, 1)}
            )


def test_events_hold_no_person_only_head_counts(world, client, bearer):
    a, worker = world.a, world.user("caseworker")
    with scope(city=a.city):
        event = course(a, worker, kind="event", title="Giornata del rifugiato", cefr_level="")
        with pytest.raises(RuleBroken) as refused:
            services.enrol(actor=worker, activity=event, person=a.person)
        assert refused.value.status == 409
    response = api(
        client,
        "put",
        f"/api/v1/activities/{event.pk}/head-counts",
        bearer("caseworker"),
        {
            "items": [
                {"sex": "F", "age_band": "25-34", "count": 12},
                {"sex": "M", "age_band": "0-17", "count": 5},
            ]
        },
    )
    assert response.status_code == 200, response.content
    assert sorted(h["count"] for h in response.json()["head_counts"]) == [5, 12]
    with scopes_disabled():
        assert not Enrolment.objects.filter(activity=event).exists()
    # Nor does a course with people in it become an event.
    turned = api(
        client,
        "patch",
        f"/api/v1/activities/{world.a.activity.pk}",
        bearer("caseworker"),
        {"kind": "event"},
    )
    assert turned.status_code == 409


def test_merge_moves_enrolments_and_refuses_two_in_one_activity(world):
    from lgnet.people.services import merge_persons

    a, worker = world.a, world.user("caseworker")
    with scope(city=a.city):
        duplicate = new_person(a, worker, "Mohamed", "Dialo")
        other = course(a, worker, title="Teatro", kind="workshop", cefr_level="")
        services.enrol(actor=worker, activity=world.a.activity, person=duplicate)
        with pytest.raises(RuleBroken) as refused:
            merge_persons(actor=worker, survivor=a.person, duplicate=duplicate)
        assert refused.value.status == 409
        Enrolment.objects.filter(person=duplicate).delete()
        services.enrol(actor=worker, activity=other, person=duplicate)
        merge_persons(actor=worker, survivor=a.person, duplicate=duplicate)
        assert Enrolment.objects.filter(person=a.person, activity=other).exists()


def test_partner_reach_is_the_persons_enrolled_with_its_organisation(world):
    from lgnet.people.selectors import persons_for_partner

    with scope(city=world.a.city):
        reached = set(persons_for_partner(world.memberships["partner"]))
    assert world.a.person in reached and world.a.other_person not in reached


def test_case_timeline_shows_enrolments(world):
    from lgnet.cases.timeline import entries_for

    with scope(city=world.a.city):
        entries = entries_for(world.a.case, world.memberships["caseworker"])
    (running,) = [e for e in entries if e.kind == "enrolment" and "Italiano A2" in e.title]
    assert "2" in running.detail  # the hours attended so far
    worker = world.user("caseworker")
    with scope(city=world.a.city):
        services.record_levels(
            actor=worker, enrolment=world.a.enrolment, entry_level="A1", exit_level="A2"
        )
        services.change_status(
            actor=worker,
            enrolment=world.a.enrolment,
            status="dropped_out",
            reason="Trasferito",
            on=date(2024, 3, 10),
        )
        entries = entries_for(world.a.case, world.memberships["caseworker"])
    (left,) = [e for e in entries if e.kind == "enrolment" and e.on == date(2024, 3, 10)]
    assert "2" in left.detail and "A1 → A2" in left.detail


# API --------------------------------------------------------------------------------------


def test_api_contract_of_activities_sessions_enrolments_and_attendance(client, world, bearer):
    headers = bearer("caseworker")
    created = api(
        client,
        "post",
        "/api/v1/activities",
        headers,
        {
            "kind": "italian_course",
            "title": "Italiano B1",
            "start_date": "2024-09-02",
            "end_date": "2024-12-20",
            "cefr_level": "B1",
            "organisation": world.a.partner.pk,
        },
    )
    assert created.status_code == 201, created.content
    activity = created.json()
    assert activity["min_attendance"] == 0.7 and activity["kind"] == "italian_course"
    session = api(
        client,
        "post",
        "/api/v1/sessions",
        headers,
        {"activity": activity["id"], "date": "2024-09-02", "hours": 2.5},
    )
    assert session.status_code == 201, session.content
    enrolment = api(
        client,
        "post",
        "/api/v1/enrolments",
        headers,
        {"activity": activity["id"], "person": world.a.other_person.pk},
    )
    assert enrolment.status_code == 201, enrolment.content
    marks = {"items": [{"person": world.a.other_person.pk, "status": "present", "hours": 2}]}
    url = f"/api/v1/sessions/{session.json()['id']}/attendance"
    assert api(client, "put", url, headers, marks).status_code == 200
    again = api(client, "put", url, headers, marks)  # the same tap twice: one mark
    assert again.status_code == 200
    assert again.json()["items"] == [
        {
            "person": world.a.other_person.pk,
            "enrolment": enrolment.json()["id"],
            "status": "present",
            "hours": 2.0,
        }
    ]
    with scopes_disabled():
        assert Attendance.objects.filter(enrolment_id=enrolment.json()["id"]).count() == 1
    detail = api(client, "get", f"/api/v1/enrolments/{enrolment.json()['id']}", headers).json()
    assert detail["status"] == "attending"
    assert detail["hours_attended"] == 2.0 and detail["attendance_rate"] == 1.0


def test_api_refuses_bad_input_without_a_server_error(client, world, bearer):
    headers = bearer("caseworker")
    cases = [
        (
            "post",
            "/api/v1/activities",
            {"kind": "party", "title": "x", "start_date": "2024-01-01", "end_date": "2024-01-02"},
        ),
        (
            "post",
            "/api/v1/activities",
            {"kind": "course", "title": "x", "start_date": "2024-02-01", "end_date": "2024-01-02"},
        ),
        (
            "post",
            "/api/v1/activities",
            {
                "kind": "course",
                "title": "x",
                "start_date": "2024-01-01",
                "end_date": "2024-01-02",
                "min_attendance": 70,
            },
        ),
        (
            "post",
            "/api/v1/activities",
            {
                "kind": "course",
                "title": "x",
                "start_date": "2024-01-01",
                "end_date": "2024-01-02",
                "organisation": world.b.partner.pk,
            },
        ),
        (
            "post",
            "/api/v1/sessions",
            {"activity": world.a.activity.pk, "date": "2030-13-01", "hours": 2},
        ),
        (
            "post",
            "/api/v1/sessions",
            {"activity": world.b.activity.pk, "date": "2024-03-01", "hours": 2},
        ),
        (
            "post",
            "/api/v1/sessions",
            {"activity": world.a.activity.pk, "date": "2023-03-01", "hours": 2},
        ),
        (
            "post",
            "/api/v1/enrolments",
            {"activity": world.a.activity.pk, "person": world.b.person.pk},
        ),
        (
            "put",
            f"/api/v1/sessions/{world.a.session.pk}/attendance",
            {"items": [{"person": world.b.person.pk, "status": "present"}]},
        ),
        (
            "put",
            f"/api/v1/sessions/{world.a.session.pk}/attendance",
            {"items": [{"person": world.a.person.pk, "status": "late"}]},
        ),
        (
            "patch",
            f"/api/v1/enrolments/{world.a.enrolment.pk}",
            {"status": "completed", "exit_level": "C2"},
        ),
        ("patch", f"/api/v1/activities/{world.a.activity.pk}", {"kind": None}),
    ]
    for method, url, body in cases:
        response = api(client, method, url, headers, body)
        assert 400 <= response.status_code < 500, (url, body, response.status_code)
        assert {"detail", "errors"} <= set(response.json()), response.content


def test_other_citys_activity_session_and_enrolment_are_404(client, world, bearer):
    headers = bearer("outsider_caseworker")
    for url in (
        f"/api/v1/activities/{world.a.activity.pk}",
        f"/api/v1/sessions/{world.a.session.pk}",
        f"/api/v1/enrolments/{world.a.enrolment.pk}",
        f"/api/v1/sessions/{world.a.session.pk}/attendance",
    ):
        assert api(client, "get", url, headers).status_code == 404, url


# Partners ---------------------------------------------------------------------------------


def other_organisations_course(world):
    with scope(city=world.a.city):
        activity = course(
            world.a, world.user("caseworker"), title="Teatro", organisation=world.a.organisation
        )
        (session,) = sessions(activity, world.user("caseworker"), FEB[:1])
        services.enrol(
            actor=world.user("caseworker"), activity=activity, person=world.a.other_person
        )
    return activity, session


def test_partner_sees_only_its_organisations_activities(client, world, bearer, login):
    activity, session = other_organisations_course(world)
    headers = bearer("partner")
    listed = api(client, "get", "/api/v1/activities", headers).json()
    assert [item["id"] for item in listed["items"]] == [world.a.activity.pk]
    for url in (f"/api/v1/activities/{activity.pk}", f"/api/v1/sessions/{session.pk}"):
        assert api(client, "get", url, headers).status_code == 404, url
    marks = {"items": [{"person": world.a.other_person.pk, "status": "present"}]}
    assert (
        api(client, "put", f"/api/v1/sessions/{session.pk}/attendance", headers, marks).status_code
        == 404
    )
    enrolments = api(client, "get", "/api/v1/enrolments", headers).json()["items"]
    assert {e["person"] for e in enrolments} == {world.a.person.pk}
    login(world.user("partner"))
    slug = world.a.city.slug
    assert client.get(reverse("activities:detail", args=[slug, activity.pk])).status_code == 404
    assert client.get(reverse("activities:register", args=[slug, session.pk])).status_code == 404
    page = client.get(reverse("activities:list", args=[slug])).content.decode()
    assert "Teatro" not in page and "Italiano A2" in page


def test_partner_never_reads_a_sensitive_field(client, world, bearer, login):
    headers = bearer("partner")
    texts = [
        api(client, "get", f"/api/v1/enrolments/{world.a.enrolment.pk}", headers).content,
        api(client, "get", "/api/v1/enrolments", headers).content,
        api(client, "get", f"/api/v1/sessions/{world.a.session.pk}/attendance", headers).content,
    ]
    for text in texts:
        keys = keys_of(json.loads(text))
        assert not keys & SENSITIVE, keys & SENSITIVE
    body = json.loads(texts[0])
    assert body["participant"]["family_names"] == "Dialo"
    login(world.user("partner"))
    page = client.get(
        reverse("activities:enrolment", args=[world.a.city.slug, world.a.enrolment.pk])
    )
    assert page.status_code == 200
    assert (
        "homelessness" not in page.content.decode() and "Homelessness" not in page.content.decode()
    )


def test_partner_records_levels_but_not_a_status(client, world, bearer):
    headers = bearer("partner")
    url = f"/api/v1/enrolments/{world.a.enrolment.pk}"
    assert api(client, "patch", url, headers, {"entry_level": "A1"}).status_code == 200
    assert api(client, "patch", url, headers, {"status": "dropped_out"}).status_code == 403
    assert (
        api(
            client,
            "post",
            "/api/v1/enrolments",
            headers,
            {"activity": world.a.activity.pk, "person": world.a.other_person.pk},
        ).status_code
        == 403
    )


# Pages ------------------------------------------------------------------------------------


def test_a_tap_in_the_register_is_saved_at_once(client, world, login):
    login(world.user("partner"))
    url = reverse("activities:mark", args=[world.a.city.slug, world.a.session.pk])
    data = {"enrolment": world.a.enrolment.pk, "status": "excused"}
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'data-status="excused"' in response.content.decode()
    client.post(url, data, headers={"HX-Request": "true"})
    with scopes_disabled():
        marks = list(Attendance.objects.filter(enrolment=world.a.enrolment))
    assert [m.status for m in marks] == ["excused"]


def test_register_page_queries_do_not_grow_with_the_people(
    client, world, login, django_assert_max_num_queries
):
    login(world.user("caseworker"))
    url = reverse("activities:register", args=[world.a.city.slug, world.a.session.pk])
    client.get(url)
    with django_assert_max_num_queries(16) as few:
        assert client.get(url).status_code == 200
    with scope(city=world.a.city):
        for index in range(8):
            person = new_person(world.a, world.user("caseworker"), f"Nome{index}", "Prova")
            enrolment = services.enrol(
                actor=world.user("caseworker"), activity=world.a.activity, person=person
            )
            mark(world.a.session, world.user("caseworker"), enrolment, "present")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_lists_queries_do_not_grow_with_their_length(
    client, world, login, bearer, django_assert_max_num_queries
):
    headers = bearer("caseworker")
    login(world.user("caseworker"))
    slug = world.a.city.slug
    urls = [
        ("api", "/api/v1/activities"),
        ("api", "/api/v1/enrolments"),
        ("api", "/api/v1/sessions"),
        ("page", reverse("activities:list", args=[slug])),
        ("page", reverse("activities:detail", args=[slug, world.a.activity.pk])),
        ("api", f"/api/v1/sessions/{world.a.session.pk}/attendance"),
    ]

    def counts():
        found = {}
        for kind, url in urls:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as captured:
                response = api(client, "get", url, headers) if kind == "api" else client.get(url)
                assert response.status_code == 200, url
            found[url] = len(captured.captured_queries)
        return found

    before = counts()
    worker = world.user("caseworker")
    with scope(city=world.a.city):
        for index in range(6):
            activity = course(world.a, worker, title=f"Corso {index}", organisation=world.a.partner)
            activity.facilitators.add(worker)
            sessions(activity, worker, FEB[:2])
            person = new_person(world.a, worker, f"Nome{index}", "Prova")
            enrolment = services.enrol(actor=worker, activity=world.a.activity, person=person)
            mark(world.a.session, worker, enrolment, "present")
    after = counts()
    assert all(after[url] <= before[url] for url in before), (before, after)


def test_operator_sees_hours_and_rate_on_the_person_page(client, world, login):
    login(world.user("caseworker"))
    page = client.get(reverse("people:detail", args=[world.a.city.slug, world.a.person.pk]))
    text = page.content.decode()
    assert 'data-testid="person-enrolment"' in text
    assert "Italiano A2" in text and "100 %" in text


def test_weekly_pattern_from_the_activity_page(client, world, login):
    login(world.user("caseworker"))
    url = reverse("activities:session_weekly", args=[world.a.city.slug, world.a.activity.pk])
    response = client.post(
        url,
        {
            "weekdays": ["0", "2"],
            "start_time": "09:00",
            "hours": "2",
            "first_day": "2024-04-01",
            "last_day": "2024-04-30",
            "skip": "2024-04-01, 2024-04-24",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        days = set(Session.objects.filter(activity=world.a.activity).values_list("date", flat=True))
    assert (
        date(2024, 4, 1) not in days and date(2024, 4, 3) in days and date(2024, 4, 24) not in days
    )
    assert len(days) == 1 + 7  # the sample session, then 8 Mondays and Wednesdays less 2


def test_certificate_page_and_pdf_show_the_hours(client, world, login):
    login(world.user("caseworker"))
    slug, pk = world.a.city.slug, world.a.enrolment.pk
    page = client.get(reverse("activities:certificate", args=[slug, pk]))
    assert page.status_code == 200
    assert 'data-testid="certificate-hours">2<' in page.content.decode()
    pdf = client.get(reverse("activities:certificate_pdf", args=[slug, pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_no_certificate_without_attendance(client, world, login):
    with scope(city=world.a.city):
        enrolment = services.enrol(
            actor=world.user("caseworker"), activity=world.a.activity, person=world.a.other_person
        )
    login(world.user("caseworker"))
    response = client.get(
        reverse("activities:certificate_pdf", args=[world.a.city.slug, enrolment.pk])
    )
    assert response.status_code == 409


def test_activity_is_created_from_the_form(client, world, login):
    login(world.user("caseworker"))
    response = client.post(
        reverse("activities:create", args=[world.a.city.slug]),
        {
            "kind": "workshop",
            "title": "Laboratorio teatrale",
            "action_area": "civic_engagement",
            "organisation": world.a.partner.pk,
            "start_date": "2024-03-01",
            "end_date": "2024-06-30",
            "min_attendance_percent": "75",
            "capacity": "15",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with scopes_disabled():
        activity = Activity.objects.get(title="Laboratorio teatrale")
    assert activity.min_attendance == Decimal("0.75") and activity.organisation == world.a.partner


def test_demo_seeds_activities_idempotently(world):
    from lgnet.activities.demo import seed_activities

    with scopes_disabled():
        seed_activities(1)
        seed_activities(1)
        # The world's cities have no demo persons: nothing is added, nothing breaks.
        assert Activity.objects.count() == 2


def test_a_legal_language_certificate_is_a_fact_on_the_person(client, world, bearer, login):
    headers = bearer("caseworker")
    body = {"person": world.a.person.pk, "level": "A2", "issuer": "cpia", "issued_on": "2024-06-20"}
    created = api(client, "post", "/api/v1/language-certificates", headers, body)
    assert created.status_code == 201, created.content
    future = {**body, "issued_on": "2999-01-01"}
    assert api(client, "post", "/api/v1/language-certificates", headers, future).status_code == 400
    listed = api(
        client, "get", f"/api/v1/language-certificates?person={world.a.person.pk}", headers
    )
    assert [c["level"] for c in listed.json()["items"]] == ["A2"]
    from lgnet.cases.timeline import entries_for

    with scope(city=world.a.city):
        kinds = {e.kind for e in entries_for(world.a.case, world.memberships["caseworker"])}
    assert "language_certificate" in kinds
    login(world.user("caseworker"))
    page = client.get(reverse("people:detail", args=[world.a.city.slug, world.a.person.pk]))
    assert 'data-testid="language-certificates"' in page.content.decode()


def test_partner_asks_the_city_to_enrol_someone(client, world, login):
    login(world.user("partner"))
    slug, pk = world.a.city.slug, world.a.activity.pk
    response = client.post(
        reverse("activities:request_add", args=[slug, pk]),
        {"name": "Fatou Camara", "phone": "333 1234567", "note": "Livello A1"},
    )
    assert response.status_code == 302
    assert client.post(reverse("activities:enrol", args=[slug])).status_code == 403
    with scopes_disabled():
        asked = world.a.activity.enrolment_requests.get()
        assert (
            not Enrolment.objects.filter(activity=world.a.activity)
            .exclude(person=world.a.person)
            .exists()
        )
    login(world.user("caseworker"))
    listed = client.get(reverse("activities:list", args=[slug])).content.decode()
    assert listed.count('data-testid="open-requests"') == 1  # the city sees it waits
    page = client.get(reverse("activities:detail", args=[slug, pk])).content.decode()
    assert "Fatou Camara" in page
    client.post(
        reverse("activities:request_close", args=[slug, pk]),
        {"request": asked.pk, "status": "declined"},
    )
    asked.refresh_from_db()
    assert asked.status == "declined"
    listed = client.get(reverse("activities:list", args=[slug])).content.decode()
    assert 'data-testid="open-requests"' not in listed


def test_the_art_15_export_lists_enrolments_and_marks(world):
    from lgnet.privacy.sections import sections_for

    with scope(city=world.a.city):
        found = dict(sections_for(world.a.person))
    records = {row["record"] for row in found["Activities"]}
    assert {"enrolment", "attendance"} <= records


def test_an_activity_without_dates_is_refused_by_the_service(world):
    with pytest.raises(RuleBroken) as refused:
        course(world.a, world.user("coordinator"), end_date=None)
    assert refused.value.field == "end_date"


# Completion, verification, the plan, the city's home --------------------------------------


def test_sessions_after_someone_left_are_not_held_for_them(world):
    a, worker = world.a, world.user("caseworker")
    membership = world.memberships["caseworker"]
    with scope(city=a.city):
        activity = course(a, worker)
        held = sessions(activity, worker, FEB)
        enrolment = services.enrol(
            actor=worker, activity=activity, person=a.person, enrolled_on=date(2024, 2, 1)
        )
        mark(held[0], worker, enrolment, "present")
        mark(held[1], worker, enrolment, "absent")
        services.change_status(
            actor=worker,
            enrolment=enrolment,
            status="dropped_out",
            reason="Trovato lavoro",
            on=date(2024, 2, 8),
        )
        row = figures(membership, enrolment)
        # The sessions of 12 and 14 February came after the person left: not absences.
        assert (row.present_sessions, row.sessions_held) == (1, 2)
        assert row.attendance_rate == pytest.approx(0.5)


def test_completing_the_activity_completes_those_who_meet_the_rule(client, world, login):
    a, worker = world.a, world.user("caseworker")
    with scope(city=a.city):
        activity = course(a, worker, capacity=2, min_attendance=Decimal("0.75"))
        held = sessions(activity, worker, FEB)
        joined = date(2024, 2, 1)
        good = services.enrol(actor=worker, activity=activity, person=a.person, enrolled_on=joined)
        poor = services.enrol(
            actor=worker, activity=activity, person=a.other_person, enrolled_on=joined
        )
        waiting = services.enrol(
            actor=worker, activity=activity, person=new_person(a, worker, "Fatou", "Camara")
        )
        assert waiting.status == EnrolmentStatus.WAITING
        for index, session in enumerate(held):
            mark(session, worker, good, "present" if index else "excused")  # 3 of 4: 75 %
            mark(session, worker, poor, "present" if index < 2 else "absent")  # 50 %
    login(worker)
    page = client.get(reverse("activities:detail", args=[a.city.slug, activity.pk]))
    text = page.content.decode()
    assert 'data-testid="complete-form"' in text
    assert text.count('data-testid="below-minimum"') == 1
    response = client.post(reverse("activities:complete", args=[a.city.slug, activity.pk]))
    assert response.status_code == 302
    with scope(city=a.city):
        statuses = {
            e.pk: (e.status, e.ended_on)
            for e in Enrolment.objects.filter(activity=activity).order_by("id")
        }
    assert statuses[good.pk] == ("completed", date(2024, 2, 14))  # the last session's day
    assert statuses[poor.pk] == ("attending", None)  # left for the city to decide
    # The place freed by completing is no use to anyone waiting: nobody is promoted.
    assert statuses[waiting.pk] == ("waiting", None)


def test_an_activity_with_sessions_to_come_is_not_completed(world):
    a, worker = world.a, world.user("caseworker")
    with scope(city=a.city):
        activity = course(a, worker, end_date=date(2099, 1, 31))
        (first,) = sessions(activity, worker, FEB[:1])
        services.add_session(actor=worker, activity=activity, date=date(2099, 1, 10), hours=2)
        enrolment = services.enrol(actor=worker, activity=activity, person=a.person)
        mark(first, worker, enrolment, "present")
        with pytest.raises(RuleBroken) as refused:
            services.complete_activity(actor=worker, activity=activity)
        assert refused.value.status == 409
        enrolment.refresh_from_db()
        assert enrolment.status == EnrolmentStatus.ATTENDING


def test_the_city_verifies_a_certificates_code(client, world, login):
    from lgnet.activities import certificates

    slug, pk = world.a.city.slug, world.a.enrolment.pk
    with scope(city=world.a.city):
        code = certificates.verification_code(
            figures(world.memberships["caseworker"], world.a.enrolment)
        )
    assert code.startswith(f"{pk}-")
    login(world.user("caseworker"))
    page = client.get(reverse("activities:certificate", args=[slug, pk])).content.decode()
    assert f'data-testid="certificate-code">{code}<' in page
    url = reverse("activities:certificate_verify", args=[slug])
    typed = " - ".join(code.lower().split("-"))  # as read off the page, spaces and all
    valid = client.post(url, {"code": typed}).content.decode()
    assert 'data-valid="true"' in valid and "Dialo" in valid
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert 'data-valid="false"' in client.post(url, {"code": forged}).content.decode()
    # Hours changed after printing: the old code no longer matches.
    with scope(city=world.a.city):
        later = services.add_session(
            actor=world.user("caseworker"),
            activity=world.a.activity,
            date=date(2024, 3, 6),
            hours=2,
        )
        mark(later, world.user("caseworker"), world.a.enrolment, "present")
    assert 'data-valid="false"' in client.post(url, {"code": code}).content.decode()
    # Another city's code is not found here, even when genuine there.
    with scope(city=world.b.city):
        theirs = certificates.verification_code(
            figures(world.memberships["outsider_caseworker"], world.b.enrolment)
        )
    assert 'data-valid="false"' in client.post(url, {"code": theirs}).content.decode()
    assert client.post(url, {"code": "not a code"}).status_code == 200
    # Digits that are not 0-9 (superscripts pass str.isdigit but not int) are no code either.
    for odd in ("²-ABCD", "١٢-ABCD"):
        answer = client.post(url, {"code": odd})
        assert answer.status_code == 200 and 'data-valid="false"' in answer.content.decode()


def test_a_language_certificate_feeds_the_plans_language_goals(world):
    from lgnet.cases.models import Goal
    from lgnet.cases.services import add_goal

    a, worker = world.a, world.user("caseworker")
    with scope(city=a.city):
        language = add_goal(
            actor=worker, case=a.case, domain="language", description="Raggiungere il livello A2"
        )
        housing = add_goal(actor=worker, case=a.case, domain="housing", description="Una casa")
        recorded = services.record_language_certificate(
            actor=worker, person=a.person, level="A2", issued_on=date(2024, 6, 20), issuer="cpia"
        )
        assert recorded.goals_fed == 1
        language, housing = Goal.objects.get(pk=language.pk), Goal.objects.get(pk=housing.pk)
        assert language.status == "in_progress" and "A2" in language.outcome
        assert "20/06/2024" in language.outcome
        assert housing.status == "planned" and housing.outcome == ""
        # Recording it again (a correction) does not write the same fact twice.
        services.record_language_certificate(
            actor=worker, person=a.person, level="A2", issued_on=date(2024, 6, 20), issuer="cpia"
        )
        language.refresh_from_db()
        assert language.outcome.count("20/06/2024") == 1


def test_the_city_home_shows_participants_hours_and_gains(client, world, login):
    with scope(city=world.a.city):
        services.record_levels(
            actor=world.user("caseworker"),
            enrolment=world.a.enrolment,
            entry_level="A1",
            exit_level="A2",
        )
    from django.utils import translation

    login(world.user("caseworker"))
    response = client.get(f"/c/{world.a.city.slug}/")
    shown = {str(label): value for value, label in response.context["figures"]}
    with translation.override(response["Content-Language"]):
        labels = [
            translation.gettext(text)
            for text in ("activity participants", "hours attended", "gained a CEFR level")
        ]
    # One participant, the two hours of the session attended, one level gained.
    assert [shown[label] for label in labels] == [1, "2", 1]
    text = response.content.decode()
    assert all(label in text for label in labels)
