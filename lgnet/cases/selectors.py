"""Reads of cases and services; every read takes the city explicitly."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from lgnet.cases.models import Case, Service


def list_cases(
    city, *, status: str = "", area: str = "", manager_id: int | None = None, q: str = ""
) -> QuerySet[Case]:
    cases = Case.objects.filter(city=city).select_related("person", "manager")
    if status:
        cases = cases.filter(status=status)
    if area:
        cases = cases.filter(areas__contains=[area])
    if manager_id:
        cases = cases.filter(manager_id=manager_id)
    if q:
        cases = cases.filter(
            Q(number__icontains=q)
            | Q(person__family_names__icontains=q)
            | Q(person__given_names__icontains=q)
        )
    return cases.annotate(service_count=Count("services")).order_by("-opened_on", "-id")


def get_case_for(city, case_id: int) -> Case:
    return get_object_or_404(
        Case.objects.select_related("person", "manager", "city"), city=city, pk=case_id
    )


def cases_of(person) -> QuerySet[Case]:
    return Case.objects.filter(city=person.city, person=person).select_related("manager")


def list_services(city, *, case: Case | None = None) -> QuerySet[Service]:
    services = Service.objects.filter(city=city).select_related(
        "service_type", "provider", "case", "recorded_by"
    )
    if case is not None:
        services = services.filter(case=case)
    return services.order_by("-delivered_on", "-id")


def get_service_for(city, service_id: int) -> Service:
    return get_object_or_404(list_services(city), pk=service_id)


def is_on_team(membership, person) -> bool:
    """The caseworker is on the team of one of the person's cases not closed."""
    from lgnet.cases.models import CaseMember, Status

    return (
        CaseMember.objects.filter(city=person.city, case__person=person, user=membership.user)
        .exclude(case__status=Status.CLOSED)
        .exists()
    )
