"""The single place that answers "who may do what".

A capability is a string ``area.action``. Views declare the capability they need
(``@requires("city.manage")``), API operations likewise; templates read ``can``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NETWORK_COORDINATOR = "network_coordinator", _("Network coordinator")
    CITY_COORDINATOR = "city_coordinator", _("City coordinator")
    CASEWORKER = "caseworker", _("Caseworker")
    OUTREACH_WORKER = "outreach_worker", _("Outreach worker")
    PARTNER_WORKER = "partner_worker", _("Partner worker")
    AUDITOR = "auditor", _("Auditor")


NETWORK_ROLES = {Role.NETWORK_COORDINATOR}

CITY_VIEW = {"city.view", "editions.view"}
CASEWORK = CITY_VIEW | {
    "people.view",
    "people.edit",
    "people.register_minimal",
    "people.merge",
    "contacts.record",
    "cases.view",
    "cases.edit",
    "cases.close",
    "services.record",
    "referrals.send",
    "housing.view",
    "housing.assign",
    "activities.view",
    "activities.manage",
    "activities.record",
    "monitoring.city",
}

CAPABILITIES: dict[str, frozenset[str]] = {
    Role.NETWORK_COORDINATOR: frozenset(
        {
            "editions.view",
            "network.view",
            "network.manage",
            "monitoring.network",
            "reports.approve",
            "retention.manage",
        }
    ),
    Role.CITY_COORDINATOR: frozenset(
        CASEWORK
        | {
            "city.manage",
            "housing.manage",
            "people.sensitive",
            "privacy.manage",
            "audit.view",
            "data.export",
            "data.import",
            "reports.submit",
        }
    ),
    Role.CASEWORKER: frozenset(CASEWORK),
    Role.OUTREACH_WORKER: frozenset(
        CITY_VIEW | {"contacts.record", "people.view_minimal", "people.register_minimal"}
    ),
    Role.PARTNER_WORKER: frozenset(
        CITY_VIEW
        | {
            "people.view_referred",
            "referrals.respond",
            "services.record",
            "activities.record",
            "data.export",  # what its pages show: see lgnet.imports.exports.EXPORT_NEEDS
        }
    ),
    Role.AUDITOR: frozenset(
        CITY_VIEW
        | {
            "people.view",
            "cases.view",
            "housing.view",
            "activities.view",
            "monitoring.city",
            "audit.view",
            "data.export",
        }
    ),
}

ALL_CAPABILITIES = frozenset().union(*CAPABILITIES.values())


def capabilities_of(role: str) -> frozenset[str]:
    return CAPABILITIES.get(role, frozenset())


def role_can(role: str, capability: str) -> bool:
    if capability not in ALL_CAPABILITIES:
        raise KeyError(f"unknown capability {capability!r}")
    return capability in capabilities_of(role)
