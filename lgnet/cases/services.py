"""Writes of the case capability: open, activate, close, reopen; services delivered."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lgnet.cases.models import (
    ActionArea,
    Case,
    CaseCounter,
    CaseMember,
    Outcome,
    Service,
    ServiceType,
    Status,
)
from lgnet.core import audit
from lgnet.core.exceptions import RuleBroken


def _next_number(city, year: int) -> str:
    """TA-2023-0042: a city prefix, the year opened, a sequence without gaps or races."""
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(city=city, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{city.slug[:2].upper()}-{year}-{counter.last:04d}"


def _check_areas(areas: list[str]) -> list[str]:
    areas = list(dict.fromkeys(areas or [ActionArea.TAKING_IN_CHARGE]))
    wrong = set(areas) - set(ActionArea.values)
    if wrong:
        raise RuleBroken(
            _("Unknown action area: %(a)s") % {"a": ", ".join(sorted(wrong))}, field="areas"
        )
    return areas


@transaction.atomic
def open_case(
    *,
    actor: Any,
    person,
    opened_on: date | None = None,
    areas: list[str] | None = None,
    manager=None,
    contact=None,
) -> Case:
    """Take a person in charge. One case at a time; cases are often recorded late."""
    if person.merged_into_id:
        raise RuleBroken(_("This record was merged into another one."), field="person", status=409)
    opened_on = opened_on or timezone.localdate()
    if opened_on > timezone.localdate():
        raise RuleBroken(_("A case cannot open in the future."), field="opened_on")
    if contact is not None and contact.city_id != person.city_id:
        raise RuleBroken(_("Choose a contact of your city."), field="opened_from", status=404)
    if Case.objects.filter(person=person).not_closed().exists():
        raise RuleBroken(_("This person already has an open case."), field="person", status=409)
    case = Case(
        city=person.city,
        person=person,
        areas=_check_areas(areas or []),
        opened_on=opened_on,
        manager=manager or actor,
        opened_from=contact,
        number=_next_number(person.city, opened_on.year),
    )
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError as error:  # a parallel request opened one first
        raise RuleBroken(
            _("This person already has an open case."), field="person", status=409
        ) from error
    CaseMember.objects.create(city=case.city, case=case, user=case.manager)
    audit.record(actor=actor, target=case, action="case.opened")
    return case


@transaction.atomic
def update_case(
    *,
    actor: Any,
    case: Case,
    areas: list[str] | None = None,
    manager=None,
    team: list | None = None,
) -> Case:
    """Change areas, manager or team of a case that is not closed."""
    if case.is_closed:
        raise RuleBroken(_("Reopen the case before changing it."), status=409)
    if areas is not None:
        case.areas = _check_areas(areas)
    if manager is not None:
        case.manager = manager
    case.save()
    members = set(team or []) | {case.manager}
    if team is not None or manager is not None:
        CaseMember.objects.filter(case=case).exclude(user__in=members).delete()
        for user in members:
            CaseMember.objects.get_or_create(city=case.city, case=case, user=user)
    audit.record(actor=actor, target=case, action="case.updated")
    return case


@transaction.atomic
def activate_case(*, actor: Any, case: Case) -> Case:
    """An open case becomes active when the plan starts."""
    if case.status != Status.OPEN:
        raise RuleBroken(_("Only an open case can be activated."), status=409)
    case.status = Status.ACTIVE
    case.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, target=case, action="case.activated")
    return case


@transaction.atomic
def close_case(*, actor: Any, case: Case, outcome: str, closed_on: date | None = None) -> Case:
    """A case closes with an outcome, on or after the day it opened."""
    if case.is_closed:
        raise RuleBroken(_("The case is already closed."), status=409)
    if outcome not in Outcome.values:
        raise RuleBroken(_("Choose an outcome."), field="outcome")
    closed_on = closed_on or timezone.localdate()
    if closed_on < case.opened_on or closed_on > timezone.localdate():
        raise RuleBroken(
            _("The closing date must lie between the opening date and today."), field="closed_on"
        )
    case.status, case.outcome, case.closed_on = Status.CLOSED, outcome, closed_on
    case.save(update_fields=["status", "outcome", "closed_on", "updated_at"])
    audit.record(actor=actor, target=case, action="case.closed", data={"outcome": outcome})
    return case


@transaction.atomic
def reopen_case(*, actor: Any, case: Case) -> Case:
    """A closed case reopens, unless the person has another case open meanwhile."""
    if not case.is_closed:
        raise RuleBroken(_("The case is not closed."), status=409)
    if Case.objects.filter(person=case.person).not_closed().exists():
        raise RuleBroken(_("This person already has an open case."), status=409)
    case.status, case.outcome, case.closed_on = Status.ACTIVE, "", None
    case.save(update_fields=["status", "outcome", "closed_on", "updated_at"])
    audit.record(actor=actor, target=case, action="case.reopened")
    return case


def service_types_for(city):
    """The network's active types and the city's own."""
    from django.db.models import Q

    return ServiceType.objects.filter(Q(city__isnull=True) | Q(city=city), is_active=True)


@transaction.atomic
def record_service(
    *,
    actor: Any,
    case: Case,
    service_type: ServiceType,
    delivered_on: date,
    quantity: Decimal | int = 1,
    provider=None,
    notes: str = "",
) -> Service:
    """A service delivered under a case, on a day the case was open."""
    if service_type.city_id not in (None, case.city_id) or not service_type.is_active:
        raise RuleBroken(
            _("Choose a service type of the catalogue."), field="service_type", status=404
        )
    if provider is not None and provider.city_id != case.city_id:
        raise RuleBroken(
            _("Choose one of your city's organisations."), field="provider", status=404
        )
    if delivered_on < case.opened_on or delivered_on > (case.closed_on or timezone.localdate()):
        raise RuleBroken(_("The service must fall while the case is open."), field="delivered_on")
    if Decimal(quantity) <= 0:
        raise RuleBroken(_("The quantity must be more than zero."), field="quantity")
    service = Service.objects.create(
        city=case.city,
        case=case,
        person=case.person,
        service_type=service_type,
        delivered_on=delivered_on,
        quantity=quantity,
        provider=provider,
        notes=notes[:500],
        recorded_by=actor,
    )
    if case.status == Status.OPEN:
        case.status = Status.ACTIVE
        case.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, target=service, action="service.recorded")
    return service


@transaction.atomic
def update_service(*, actor: Any, service: Service, changes: dict) -> Service:
    """Correct a service: date, quantity, provider or notes (the same rules as recording)."""
    allowed = {"delivered_on", "quantity", "provider", "notes"}
    if set(changes) - allowed:
        raise RuleBroken(_("Not editable."), field=sorted(set(changes) - allowed)[0])
    case = service.case
    delivered_on = changes.get("delivered_on", service.delivered_on)
    if delivered_on < case.opened_on or delivered_on > (case.closed_on or timezone.localdate()):
        raise RuleBroken(_("The service must fall while the case is open."), field="delivered_on")
    provider = changes.get("provider", service.provider)
    if provider is not None and provider.city_id != case.city_id:
        raise RuleBroken(
            _("Choose one of your city's organisations."), field="provider", status=404
        )
    for name, value in changes.items():
        setattr(service, name, value if name != "notes" else (value or "")[:500])
    service.save()
    audit.record(
        actor=actor, target=service, action="service.updated", data={"fields": sorted(changes)}
    )
    return service
