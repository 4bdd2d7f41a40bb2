"""Roles × own city × other city, for every page and API operation (see tests/authz.py)."""

import json

import pytest
from django.urls import path, reverse

from config.api import api
from conftest import ACTORS
from lgnet.accounts.roles import capabilities_of
from lgnet.accounts.services import issue_token
from tests.authz import API, PUBLIC, SIGNED_IN, UI, Spec, unguarded

CITY_A = {"coordinator", "caseworker", "outreach", "partner", "auditor"}
CITY_B = {"outsider", "outsider_caseworker"}


@pytest.fixture
def world(module_world, db):
    """The matrix only reads the world: build it once for the module (see conftest)."""
    return module_world


def _can(actor: str, need: str) -> bool:
    return any(cap in capabilities_of(ACTORS[actor][0]) for cap in need.split("|"))


def _object(world, cw, name: str):
    """The object of kind ``name`` in the city world ``cw`` (or network-wide)."""
    return {
        "organisation": lambda: cw.organisation,
        "agreement": lambda: cw.agreement,
        "site": lambda: cw.site,
        "membership": lambda: world.memberships[
            "caseworker" if cw is world.a else "outsider_caseworker"
        ],
        "person": lambda: cw.person,
        "contact": lambda: cw.contact,
        "case": lambda: cw.case,
        "service": lambda: cw.service,
        "rights_request": lambda: cw.rights_request,
        "report": lambda: cw.report,
        "referral": lambda: cw.referral,
        "note": lambda: cw.note,
        "task": lambda: cw.task,
        "activity": lambda: cw.activity,
        "session": lambda: cw.session,
        "enrolment": lambda: cw.enrolment,
        "facility": lambda: cw.facility,
        "bed": lambda: cw.bed,
        "placement": lambda: cw.placement,
        "housing_request": lambda: cw.housing_request,
        "landlord": lambda: cw.landlord,
        "rent_support": lambda: cw.rent_support,
        "import": lambda: cw.data_import,
    }[name]()


def _ui_kwargs(world, spec: Spec, name: str, cw) -> dict:
    if name == "accounts:token_revoke":
        return {"token_id": 0}
    if spec.scope == "network":
        return {
            None: {},
            "edition": {"code": world.edition.code},
            "city": {"slug": world.a.city.slug},
            "participation": {"code": world.edition.code, "city_slug_": world.a.city.slug},
            "report": {"pk": world.a.report.pk},
        }[spec.obj]
    if spec.scope != "city":
        return {}
    kwargs = {"city_slug": cw.city.slug}
    if spec.obj:
        if spec.obj == "person_query":
            return kwargs
        key = {"membership": "membership_id", "task": "task_id"}.get(spec.obj, "pk")
        kwargs[key] = _object(world, cw, spec.obj).pk
        if name in ("people:merge", "people:not_same"):
            kwargs["other"] = cw.other_person.pk
        inner = {
            "cases:goal_update": ("goal_id", lambda: cw.goal),
            "cases:review_held": ("review_id", lambda: cw.review),
            "cases:note_edit": ("note_id", lambda: cw.note),
            "cases:attachment_download": ("attachment_id", lambda: cw.attachment),
        }
        if name in inner:
            kwarg, of = inner[name]
            kwargs[kwarg] = of().pk
    return kwargs


def _expected(spec: Spec, actor: str, *, api_call: bool) -> str:
    if spec.need in (PUBLIC, SIGNED_IN):
        return "ok"
    allowed = _can(actor, spec.need)
    if spec.scope == "network":
        return "ok" if allowed else "403"
    if actor in CITY_A:
        return "ok" if allowed else "403"
    if actor == "network":
        return "403" if api_call else "404"
    # A user of city B: pages of city A do not exist for them; in the API the same
    # operation runs on their own city, and objects of city A are not found.
    if not api_call or spec.obj or spec.body_refers_to_city:
        return "404" if (not api_call or allowed) else "403"
    return "ok" if allowed else "403"


def _check(status: int, expected: str, where: str) -> None:
    assert status < 500, f"{where}: server error {status}"
    if expected == "ok":
        assert status not in (401, 403, 404), f"{where}: expected access, got {status}"
    else:
        assert status == int(expected), f"{where}: expected {expected}, got {status}"


