"""Assessments, the plan, notes, referrals and partner access, tasks and files."""

import json
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from lgnet.accounts.models import Membership
from lgnet.accounts.roles import Role
from lgnet.accounts.services import issue_token
from lgnet.cases import selectors, services
from lgnet.cases.models import Note, Referral, ReferralStatus, ServiceType, Task
from lgnet.core.exceptions import RuleBroken
from lgnet.core.models import AccessLog

SENSITIVE_WORDS = ["homelessness", "Senza dimora", "Codice fiscale", "Permesso", "Vulnerab"]


def logged(**filters) -> int:
    with scopes_disabled():
        return AccessLog.objects.filter(**filters).count()


def api(client, method, url, headers, body=None):
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(url, data=data, content_type="application/json", headers=headers)


def colleague(world, django_user_model, name="collega", role=Role.CASEWORKER):
    user = django_user_model.objects.create_user(name, password="x" * 12)
    membership = Membership.objects.create(user=user, role=role, city=world.a.city)
    return user, membership


# --- Assessment and plan ---------------------------------------------------------------------


def test_assessments_repeat_and_show_the_change_by_domain(world):
    worker = world.user("caseworker")
    with scope(city=world.a.city):
        case = world.a.case
        services.record_assessment(
            actor=worker, case=case, assessed_on=date(2024, 3, 5), levels={"housing": 1, "work": 2}
        )
        services.record_assessment(
            actor=worker, case=case, assessed_on=date(2024, 6, 5), levels={"housing": 3, "work": 2}
        )
        grid = selectors.assessment_grid(selectors.assessments_of(case))
    assert grid["dates"] == [date(2024, 3, 5), date(2024, 6, 5)]
    rows = {r["code"]: r for r in grid["rows"]}
    assert rows["housing"]["levels"] == [1, 3] and rows["housing"]["change"] == 2
    assert rows["work"]["change"] == 0 and rows["health"]["change"] is None
    with scope(city=world.a.city), pytest.raises(RuleBroken):
        services.record_assessment(actor=worker, case=case, assessed_on=date(2024, 7, 1), levels={})
    with scope(city=world.a.city), pytest.raises(RuleBroken):
        services.record_assessment(
            actor=worker, case=case, assessed_on=date(2024, 7, 1), levels={"housing": 9}
        )


def test_a_plan_review_makes_a_task_for_the_manager_and_holding_it_ends_the_task(world):
    with scope(city=world.a.city):
        task = Task.objects.get(key=f"review:{world.a.review.pk}")
        assert task.assignee == world.a.case.manager and task.due_on == date(2024, 6, 1)
        services.hold_review(
            actor=world.user("caseworker"), review=world.a.review, held_on=date(2024, 6, 2)
        )
        task.refresh_from_db()
        assert task.done_on == date(2024, 6, 2)


def test_a_goal_that_ended_says_how(world):
    with scope(city=world.a.city):
        with pytest.raises(RuleBroken) as error:
            services.update_goal(
                actor=world.user("caseworker"), goal=world.a.goal, status="not_achieved"
            )
        assert error.value.field == "outcome"
        services.update_goal(actor=world.user("caseworker"), goal=world.a.goal, status="achieved")


# --- Notes -----------------------------------------------------------------------------------


def test_confidential_notes_are_read_by_the_team_and_the_coordinator_and_every_read_is_logged(
    world, login, client, django_user_model
):
    with scope(city=world.a.city):
        note = services.write_note(
            actor=world.user("caseworker"),
            membership=world.memberships["caseworker"],
            case=world.a.case,
            body="Racconta di torture subite in Libia.",
            confidential=True,
        )
    url = f"/c/taranto/cases/{world.a.case.pk}/"
    outsider, _m = colleague(world, django_user_model)
    for user, reads in (
        (world.user("caseworker"), True),
        (world.user("coordinator"), True),
        (world.user("auditor"), False),
        (outsider, False),
    ):
        login(user)
        before = logged(what=f"confidential_note:{note.pk}", user=user)
        page = client.get(url).content.decode()
        assert ("torture" in page) is reads, user.username
        after = logged(what=f"confidential_note:{note.pk}", user=user)
        assert (after - before == 1) if reads else after == 0
    # The API gives metadata only, never the text.
    body = api(client, "get", f"/api/v1/notes?case={world.a.case.pk}", _bearer(world, "auditor"))
    assert body.status_code == 200
    assert "torture" not in body.content.decode()
    assert any(n["confidential"] for n in body.json()["items"])


