"""How cases plug into the registry: the person page, sensitive access, merges."""

from django.utils.translation import gettext_lazy as _


def _person_panel(request, person):
    from lgnet.cases.selectors import cases_of

    if request.membership is None or not request.membership.can("cases.view"):
        return None
    return {"cases": list(cases_of(person)), "person": person}


def _move_cases(duplicate, survivor) -> int:
    """A merge moves the duplicate's cases and services to the survivor."""
    from lgnet.cases.models import Case, Service
    from lgnet.core.exceptions import RuleBroken

    both_open = (
        Case.objects.filter(person=duplicate).not_closed().exists()
        and Case.objects.filter(person=survivor).not_closed().exists()
    )
    if both_open:
        raise RuleBroken(_("Both records have an open case: close one before merging."), status=409)
    Service.objects.filter(person=duplicate).update(person=survivor)
    return Case.objects.filter(person=duplicate).update(person=survivor)


def _city_figures(request) -> list[tuple]:
    from lgnet.cases.models import Case, Service

    membership = request.membership
    if membership is None or not membership.can("cases.view"):
        return []
    cases = Case.objects.filter(city=request.city).not_closed().count()
    services = Service.objects.filter(city=request.city).count()
    return [(cases, _("cases open")), (services, _("services delivered"))]


def connect() -> None:
    from lgnet.cases.selectors import is_on_team
    from lgnet.people import panels, selectors, services

    panels.register(
        panels.Panel(
            title=str(_("Cases")),
            template="cases/person_panel.html",
            context=_person_panel,
            order=10,
        )
    )
    selectors.register_sensitive_grant(is_on_team)
    services.register_merge_mover(_move_cases)

    from lgnet.network import panels as network_panels

    network_panels.register_city_figures(_city_figures)
