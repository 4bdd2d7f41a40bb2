"""Attachments go sooner than the record: their own retention period, and with erasure."""

from datetime import date

from django_scopes import scopes_disabled

from lgnet.privacy import erasure, services


def _attachment_state(attachment) -> dict:
    from lgnet.cases.models import Attachment

    with scopes_disabled():
        return {
            "row": Attachment.objects.filter(pk=attachment.pk).exists(),
            "history": sum(
                event.objects.filter(pgh_obj_id=attachment.pk).count()
                for event in erasure.event_models(Attachment)
            ),
            "file": attachment.file.storage.exists(attachment.file.name),
        }


def _close_case_a(world) -> None:
    from lgnet.cases.services import close_case

    with scopes_disabled():
        close_case(
            actor=world.user("caseworker"),
            case=world.a.case,
            outcome="goals_reached",
            closed_on=date(2024, 3, 10),
        )


def test_erasure_deletes_the_files_their_rows_and_history(
    world, login, django_capture_on_commit_callbacks
):
    attachment = world.a.attachment
    assert _attachment_state(attachment) == {"row": True, "history": 1, "file": True}
    client = login(world.user("coordinator"))
    download = f"/c/taranto/cases/{world.a.case.pk}/attachments/{attachment.pk}/"
    assert client.get(download).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/c/taranto/privacy/persons/{world.a.person.pk}/anonymise/",
            {"confirm": str(world.a.person.pk)},
        )
    assert response.status_code == 302
    assert _attachment_state(attachment) == {"row": False, "history": 0, "file": False}
    assert client.get(download).status_code == 404
    page = client.get(f"/c/taranto/cases/{world.a.case.pk}/")
    assert page.status_code == 200 and 'data-testid="attachment"' not in page.content.decode()
    assert _attachment_state(world.b.attachment)["file"]  # the other city's file stays


def test_retention_deletes_the_files_of_cases_closed_past_the_period(
    world, django_capture_on_commit_callbacks
):
    _close_case_a(world)
    with scopes_disabled():
        services.save_policy(
            actor=world.user("network"), kind="attachments", months=12, is_active=True
        )
    preview = {item["policy"].kind: item["cities"] for item in services.retention_preview()}
    assert preview == {"attachments": {"taranto": 1}}  # closed in March 2024, over a year ago
    early = services.retention_preview(date(2025, 3, 10))
    assert early[0]["total"] == 0  # closed on 10/03/2024: not yet a full year before

    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_retention(today=date(2025, 3, 11))
    assert run.counts == {"taranto": {"attachments": 1}}
    assert _attachment_state(world.a.attachment) == {"row": False, "history": 0, "file": False}
    world.a.person.refresh_from_db()
    assert world.a.person.anonymised_at is None  # only the files go
    assert _attachment_state(world.b.attachment)["row"]  # B's case is still open
    assert services.retention_preview(date(2025, 3, 11))[0]["total"] == 0


def test_retention_keeps_the_files_of_a_restricted_person(world):
    _close_case_a(world)
    with scopes_disabled():
        services.save_policy(
            actor=world.user("network"), kind="attachments", months=1, is_active=True
        )
        services.set_restriction(
            actor=world.user("coordinator"), person=world.a.person, restricted=True
        )
    run = services.run_retention()
    assert run.counts == {}
    assert _attachment_state(world.a.attachment)["row"]
