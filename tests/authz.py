"""The authorisation matrix: every page and API operation, and who may use it.

test_authorization.py checks each entry for every role, in the own and in the other city,
and fails when a URL pattern or an API operation exists that this table does not name.
Adding a page means adding a line here; the generic tests then cover it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = "public"  # no sign-in needed
SIGNED_IN = "signed_in"  # any signed-in user, about themselves only


@dataclass(frozen=True)
class Spec:
    need: str  # PUBLIC, SIGNED_IN or a capability ("a|b": either one)
    scope: str = "city"  # "city": under /c/<city>/ or the caller's city; "network"; "self"
    method: str = "get"
    obj: str | None = None  # the city-owned object named in the URL, if any
    body: Callable | None = field(default=None, compare=False)  # world -> request body
    body_refers_to_city: bool = False  # the body names an object of city A
    query: str = ""  # query string the operation needs
    expect_conflict: bool = False  # allowed, but the state of the sample object refuses (409)
    # Allowed roles that the sample object's side refuses, as (actor, status): the comune may
    # answer incoming referrals only, and the world's referral is outgoing.
    refused_for: tuple = ()


READ_PERSONS = "people.view|people.view_minimal|people.view_referred"
READ_ACTIVITIES = "activities.view|activities.record"
# Partners hold data.export for what their pages show; the other kinds answer them 403.
NOT_FOR_PARTNERS = (("partner", 403),)

# Pages, by URL name.
UI: dict[str, Spec] = {
    "home": Spec(SIGNED_IN, scope="self"),
    "healthz": Spec(PUBLIC, scope="self"),
    "set_language": Spec(PUBLIC, scope="self", method="post"),
    "accounts:login": Spec(PUBLIC, scope="self"),
    "accounts:logout": Spec(SIGNED_IN, scope="self", method="post"),
    "accounts:otp": Spec(SIGNED_IN, scope="self"),
    "accounts:password_change": Spec(SIGNED_IN, scope="self"),
    "accounts:profile": Spec(SIGNED_IN, scope="self"),
    "accounts:token_create": Spec(SIGNED_IN, scope="self", method="post"),
    "accounts:token_revoke": Spec(SIGNED_IN, scope="self", method="post", obj="token"),
    "accounts:recovery_codes": Spec(SIGNED_IN, scope="self"),
    "accounts:session_end": Spec(SIGNED_IN, scope="self", method="post"),
    "accounts:sessions_end_others": Spec(SIGNED_IN, scope="self", method="post"),
    "accounts:switch": Spec(SIGNED_IN, scope="self", method="post"),
    "accounts:member_list": Spec("city.manage"),
    "accounts:member_toggle": Spec("city.manage", method="post", obj="membership"),
    "network:home": Spec("network.view", scope="network"),
    "network:edition_list": Spec("network.view", scope="network"),
    "network:edition_create": Spec("network.manage", scope="network"),
    "network:edition_detail": Spec("network.view", scope="network", obj="edition"),
    "network:edition_edit": Spec("network.manage", scope="network", obj="edition"),
    "network:participation_remove": Spec(
        "network.manage", scope="network", method="post", obj="participation"
    ),
    "network:city_list": Spec("network.view", scope="network"),
    "network:city_create": Spec("network.manage", scope="network"),
    "network:city_edit": Spec("network.manage", scope="network", obj="city"),
    "network:city_home": Spec("city.view"),
    "network:organisation_list": Spec("city.view"),
    "network:organisation_create": Spec("city.manage"),
    "network:organisation_edit": Spec("city.manage", obj="organisation"),
    "network:agreement_list": Spec("city.view"),
    "network:agreement_create": Spec("city.manage"),
    "network:agreement_edit": Spec("city.manage", obj="agreement"),
    "network:site_list": Spec("city.view"),
    "network:site_create": Spec("city.manage"),
    "network:site_edit": Spec("city.manage", obj="site"),
    "people:list": Spec(READ_PERSONS),
    "people:create": Spec("people.register_minimal"),
    "people:candidates": Spec("people.register_minimal", method="post"),
    "people:duplicates": Spec("people.merge"),
    "people:detail": Spec(READ_PERSONS, obj="person"),
    "people:edit": Spec("people.edit", obj="person"),
    "people:household_add": Spec("people.edit", method="post", obj="person"),
    "people:merge": Spec("people.merge", obj="person"),
    "people:not_same": Spec("people.merge", method="post", obj="person"),
    "people:contact_list": Spec("contacts.record"),
    "people:contact_create": Spec("contacts.record"),
    "people:contact_link": Spec("contacts.record", obj="contact"),
    "cases:list": Spec("cases.view"),
    "cases:create": Spec("cases.edit", obj="person_query"),
    "cases:detail": Spec("cases.view", obj="case"),
    "cases:service_add": Spec("cases.edit", method="post", obj="case"),
    "cases:activate": Spec("cases.edit", method="post", obj="case"),
    "cases:close": Spec("cases.close", method="post", obj="case"),
    "cases:service_types": Spec("cases.view"),
    "cases:network_service_types": Spec("network.view", scope="network"),
    "cases:reopen": Spec("cases.close", method="post", obj="case"),
    # privacy (data-subject rights, notice, access log, retention)
    "privacy:request_list": Spec("privacy.manage"),
    "privacy:request_detail": Spec("privacy.manage", obj="rights_request"),
    "privacy:request_create": Spec("privacy.manage", obj="person"),
    "privacy:person": Spec("privacy.manage", obj="person"),
    "privacy:export_json": Spec("privacy.manage", obj="person"),
    "privacy:export_pdf": Spec("privacy.manage", obj="person"),
    "privacy:restrict": Spec("privacy.manage", method="post", obj="person"),
    "privacy:anonymise": Spec("privacy.manage", method="post", obj="person"),
    "privacy:notice_record": Spec("people.edit", method="post", obj="person"),
    "privacy:notice_pdf": Spec("people.register_minimal"),
    "privacy:access_log": Spec("audit.view"),
    "privacy:retention": Spec("retention.manage", scope="network"),
    "privacy:retention_run": Spec("retention.manage", scope="network", method="post"),
    "cases:team": Spec("cases.edit", method="post", obj="case"),
    "cases:assessment_add": Spec("cases.edit", method="post", obj="case"),
    "cases:goal_add": Spec("cases.edit", method="post", obj="case"),
    "cases:goal_update": Spec("cases.edit", method="post", obj="case"),
    "cases:review_add": Spec("cases.edit", method="post", obj="case"),
    "cases:review_held": Spec("cases.edit", method="post", obj="case"),
    "cases:note_add": Spec("cases.edit", method="post", obj="case"),
    "cases:note_edit": Spec("cases.edit", obj="case"),
    "cases:task_add": Spec("cases.edit", method="post", obj="case"),
    "cases:tasks": Spec("cases.edit"),
    "cases:task_done": Spec("cases.edit", method="post", obj="task"),
    "cases:attachment_add": Spec("cases.edit", method="post", obj="case"),
    # The case team and the city coordinator: the world's caseworker manages the case.
    "cases:attachment_download": Spec("cases.edit", obj="case"),
    "cases:referral_add": Spec("referrals.send", method="post", obj="case"),
    "cases:referral_list": Spec("cases.view|referrals.respond"),
    "cases:referral_new": Spec("referrals.respond"),
    "cases:referral_detail": Spec("cases.view|referrals.respond", obj="referral"),
    # The world's referral is outgoing: the comune's answer is refused with a message.
    "cases:referral_accept": Spec(
        "referrals.respond|referrals.send", method="post", obj="referral"
    ),
    "cases:referral_reject": Spec(
        "referrals.respond|referrals.send", method="post", obj="referral"
    ),
    "cases:referral_complete": Spec(
        "referrals.respond|referrals.send", method="post", obj="referral"
    ),
    "cases:referral_withdraw": Spec("referrals.send", method="post", obj="referral"),
    "cases:referral_revoke": Spec("referrals.send", method="post", obj="referral"),
    "cases:referral_service": Spec("services.record", method="post", obj="referral"),
    # housing
    "housing:home": Spec("housing.view"),
    "housing:facility_create": Spec("housing.manage"),
    "housing:facility_detail": Spec("housing.view", obj="facility"),
    "housing:facility_edit": Spec("housing.manage", obj="facility"),
    "housing:room_add": Spec("housing.manage", method="post", obj="facility"),
    "housing:bed_add": Spec("housing.manage", method="post", obj="facility"),
    "housing:board": Spec("housing.view", obj="facility"),
    "housing:bed_edit": Spec("housing.manage", obj="bed"),
    "housing:out_of_service_add": Spec("housing.manage", method="post", obj="facility"),
    "housing:out_of_service_end": Spec("housing.manage", method="post", obj="facility"),
    "housing:free_beds": Spec("housing.view"),
    "housing:occupancy": Spec("housing.view"),
    "housing:placement_list": Spec("housing.view"),
    "housing:placement_create": Spec("housing.assign", obj="person_query"),
    "housing:placement_detail": Spec("housing.view", obj="placement"),
    "housing:placement_move": Spec("housing.assign", method="post", obj="placement"),
    "housing:placement_extend": Spec("housing.assign", method="post", obj="placement"),
    "housing:placement_end": Spec("housing.assign", method="post", obj="placement"),
    "housing:waiting_list": Spec("housing.view"),
    "housing:request_create": Spec("housing.assign", obj="person_query"),
    "housing:request_detail": Spec("housing.view", obj="housing_request"),
    "housing:request_offer": Spec("housing.assign", method="post", obj="housing_request"),
    "housing:request_withdraw": Spec("housing.assign", method="post", obj="housing_request"),
    "housing:landlord_list": Spec("housing.view"),
    "housing:landlord_create": Spec("housing.manage"),
    "housing:landlord_detail": Spec("housing.view", obj="landlord"),
    "housing:landlord_edit": Spec("housing.manage", obj="landlord"),
    "housing:property_add": Spec("housing.manage", method="post", obj="landlord"),
    "housing:mediation_add": Spec("housing.assign", method="post", obj="landlord"),
    "housing:rent_list": Spec("housing.view"),
    "housing:rent_create": Spec("housing.assign", obj="person_query"),
    "housing:rent_detail": Spec("housing.view", obj="rent_support"),
    "housing:payment_add": Spec("housing.assign", method="post", obj="rent_support"),
    "housing:milestone_add": Spec("housing.assign", method="post", obj="person"),
    "housing:autonomy": Spec("housing.view"),
    # Activities (read: every activity, or a partner's own organisation's)
    "activities:list": Spec(READ_ACTIVITIES),
    "activities:create": Spec("activities.manage"),
    "activities:detail": Spec(READ_ACTIVITIES, obj="activity"),
    "activities:edit": Spec("activities.manage", obj="activity"),
    "activities:session_add": Spec("activities.manage", method="post", obj="activity"),
    "activities:session_weekly": Spec("activities.manage", method="post", obj="activity"),
    "activities:complete": Spec("activities.manage", method="post", obj="activity"),
    "activities:head_counts": Spec("activities.manage", method="post", obj="activity"),
    "activities:candidates": Spec("activities.manage", method="post", obj="activity"),
    "activities:register": Spec(READ_ACTIVITIES, obj="session"),
    "activities:mark": Spec("activities.record", method="post", obj="session"),
    "activities:session_cancel": Spec("activities.manage", method="post", obj="session"),
    "activities:session_move": Spec("activities.manage", method="post", obj="session"),
    "activities:enrol": Spec("activities.manage", method="post"),
    "activities:enrolment": Spec(READ_ACTIVITIES, obj="enrolment"),
    "activities:enrolment_status": Spec("activities.manage", method="post", obj="enrolment"),
    "activities:enrolment_levels": Spec("activities.record", method="post", obj="enrolment"),
    "activities:certificate": Spec(READ_ACTIVITIES, obj="enrolment"),
    "activities:certificate_pdf": Spec(READ_ACTIVITIES, obj="enrolment"),
    "activities:certificate_verify": Spec("activities.view"),
    "activities:language_certificate_add": Spec("activities.manage", method="post", obj="person"),
    "activities:request_add": Spec("activities.record", method="post", obj="activity"),
    "activities:request_close": Spec("activities.manage", method="post", obj="activity"),
    # Monitoring
    "monitoring:city_dashboard": Spec("monitoring.city"),
    "monitoring:city_refresh": Spec("monitoring.city", method="post"),
    "monitoring:report_list": Spec("monitoring.city"),
    "monitoring:report_create": Spec("reports.submit", method="post"),
    "monitoring:report_detail": Spec("monitoring.city", obj="report"),
    "monitoring:report_edit": Spec("reports.submit", method="post", obj="report"),
    "monitoring:report_submit": Spec("reports.submit", method="post", obj="report"),
    "monitoring:report_export": Spec("monitoring.city", obj="report"),
    "monitoring:report_pdf": Spec("monitoring.city", obj="report"),
    "monitoring:network_dashboard": Spec("monitoring.network", scope="network"),
    "monitoring:targets": Spec("network.manage", scope="network"),
    "monitoring:network_reports": Spec("monitoring.network", scope="network"),
    "monitoring:network_report": Spec("monitoring.network", scope="network", obj="report"),
    "monitoring:report_approve": Spec(
        "reports.approve", scope="network", method="post", obj="report"
    ),
    "monitoring:report_return": Spec(
        "reports.approve", scope="network", method="post", obj="report"
    ),
    "monitoring:network_report_export": Spec("monitoring.network", scope="network", obj="report"),
    "monitoring:network_report_pdf": Spec("monitoring.network", scope="network", obj="report"),
    # Imports and exports
    "imports:list": Spec("data.import"),
    "imports:template": Spec("data.import"),
    "imports:detail": Spec("data.import", obj="import"),
    "imports:apply": Spec("data.import", method="post", obj="import"),
    "imports:export": Spec("data.export"),
}


def _org_body(w):
    return {"name": "Nuova associazione", "kind": "association"}


def _agreement_body(w):
    return {"organisation": w.a.partner.pk, "title": "Nuova convenzione", "starts_on": "2024-02-01"}


def _site_body(w):
    return {"name": "Nuova sede", "kind": "other", "organisation": w.a.partner.pk}


# API operations, by (method, path as in the OpenAPI document).
API: dict[tuple[str, str], Spec] = {
    ("post", "/api/v1/auth/token"): Spec(PUBLIC, scope="self"),
    ("get", "/api/v1/auth/tokens"): Spec(SIGNED_IN, scope="self"),
    ("post", "/api/v1/auth/tokens/{token_id}/revoke"): Spec(SIGNED_IN, scope="self", obj="token"),
    ("get", "/api/v1/me"): Spec(SIGNED_IN, scope="self"),
    ("get", "/api/v1/memberships"): Spec("city.manage"),
    ("post", "/api/v1/memberships"): Spec(
        "city.manage", body=lambda w: {"username": "new.user", "role": "caseworker"}
    ),
    ("get", "/api/v1/memberships/{membership_id}"): Spec("city.manage", obj="membership"),
    ("patch", "/api/v1/memberships/{membership_id}"): Spec(
        "city.manage", obj="membership", body=lambda w: {"is_active": False}
    ),
    ("get", "/api/v1/editions"): Spec("editions.view", scope="network"),
    ("post", "/api/v1/editions"): Spec(
        "network.manage",
        scope="network",
        body=lambda w: {
            "code": "LGNET9",
            "name": "LgNet9",
            "starts_on": "2028-01-01",
            "ends_on": "2028-12-31",
        },
    ),
    ("get", "/api/v1/editions/{code}"): Spec("editions.view", scope="network", obj="edition"),
    ("patch", "/api/v1/editions/{code}"): Spec(
        "network.manage", scope="network", obj="edition", body=lambda w: {"fund": "FAMI"}
    ),
    ("put", "/api/v1/editions/{code}/cities"): Spec(
        "network.manage",
        scope="network",
        obj="edition",
        body=lambda w: {"city": "milano", "target_beneficiaries": 10},
    ),
    ("get", "/api/v1/cities"): Spec("editions.view", scope="network"),
    ("post", "/api/v1/cities"): Spec(
        "network.manage",
        scope="network",
        body=lambda w: {
            "slug": "aosta",
            "name": "Aosta",
            "istat_code": "007003",
            "region": "Valle d'Aosta",
        },
    ),
    ("get", "/api/v1/cities/{slug}"): Spec("editions.view", scope="network", obj="city"),
    ("patch", "/api/v1/cities/{slug}"): Spec(
        "network.manage", scope="network", obj="city", body=lambda w: {"region": "Puglia"}
    ),
    ("get", "/api/v1/organisations"): Spec("city.view"),
    ("post", "/api/v1/organisations"): Spec("city.manage", body=_org_body),
    ("get", "/api/v1/organisations/{organisation_id}"): Spec("city.view", obj="organisation"),
    ("patch", "/api/v1/organisations/{organisation_id}"): Spec(
        "city.manage", obj="organisation", body=lambda w: {"phone": "099 000000"}
    ),
    ("get", "/api/v1/agreements"): Spec("city.view"),
    ("post", "/api/v1/agreements"): Spec(
        "city.manage", body=_agreement_body, body_refers_to_city=True
    ),
    ("get", "/api/v1/agreements/{agreement_id}"): Spec("city.view", obj="agreement"),
    ("patch", "/api/v1/agreements/{agreement_id}"): Spec(
        "city.manage", obj="agreement", body=lambda w: {"scope": "Ambito aggiornato"}
    ),
    ("get", "/api/v1/sites"): Spec("city.view"),
    ("post", "/api/v1/sites"): Spec("city.manage", body=_site_body, body_refers_to_city=True),
    ("get", "/api/v1/sites/{site_id}"): Spec("city.view", obj="site"),
    ("patch", "/api/v1/sites/{site_id}"): Spec(
        "city.manage", obj="site", body=lambda w: {"address": "Via Roma 1"}
    ),
    ("get", "/api/v1/persons"): Spec(READ_PERSONS),
    ("post", "/api/v1/persons"): Spec(
        "people.register_minimal",
        body=lambda w: {
            "given_names": "Amina",
            "family_names": "Yusuf",
            "sex": "F",
            "birth_date": "1995-01-01",
            "birth_date_precision": "year",
        },
    ),
    ("post", "/api/v1/persons/match"): Spec(
        "people.view|people.view_minimal",  # never a partner: it would probe the registry
        body=lambda w: {
            "given_names": "Muhammad",
            "family_names": "Diallo",
            "sex": "M",
            "birth_date": "1990-01-01",
            "birth_date_precision": "year",
        },
    ),
    ("get", "/api/v1/persons/{person_id}"): Spec(READ_PERSONS, obj="person"),
    ("get", "/api/v1/persons/{person_id}/access-log"): Spec("audit.view", obj="person"),
    # privacy
    ("get", "/api/v1/persons/{person_id}/export"): Spec("privacy.manage", obj="person"),
    ("get", "/api/v1/privacy-requests"): Spec("privacy.manage"),
    ("post", "/api/v1/privacy-requests"): Spec(
        "privacy.manage",
        body=lambda w: {"person": w.a.person.pk, "kind": "rectification"},
        body_refers_to_city=True,
    ),
    ("get", "/api/v1/privacy-requests/{rights_request_id}"): Spec(
        "privacy.manage", obj="rights_request"
    ),
    ("patch", "/api/v1/privacy-requests/{rights_request_id}"): Spec(
        "privacy.manage", obj="rights_request", body=lambda w: {"status": "in_progress"}
    ),
    ("get", "/api/v1/access-log"): Spec("audit.view"),
    ("patch", "/api/v1/persons/{person_id}"): Spec(
        "people.edit", obj="person", body=lambda w: {"phone": "333 000"}
    ),
    ("get", "/api/v1/contacts"): Spec("contacts.record"),
    ("post", "/api/v1/contacts"): Spec(
        "contacts.record",
        body=lambda w: {"channel": "street", "place": "Stazione", "outcome": "nothing_needed"},
    ),
    ("get", "/api/v1/contacts/{contact_id}"): Spec("contacts.record", obj="contact"),
    ("patch", "/api/v1/contacts/{contact_id}"): Spec(
        "contacts.record", obj="contact", body=lambda w: {"notes": "coperta"}
    ),
    ("get", "/api/v1/cases"): Spec("cases.view"),
    ("post", "/api/v1/cases"): Spec(
        "cases.edit",
        body=lambda w: {"person": w.a.other_person.pk, "opened_on": "2024-01-10"},
        body_refers_to_city=True,
    ),
    ("get", "/api/v1/cases/{case_id}"): Spec("cases.view", obj="case"),
    ("patch", "/api/v1/cases/{case_id}"): Spec(
        "cases.edit", obj="case", body=lambda w: {"areas": ["taking_in_charge", "housing"]}
    ),
    ("post", "/api/v1/cases/{case_id}/close"): Spec(
        "cases.close", obj="case", body=lambda w: {"outcome": "goals_reached"}
    ),
    ("post", "/api/v1/cases/{case_id}/reopen"): Spec(
        "cases.close", obj="case", body=lambda w: {}, expect_conflict=True
    ),
    ("get", "/api/v1/service-types"): Spec("cases.view"),
    ("post", "/api/v1/service-types"): Spec(
        "city.manage",
        body=lambda w: {
            "code": "sportello_legale",
            "name_it": "Sportello legale",
            "counted_as": "legal_advice",
        },
    ),
    ("get", "/api/v1/services"): Spec("cases.view"),
    ("post", "/api/v1/services"): Spec(
        "cases.edit",
        body_refers_to_city=True,
        body=lambda w: {
            "case": w.a.case.pk,
            "service_type": "legal_advice",
            "delivered_on": "2024-03-05",
        },
    ),
    ("get", "/api/v1/services/{service_id}"): Spec("cases.view", obj="service"),
    ("patch", "/api/v1/services/{service_id}"): Spec(
        "cases.edit", obj="service", body=lambda w: {"notes": "ok"}
    ),
    ("get", "/api/v1/referrals"): Spec("cases.view|referrals.respond"),
    ("post", "/api/v1/referrals"): Spec(
        "referrals.send",
        body=lambda w: {
            "case": w.a.case.pk,
            "organisation": w.a.partner.pk,
            "reason": "Orientamento al lavoro",
            "consent_on": "2024-03-01",
            "consent_shares": ["contact"],
        },
        body_refers_to_city=True,
        expect_conflict=True,  # the world's person already has an open referral there
    ),
    ("post", "/api/v1/referrals/incoming"): Spec(
        "referrals.respond",
        body=lambda w: {
            "proposed_name": "Ali Musa",
            "proposed_birth_year": 1988,
            "reason": "Fine pena il mese prossimo",
            "consent_on": "2024-03-01",
        },
    ),
    ("get", "/api/v1/referrals/{referral_id}"): Spec(
        "cases.view|referrals.respond", obj="referral"
    ),
    ("patch", "/api/v1/referrals/{referral_id}"): Spec(
        "referrals.send", obj="referral", body=lambda w: {"reason": "Motivo aggiornato"}
    ),
    # Outgoing: the partner answers; the comune answers only incoming ones (403 here).
    ("post", "/api/v1/referrals/{referral_id}/accept"): Spec(
        "referrals.respond|referrals.send",
        obj="referral",
        body=lambda w: {},
        refused_for=(("coordinator", 403), ("caseworker", 403)),
    ),
    ("post", "/api/v1/referrals/{referral_id}/reject"): Spec(
        "referrals.respond|referrals.send",
        obj="referral",
        body=lambda w: {"reason": "Nessun posto"},
        refused_for=(("coordinator", 403), ("caseworker", 403)),
    ),
    ("post", "/api/v1/referrals/{referral_id}/complete"): Spec(
        "referrals.respond|referrals.send",
        obj="referral",
        body=lambda w: {},
        expect_conflict=True,  # not accepted yet
    ),
    ("post", "/api/v1/referrals/{referral_id}/withdraw"): Spec(
        "referrals.send", obj="referral", body=lambda w: {}
    ),
    ("post", "/api/v1/referrals/{referral_id}/revoke-consent"): Spec(
        "referrals.send", obj="referral", body=lambda w: {}
    ),
    ("get", "/api/v1/notes"): Spec("cases.view", obj="case", query="?case={case_id}"),
    ("get", "/api/v1/notes/{note_id}"): Spec("cases.view", obj="note"),
    ("get", "/api/v1/tasks"): Spec("cases.edit"),
    # housing
    ("get", "/api/v1/facilities"): Spec("housing.view"),
    ("post", "/api/v1/facilities"): Spec(
        "housing.manage",
        body_refers_to_city=True,
        body=lambda w: {"name": "Nuova casa", "kind": "apartment", "organisation": w.a.partner.pk},
    ),
    ("get", "/api/v1/facilities/{facility_id}"): Spec("housing.view", obj="facility"),
    ("patch", "/api/v1/facilities/{facility_id}"): Spec(
        "housing.manage", obj="facility", body=lambda w: {"address": "Via Roma 2"}
    ),
    ("get", "/api/v1/beds"): Spec("housing.view"),
    ("post", "/api/v1/beds"): Spec(
        "housing.manage",
        body_refers_to_city=True,
        body=lambda w: {"facility": w.a.facility.pk, "label": "Z9"},
    ),
    ("get", "/api/v1/beds/{bed_id}"): Spec("housing.view", obj="bed"),
    ("patch", "/api/v1/beds/{bed_id}"): Spec(
        "housing.manage", obj="bed", body=lambda w: {"is_accessible": True}
    ),
    ("get", "/api/v1/placements"): Spec("housing.view"),
    ("post", "/api/v1/placements"): Spec(
        "housing.assign",
        body_refers_to_city=True,
        body=lambda w: {
            "person": w.a.other_person.pk,
            "bed": w.a.bed.pk,
            "start_date": "2024-06-01",
        },
    ),
    ("get", "/api/v1/placements/{placement_id}"): Spec("housing.view", obj="placement"),
    ("patch", "/api/v1/placements/{placement_id}"): Spec(
        "housing.assign", obj="placement", body=lambda w: {"end_date": "2024-07-01"}
    ),
    ("post", "/api/v1/placements/{placement_id}/move"): Spec(
        "housing.assign",
        obj="placement",
        body=lambda w: {"bed": w.a.spare_bed.pk, "on": "2024-04-01"},
    ),
    ("get", "/api/v1/housing-requests"): Spec("housing.view"),
    ("post", "/api/v1/housing-requests"): Spec(
        "housing.assign", body_refers_to_city=True, body=lambda w: {"person": w.a.person.pk}
    ),
    ("get", "/api/v1/housing-requests/{housing_request_id}"): Spec(
        "housing.view", obj="housing_request"
    ),
    ("post", "/api/v1/housing-requests/{housing_request_id}/offer"): Spec(
        "housing.assign",
        obj="housing_request",
        body=lambda w: {"bed": w.a.spare_bed.pk, "start_date": "2024-07-01"},
    ),
    ("get", "/api/v1/landlords"): Spec("housing.view"),
    ("post", "/api/v1/landlords"): Spec(
        "housing.manage", body=lambda w: {"kind": "company", "name": "Case srl"}
    ),
    ("get", "/api/v1/landlords/{landlord_id}"): Spec("housing.view", obj="landlord"),
    ("patch", "/api/v1/landlords/{landlord_id}"): Spec(
        "housing.manage", obj="landlord", body=lambda w: {"phone": "099 1234567"}
    ),
    ("get", "/api/v1/rent-supports"): Spec("housing.view"),
    ("post", "/api/v1/rent-supports"): Spec(
        "housing.assign",
        body_refers_to_city=True,
        body=lambda w: {
            "person": w.a.other_person.pk,
            "landlord": w.a.landlord.pk,
            "start_date": "2023-05-01",
            "months": 6,
            "monthly_rent": "400",
            "contribution": "200",
        },
    ),
    ("get", "/api/v1/rent-supports/{rent_support_id}"): Spec("housing.view", obj="rent_support"),
    ("patch", "/api/v1/rent-supports/{rent_support_id}"): Spec(
        "housing.assign", obj="rent_support", body=lambda w: {"notes": "ok"}
    ),
    ("post", "/api/v1/rent-supports/{rent_support_id}/payments"): Spec(
        "housing.assign",
        obj="rent_support",
        body=lambda w: {"paid_on": "2023-07-05", "amount": "200"},
    ),
    ("get", "/api/v1/network/unique-persons"): Spec(
        "network.view", scope="network", query="?edition=LGNET2"
    ),
    # Activities
    ("get", "/api/v1/activities"): Spec(READ_ACTIVITIES),
    ("post", "/api/v1/activities"): Spec(
        "activities.manage",
        body=lambda w: {
            "kind": "workshop",
            "title": "Laboratorio teatrale",
            "start_date": "2024-05-01",
            "end_date": "2024-06-30",
            "organisation": w.a.partner.pk,
        },
        body_refers_to_city=True,
    ),
    ("get", "/api/v1/activities/{activity_id}"): Spec(READ_ACTIVITIES, obj="activity"),
    ("patch", "/api/v1/activities/{activity_id}"): Spec(
        "activities.manage", obj="activity", body=lambda w: {"capacity": 25}
    ),
    ("put", "/api/v1/activities/{activity_id}/head-counts"): Spec(
        "activities.manage",
        obj="activity",
        body=lambda w: {"items": [{"sex": "F", "age_band": "25-34", "count": 3}]},
        expect_conflict=True,  # the sample activity is a course, not an event
    ),
    ("get", "/api/v1/sessions"): Spec(READ_ACTIVITIES),
    ("post", "/api/v1/sessions"): Spec(
        "activities.manage",
        body=lambda w: {"activity": w.a.activity.pk, "date": "2024-03-06", "hours": 2},
        body_refers_to_city=True,
    ),
    ("post", "/api/v1/sessions/weekly"): Spec(
        "activities.manage",
        body=lambda w: {
            "activity": w.a.activity.pk,
            "weekdays": [0, 2],
            "hours": 2,
            "from": "2024-04-01",
            "to": "2024-04-30",
            "skip": ["2024-04-01", "2024-04-25"],
        },
        body_refers_to_city=True,
    ),
    ("get", "/api/v1/sessions/{session_id}"): Spec(READ_ACTIVITIES, obj="session"),
    ("patch", "/api/v1/sessions/{session_id}"): Spec(
        "activities.manage", obj="session", body=lambda w: {"topic": "Ripasso"}
    ),
    ("get", "/api/v1/sessions/{session_id}/attendance"): Spec(READ_ACTIVITIES, obj="session"),
    ("put", "/api/v1/sessions/{session_id}/attendance"): Spec(
        "activities.record",
        obj="session",
        body=lambda w: {"items": [{"person": w.a.person.pk, "status": "absent"}]},
    ),
    ("get", "/api/v1/enrolments"): Spec(READ_ACTIVITIES),
    ("post", "/api/v1/enrolments"): Spec(
        "activities.manage",
        body=lambda w: {"activity": w.a.activity.pk, "person": w.a.other_person.pk},
        body_refers_to_city=True,
    ),
    ("get", "/api/v1/enrolments/{enrolment_id}"): Spec(READ_ACTIVITIES, obj="enrolment"),
    ("patch", "/api/v1/enrolments/{enrolment_id}"): Spec(
        "activities.record", obj="enrolment", body=lambda w: {"exit_level": "A2"}
    ),
    ("get", "/api/v1/language-certificates"): Spec("activities.view"),
    ("post", "/api/v1/language-certificates"): Spec(
        "activities.manage",
        body=lambda w: {
            "person": w.a.person.pk,
            "level": "A2",
            "issuer": "cpia",
            "issued_on": "2024-06-20",
        },
        body_refers_to_city=True,
    ),
    # Monitoring
    ("get", "/api/v1/indicators"): Spec("editions.view", scope="network"),
    ("get", "/api/v1/figures"): Spec(
        "monitoring.city|monitoring.network",
        scope="network",
        query="?indicator=beneficiaries&edition=LGNET2&by=sex",
    ),
    ("get", "/api/v1/reports"): Spec("monitoring.city|monitoring.network", scope="network"),
    ("post", "/api/v1/reports"): Spec(
        "reports.submit",
        body=lambda w: {
            "edition": "LGNET2",
            "period_start": "2023-04-01",
            "period_end": "2023-06-30",
        },
    ),
    ("get", "/api/v1/reports/{report_id}"): Spec("monitoring.city", obj="report"),
    ("patch", "/api/v1/reports/{report_id}"): Spec(
        "reports.submit", obj="report", body=lambda w: {"activities": "Sportello aperto"}
    ),
    ("post", "/api/v1/reports/{report_id}/submit"): Spec(
        "reports.submit", obj="report", body=lambda w: {}
    ),
    ("post", "/api/v1/reports/{report_id}/approve"): Spec(
        "reports.approve", scope="network", obj="report", body=lambda w: {}, expect_conflict=True
    ),
    ("post", "/api/v1/reports/{report_id}/return"): Spec(
        "reports.approve",
        scope="network",
        obj="report",
        body=lambda w: {"comment": "Completate la parte narrativa."},
        expect_conflict=True,
    ),
    # Imports and exports (a partner exports only what its pages show: persons, activities)
    ("post", "/api/v1/imports"): Spec("data.import"),
    ("get", "/api/v1/imports"): Spec("data.import"),
    ("get", "/api/v1/imports/{import_id}"): Spec("data.import", obj="import"),
    ("post", "/api/v1/imports/{import_id}/apply"): Spec(
        "data.import", obj="import", body=lambda w: {}, expect_conflict=True
    ),
    ("get", "/api/v1/exports/persons"): Spec("data.export"),
    ("get", "/api/v1/exports/cases"): Spec("data.export", refused_for=NOT_FOR_PARTNERS),
    ("get", "/api/v1/exports/services"): Spec("data.export", refused_for=NOT_FOR_PARTNERS),
    ("get", "/api/v1/exports/placements"): Spec("data.export", refused_for=NOT_FOR_PARTNERS),
    ("get", "/api/v1/exports/enrolments"): Spec("data.export"),
    ("get", "/api/v1/exports/rent_supports"): Spec("data.export", refused_for=NOT_FOR_PARTNERS),
    ("get", "/api/v1/exports/rent_payments"): Spec("data.export", refused_for=NOT_FOR_PARTNERS),
    ("get", "/api/v1/exports/activities"): Spec("data.export"),
    ("get", "/api/v1/exports/attendance"): Spec("data.export"),
}

# Patterns served by libraries, not ours to authorise page by page.
LIBRARY_PATTERNS = {"api-v1", "api_not_found"}


def url_names(patterns=None, namespace: str = "") -> set[str]:
    """Every named URL pattern of the project, namespaced, except the API's own."""
    names: set[str] = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in LIBRARY_PATTERNS:
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= url_names(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern):
            name = entry.name or getattr(entry.callback, "__name__", "")
            if name not in LIBRARY_PATTERNS:
                names.add(f"{namespace}{name}")
    return names


def api_operations(schema: dict) -> set[tuple[str, str]]:
    return {
        (method, path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    }


def unguarded(patterns, schema: dict) -> tuple[set[str], set[tuple[str, str]]]:
    """Pages and operations that exist but have no line in the matrix."""
    return url_names(patterns) - set(UI), api_operations(schema) - set(API)