@pytest.mark.parametrize("actor", sorted(ACTORS))
@pytest.mark.parametrize("name", sorted(UI))
def test_pages_answer_by_role_and_city(world, login, name, actor):
    spec = UI[name]
    if spec.need == PUBLIC:
        return  # covered by test_public_pages_need_no_login
    client = login(world.user(actor))
    url = reverse(name, kwargs=_ui_kwargs(world, spec, name, world.a))
    if spec.obj == "person_query":
        url += f"?person={world.a.other_person.pk}"
    response = client.post(url) if spec.method == "post" else client.get(url)
    if name == "accounts:token_revoke":
        _check(response.status_code, "404", f"{actor} {name}")  # token 0 is nobody's
        return
    _check(response.status_code, _expected(spec, actor, api_call=False), f"{actor} {url}")


@pytest.mark.parametrize("name", sorted(n for n, s in UI.items() if s.scope == "city" and s.obj))
def test_other_citys_object_in_own_city_url_is_404(world, login, name):
    spec = UI[name]
    client = login(world.user("outsider"))
    kwargs = _ui_kwargs(world, spec, name, world.a)
    kwargs["city_slug"] = world.b.city.slug
    url = reverse(name, kwargs=kwargs)
    if spec.obj == "person_query":
        url += f"?person={world.a.person.pk}"
    response = client.post(url) if spec.method == "post" else client.get(url)
    assert response.status_code == 404, url


@pytest.mark.parametrize("name", sorted(UI))
def test_anonymous_users_are_sent_to_login(client, db, world, name):
    spec = UI[name]
    url = reverse(name, kwargs=_ui_kwargs(world, spec, name, world.a))
    response = client.post(url) if spec.method == "post" else client.get(url)
    assert response.status_code < 500
    sent_to_login = response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert sent_to_login == (spec.need != PUBLIC), f"{url}: {response.status_code}"


def _api_path(world, key, spec: Spec, cw) -> str:
    method, template = key
    values = {
        "code": world.edition.code,
        "slug": world.a.city.slug,
        "token_id": 0,
    }
    if spec.obj and (spec.scope == "city" or spec.obj == "report"):
        values[f"{spec.obj}_id"] = _object(world, cw, spec.obj).pk
    return (template + spec.query).format(**values)


def _call(client, method: str, url: str, body, headers: dict):
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(url, data=data, content_type="application/json", headers=headers)


@pytest.mark.parametrize("actor", sorted(ACTORS))
@pytest.mark.parametrize("key", sorted(API))
def test_api_answers_by_role_and_city(world, client, key, actor):
    spec = API[key]
    method = key[0]
    if spec.need == PUBLIC:
        return
    secret, _ = issue_token(membership=world.memberships[actor])
    headers = {"Authorization": f"Bearer {secret}"}
    url = _api_path(world, key, spec, world.a)
    body = spec.body(world) if spec.body else ({} if method != "get" else None)
    response = _call(client, method, url, body, headers)
    if spec.obj == "token":
        _check(response.status_code, "404", f"{actor} {method} {url}")
        return
    expected = _expected(spec, actor, api_call=True)
    refused = dict(spec.refused_for)
    if actor in refused and expected == "ok":
        expected = str(refused[actor])
    _check(response.status_code, expected, f"{actor} {method.upper()} {url}")
    if expected == "ok" and spec.body:
        wanted = (409,) if spec.expect_conflict else (200, 201)
        assert response.status_code in wanted, response.content
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("key", sorted(k for k, s in API.items() if s.need != PUBLIC))
def test_api_without_credentials_is_401(client, db, world, key):
    spec = API[key]
    body = None if key[0] == "get" else {}
    response = _call(client, key[0], _api_path(world, key, spec, world.a), body, {})
    assert response.status_code == 401
    assert set(response.json()) >= {"detail", "errors"}


def test_every_page_and_operation_has_an_authorisation_line():
    from django.urls import get_resolver

    pages, operations = unguarded(get_resolver().url_patterns, api.get_openapi_schema())
    assert not pages, f"pages without a line in tests/authz.py: {sorted(pages)}"
    assert not operations, f"API operations without a line in tests/authz.py: {operations}"


def test_the_guard_catches_a_new_page_and_a_new_operation():
    from django.urls import get_resolver

    def new_page(request):  # pragma: no cover - never served
        return None

    patterns = [
        *get_resolver().url_patterns,
        path("c/<slug:city_slug>/new/", new_page, name="brand_new_page"),
    ]
    schema = api.get_openapi_schema()
    schema = {"paths": {**schema["paths"], "/api/v1/brand-new": {"get": {}}}}
    pages, operations = unguarded(patterns, schema)
    assert pages == {"brand_new_page"}
    assert operations == {("get", "/api/v1/brand-new")}