def _bearer(world, name):
    secret, _t = issue_token(membership=world.memberships[name])
    return {"Authorization": f"Bearer {secret}"}


def test_a_note_is_corrected_by_its_author_for_24_hours_then_only_answered(world):
    worker = world.user("caseworker")
    with scope(city=world.a.city):
        note = world.a.note
        services.edit_note(actor=worker, note=note, body="Primo colloquio svolto, con mediatore.")
        with pytest.raises(RuleBroken) as error:
            services.edit_note(actor=world.user("coordinator"), note=note, body="altro")
        assert error.value.status == 403
        Note.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(hours=25))
        note.refresh_from_db()
        with pytest.raises(RuleBroken) as error:
            services.edit_note(actor=worker, note=note, body="Tardi")
        assert error.value.status == 409
        addendum = services.write_note(
            actor=worker,
            membership=world.memberships["caseworker"],
            case=world.a.case,
            body="Aggiunta: il mediatore era arabo.",
            addendum_to=note,
        )
        assert addendum.addendum_to == note


# --- Referrals and partner access ------------------------------------------------------------


def test_no_referral_without_consent_and_no_second_open_one_to_the_same_partner(world):
    with scope(city=world.a.city):
        with pytest.raises(RuleBroken) as error:
            services.send_referral(
                actor=world.user("caseworker"),
                case=world.a.case,
                organisation=world.a.partner,
                reason="x",
                consent_on=None,
                consent_shares=[],
            )
        assert error.value.field == "consent_on"
        with pytest.raises(RuleBroken) as error:
            services.send_referral(
                actor=world.user("caseworker"),
                case=world.a.case,
                organisation=world.a.partner,
                reason="di nuovo",
                consent_on=date(2024, 3, 1),
                consent_shares=[],
            )
        assert error.value.status == 409


