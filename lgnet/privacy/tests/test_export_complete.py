"""The art. 15 export holds every record of the person, in every app, with its history and
who received the data; the consents of the person's referrals are on one page."""

from django.apps import apps
from django.utils import translation
from django_scopes import scopes_disabled

from lgnet.cases.models import Shared
from lgnet.people.models import Person
from lgnet.privacy import services
from lgnet.privacy.sections import related_to_person

# Titles of the registry's own sections, whose rows are of one model and carry no "record".
SECTION_MODELS = {
    "Person": "person",
    "First contacts": "contact",
    "Household": "householdlink",
    "Data-subject requests": "rightsrequest",
}


def _person_keys(model) -> list[str]:
    """The lookups from a model to a person: any foreign key to Person, or a chain of keys."""
    keys = [
        f.name for f in model._meta.concrete_fields if getattr(f, "related_model", None) is Person
    ]
    path = related_to_person(model, Person)
    return [*keys, path] if path and path not in keys else keys


def _held(person) -> dict[str, set[int]]:
    """Every row of every model that points at the person, by model name (history aside)."""
    held: dict[str, set[int]] = {}
    with scopes_disabled():
        for model in apps.get_models():
            if getattr(model, "pgh_tracked_model", None) is not None:
                continue
            for key in _person_keys(model):
                if model is Person and key == "merged_into":
                    continue  # records merged into this one: checked by the merge test
                ids = set(
                    model._default_manager.filter(**{key: person}).values_list("pk", flat=True)
                )
                if ids:
                    held.setdefault(model._meta.model_name, set()).update(ids)
    held.setdefault("person", set()).add(person.pk)
    return held


def _exported(data: dict) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for section in data["sections"]:
        if section["title"] in ("History of changes", "Recipients of the data", "Access log"):
            continue
        for row in section["rows"]:
            name = row.get("record") or SECTION_MODELS.get(section["title"])
            if name and "id" in row:
                found.setdefault(name, set()).add(row["id"])
    return found


def _export(world, person) -> dict:
    with scopes_disabled():
        return services.export_person(membership=world.memberships["coordinator"], person=person)


def test_the_export_holds_every_row_pointing_at_the_person_in_every_app(world):
    person = world.a.person
    held = _held(person)
    # the world gives the person rows in the registry, cases, housing, activities, privacy
    assert {"case", "service", "referral", "note", "placement", "enrolment"} <= set(held)
    exported = _exported(_export(world, person))
    for model_name, ids in held.items():
        assert ids <= exported.get(model_name, set()), model_name
    # and nothing of anyone else: every exported row is one of the person's
    others = _held(world.a.other_person)
    others_b = _held(world.b.person)
    for model_name, ids in exported.items():
        assert not ids & (others.get(model_name, set()) - held.get(model_name, set())), model_name
        assert not ids & others_b.get(model_name, set()), model_name


def test_the_export_holds_the_history_of_every_record_of_the_person(world):
    data = _export(world, world.a.person)
    history = next(s["rows"] for s in data["sections"] if s["title"] == "History of changes")
    recorded = {row["record"] for row in history}
    assert {"person", "case", "service", "referral", "note"} <= recorded, recorded
    ids_of = {}
    for row in history:
        ids_of.setdefault(row["record"], set()).add(row["id"])
    assert ids_of["case"] == {world.a.case.pk}  # not the other city's case


def test_the_export_names_who_received_the_data(world):
    data = _export(world, world.a.person)
    recipients = next(s["rows"] for s in data["sections"] if s["title"] == "Recipients of the data")
    referral = next(
        row for row in recipients if row["through"] == f"referral {world.a.referral.pk}"
    )
    assert referral["organisation"] == "Cooperativa Taranto"
    assert referral["consent_on"] == "2024-03-01" and referral["consent_revoked_on"] is None
    assert referral["shared"] == ["contact", "birth_year", "languages", "reason"]
    assert {"organisation": "Cooperativa Taranto", "through": "current access"} in recipients
    assert not any("Milano" in row["organisation"] for row in recipients)


def test_consents_are_on_one_page_and_revocable(world, login):
    client = login(world.user("coordinator"))
    url = f"/c/taranto/privacy/persons/{world.a.person.pk}/"
    page = client.get(url).content.decode()
    assert page.count('data-testid="consent"') == 1
    with translation.override("it"):  # the page speaks Italian
        assert "Cooperativa Taranto" in page and str(Shared.CONTACT.label) in page
    assert "Cooperativa Milano" not in page
    revoke = f"/c/taranto/referrals/{world.a.referral.pk}/revoke-consent/"
    assert revoke in page
    assert client.post(revoke).status_code == 302
    page = client.get(url).content.decode()
    assert 'data-testid="consent-revoked"' in page
    with scopes_disabled():
        data = services.export_person(
            membership=world.memberships["coordinator"], person=world.a.person
        )
    recipients = next(s["rows"] for s in data["sections"] if s["title"] == "Recipients of the data")
    referral = next(row for row in recipients if row["through"].startswith("referral"))
    assert referral["consent_revoked_on"] is not None


def test_exports_of_lists_are_on_the_access_log_page(world, login, bearer, client):
    exported = client.get("/api/v1/exports/persons?format=csv", headers=bearer("coordinator"))
    assert exported.status_code == 200
    client.get("/api/v1/exports/persons", headers=bearer("outsider"))  # the other city's
    page = login(world.user("auditor")).get("/c/taranto/privacy/access-log/")
    text = page.content.decode()
    assert text.count('data-testid="export-row"') == 1
    assert "persons" in text and "csv" in text
    filtered = login(world.user("auditor")).get(
        f"/c/taranto/privacy/access-log/?user={world.user('caseworker').pk}"
    )
    assert 'data-testid="export-row"' not in filtered.content.decode()