def test_a_partner_reads_only_referred_persons_and_only_the_allowed_fields(world, client, login):
    headers = _bearer(world, "partner")
    listed = api(client, "get", "/api/v1/persons", headers).json()
    assert [p["id"] for p in listed["items"]] == [world.a.person.pk]
    item = listed["items"][0]
    for hidden in (
        "codice_fiscale",
        "legal_status",
        "permit_expiry",
        "vulnerabilities",
        "dwelling",
        "permit_number",
    ):
        assert item.get(hidden) is None, hidden
    assert item["birth_date"] == "1990-01-01" and item["birth_date_precision"] == "year"
    detail = api(client, "get", f"/api/v1/persons/{world.a.person.pk}", headers).json()
    assert detail["vulnerabilities"] is None and detail["nationalities"] == []
    assert (
        api(client, "get", f"/api/v1/persons/{world.a.other_person.pk}", headers).status_code == 404
    )
    assert (
        api(
            client,
            "post",
            "/api/v1/persons/match",
            headers,
            {
                "given_names": "Mohamed",
                "family_names": "Dialo",
                "sex": "M",
                "birth_date": "1990-03-12",
            },
        ).status_code
        == 403
    )
    assert api(client, "get", f"/api/v1/cases/{world.a.case.pk}", headers).status_code == 403
    assert api(client, "get", f"/api/v1/notes?case={world.a.case.pk}", headers).status_code == 403
    login(world.user("partner"))
    page = client.get(f"/c/taranto/persons/{world.a.person.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Mohamed" in text
    for word in SENSITIVE_WORDS:
        assert word not in text, word
    assert client.get(f"/c/taranto/persons/{world.a.other_person.pk}/").status_code == 404
    referral_page = client.get(f"/c/taranto/referrals/{world.a.referral.pk}/").content.decode()
    assert "Accompagnamento abitativo" in referral_page
    for word in SENSITIVE_WORDS:
        assert word not in referral_page, word
    # The attachment is never served to a partner.
    url = f"/c/taranto/cases/{world.a.case.pk}/attachments/{world.a.attachment.pk}/"
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("ending", ["revoke", "complete", "withdraw"])
def test_revoked_consent_or_a_closed_referral_ends_the_partners_access(world, client, ending):
    headers = _bearer(world, "partner")
    worker = world.user("caseworker")
    person = world.a.other_person  # reached by the partner through this referral only
    url = f"/api/v1/persons/{person.pk}"
    assert api(client, "get", url, headers).status_code == 404
    with scope(city=world.a.city):
        case = services.open_case(actor=worker, person=person, opened_on=date(2024, 2, 1))
        referral = services.send_referral(
            actor=worker,
            case=case,
            organisation=world.a.partner,
            reason="Corso sui diritti dei lavoratori",
            consent_on=date(2024, 2, 1),
            consent_shares=["reason"],
        )
    assert api(client, "get", url, headers).status_code == 200
    with scope(city=world.a.city):
        if ending == "revoke":
            services.revoke_consent(actor=worker, referral=referral)
        elif ending == "withdraw":
            services.withdraw_referral(actor=worker, referral=referral)
        else:
            partner = world.memberships["partner"]
            services.accept_referral(
                actor=world.user("partner"), membership=partner, referral=referral
            )
            services.complete_referral(
                actor=world.user("partner"), membership=partner, referral=referral
            )
    assert api(client, "get", url, headers).status_code == 404
    ids = [p["id"] for p in api(client, "get", "/api/v1/persons", headers).json()["items"]]
    assert person.pk not in ids
    seen = api(client, "get", f"/api/v1/referrals/{referral.pk}", headers).json()
    assert seen["person"] is None and seen["person_name"] is None and seen["reason"] is None


def test_the_partner_accepts_in_its_inbox_and_records_its_service(world, client):
    headers = _bearer(world, "partner")
    inbox = api(client, "get", "/api/v1/referrals?status=sent", headers).json()
    assert [r["id"] for r in inbox["items"]] == [world.a.referral.pk]
    assert inbox["items"][0]["case"] is None  # the partner never learns the case
    # The comune cannot answer its own outgoing referral.
    refused = api(
        client,
        "post",
        f"/api/v1/referrals/{world.a.referral.pk}/accept",
        _bearer(world, "caseworker"),
        {},
    )
    assert refused.status_code == 403
    accepted = api(client, "post", f"/api/v1/referrals/{world.a.referral.pk}/accept", headers, {})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    with scope(city=world.a.city):
        service = services.record_partner_service(
            actor=world.user("partner"),
            membership=world.memberships["partner"],
            referral=Referral.objects.get(pk=world.a.referral.pk),
            service_type=ServiceType.objects.get(code="orientation", city=None),
            delivered_on=timezone.localdate(),
        )
    assert service.provider == world.a.partner and service.case == world.a.case
    # The other city's partner sees nothing of it.
    assert (
        api(
            client,
            "get",
            f"/api/v1/referrals/{world.a.referral.pk}",
            _bearer(world, "outsider_caseworker"),
        ).status_code
        == 404
    )


def test_an_incoming_referral_is_linked_to_the_registry_by_the_comune(world, client):
    headers = _bearer(world, "partner")
    sent = api(
        client,
        "post",
        "/api/v1/referrals/incoming",
        headers,
        {
            "proposed_name": "Muhammad Diallo",
            "proposed_birth_year": 1990,
            "reason": "Fine pena a maggio",
            "consent_on": "2024-04-01",
        },
    )
    assert sent.status_code == 201, sent.content
    rid = sent.json()["id"]
    assert api(client, "post", f"/api/v1/referrals/{rid}/accept", headers, {}).status_code == 403
    coordinator = _bearer(world, "coordinator")
    missing = api(client, "post", f"/api/v1/referrals/{rid}/accept", coordinator, {})
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "person"
    done = api(
        client,
        "post",
        f"/api/v1/referrals/{rid}/accept",
        coordinator,
        {"person": world.a.other_person.pk},
    )
    assert done.status_code == 200 and done.json()["person"] == world.a.other_person.pk
    ids = {p["id"] for p in api(client, "get", "/api/v1/persons", headers).json()["items"]}
    assert ids == {world.a.person.pk, world.a.other_person.pk}


def test_referral_pages_for_the_partner_and_the_comune(world, client, login):
    login(world.user("partner"))
    inbox = client.get("/c/taranto/referrals/")
    assert inbox.status_code == 200 and "Mohamed" in inbox.content.decode()
    response = client.post(f"/c/taranto/referrals/{world.a.referral.pk}/accept/")
    assert response.status_code == 302
    with scopes_disabled():
        assert Referral.objects.get(pk=world.a.referral.pk).status == ReferralStatus.ACCEPTED
    login(world.user("caseworker"))
    page = client.get(f"/c/taranto/cases/{world.a.case.pk}/").content.decode()
    assert "Accettato" in page or "Accepted" in page


# --- Tasks -----------------------------------------------------------------------------------


def test_permit_expiry_makes_one_task_for_the_case_manager(world):
    today = timezone.localdate()
    with scopes_disabled():
        person = world.a.person
        person.permit_expiry = today + timedelta(days=40)
        person.save(update_fields=["permit_expiry"])
        assert services.make_automatic_tasks(world.a.city) == 1
        assert services.make_automatic_tasks(world.a.city) == 0  # made once
        task = Task.objects.get(city=world.a.city, kind="permit_expiry")
    assert task.assignee == world.user("caseworker")
    assert task.due_on == today + timedelta(days=10)


def test_my_tasks_overdue_tasks_and_the_overdue_case_filter(world, client, login):
    login(world.user("caseworker"))
    mine = client.get("/c/taranto/tasks/").content.decode()
    assert "Review the plan" in mine or "Rivedere il piano" in mine or world.a.case.number in mine
    overdue = client.get("/c/taranto/tasks/?show=overdue")
    assert world.a.case.number in overdue.content.decode()  # the review of June 2024 is late
    response = client.post("/c/taranto/cases/", {"overdue": "1"})
    assert world.a.case.number in response.content.decode()
    with scope(city=world.a.city):
        services.hold_review(
            actor=world.user("caseworker"), review=world.a.review, held_on=date(2024, 6, 1)
        )
    response = client.post("/c/taranto/cases/", {"overdue": "1"})
    assert world.a.case.number not in response.content.decode()


# --- Files -----------------------------------------------------------------------------------


def test_files_are_checked_by_content_and_size(world, settings):
    worker = world.user("caseworker")
    with scope(city=world.a.city):
        with pytest.raises(RuleBroken):  # an executable renamed .pdf
            services.add_attachment(
                actor=worker,
                case=world.a.case,
                kind="other",
                upload=SimpleUploadedFile("x.pdf", b"MZ\x90\x00binary"),
            )
        with pytest.raises(RuleBroken):  # a PDF named .png
            services.add_attachment(
                actor=worker,
                case=world.a.case,
                kind="other",
                upload=SimpleUploadedFile("x.png", b"%PDF-1.7"),
            )
        settings.ATTACHMENT_MAX_BYTES = 10
        with pytest.raises(RuleBroken) as error:
            services.add_attachment(
                actor=worker,
                case=world.a.case,
                kind="other",
                upload=SimpleUploadedFile("x.pdf", b"%PDF-1.7 " + b"0" * 20),
            )
        assert "MB" in error.value.message
        png = services.add_attachment(
            actor=worker,
            case=world.a.case,
            kind="id_copy",
            upload=SimpleUploadedFile("doc.png", b"\x89PNG\r\n\x1a\nxx"),
        )
    assert png.content_type == "image/png" and "doc" not in png.file.name


def test_a_file_is_served_to_the_team_with_a_log_line_and_to_nobody_else(
    world, client, login, django_user_model
):
    url = f"/c/taranto/cases/{world.a.case.pk}/attachments/{world.a.attachment.pk}/"
    login(world.user("caseworker"))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert response["Content-Disposition"].startswith("attachment")
    assert logged(what=f"attachment:{world.a.attachment.pk}") == 1
    other, _m = colleague(world, django_user_model)
    login(other)
    assert client.get(url).status_code == 403
    login(world.user("auditor"))
    assert client.get(url).status_code == 403


# --- Pages and queries -----------------------------------------------------------------------


def test_open_a_case_from_a_contact(world, client, login):
    with scopes_disabled():
        contact = world.a.contact
        contact.person = world.a.other_person
        contact.save(update_fields=["person"])
    login(world.user("caseworker"))
    form = client.get(f"/c/taranto/cases/new/?contact={contact.pk}")
    assert form.status_code == 200 and "Diallo" in form.content.decode()
    response = client.post(
        "/c/taranto/cases/new/",
        {
            "contact": contact.pk,
            "opened_on": timezone.localdate().isoformat(),
            "areas": ["taking_in_charge"],
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        case = world.a.other_person.cases.get()
    assert case.opened_from == contact


def test_the_case_page_reads_a_constant_number_of_queries(world, client, login):
    login(world.user("caseworker"))
    url = f"/c/taranto/cases/{world.a.case.pk}/"
    worker, membership = world.user("caseworker"), world.memberships["caseworker"]

    def add(n):
        with scope(city=world.a.city):
            orientation = ServiceType.objects.get(code="orientation", city=None)
            for i in range(n):
                services.record_service(
                    actor=worker,
                    case=world.a.case,
                    service_type=orientation,
                    delivered_on=date(2024, 3, 3),
                )
                services.write_note(
                    actor=worker, membership=membership, case=world.a.case, body=f"nota {i}"
                )
                services.write_note(
                    actor=worker,
                    membership=membership,
                    case=world.a.case,
                    body="c",
                    confidential=True,
                )
                services.add_goal(
                    actor=worker, case=world.a.case, domain="work", description=f"g{i}"
                )
                services.record_assessment(
                    actor=worker,
                    case=world.a.case,
                    assessed_on=date(2024, 3, 4),
                    levels={"work": 2},
                )
                services.create_task(
                    actor=worker,
                    city=world.a.city,
                    title=f"t{i}",
                    due_on=date(2024, 5, 1),
                    assignee=worker,
                    case=world.a.case,
                )

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    add(1)
    one = count()
    add(8)
    assert count() == one


def test_the_daily_command_makes_the_permit_tasks_once(world):
    import io

    from django.core.management import call_command

    with scopes_disabled():
        person = world.a.person
        person.permit_expiry = timezone.localdate() + timedelta(days=20)
        person.save(update_fields=["permit_expiry"])
    out = io.StringIO()
    call_command("make_tasks", stdout=out)
    assert "taranto: 1 new task(s)" in out.getvalue()
    again = io.StringIO()
    call_command("make_tasks", stdout=again)
    assert "0 new task(s) in all" in again.getvalue()


def test_a_partners_person_list_holds_its_persons_with_the_birth_year_only(world, client, login):
    login(world.user("partner"))
    page = client.post("/c/taranto/persons/", {"q": ""}).content.decode()
    assert "Dialo" in page and "Diallo" not in page
    assert "<td>GN</td>" not in page and "12/03/1990" not in page
    assert "<td>1990</td>" in page


def test_a_restricted_persons_case_opens_only_for_the_city_coordinator(world, client, login):
    with scopes_disabled():
        person = world.a.person
        person.is_restricted = True
        person.save(update_fields=["is_restricted"])
    url = f"/c/taranto/cases/{world.a.case.pk}/"
    login(world.user("caseworker"))
    assert client.get(url).status_code == 403
    assert world.a.case.number not in client.get("/c/taranto/cases/").content.decode()
    login(world.user("coordinator"))
    assert client.get(url).status_code == 200
