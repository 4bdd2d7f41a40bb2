"""How housing plugs into the registry, cases and the city home."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def _person_panel(request, person):
    from lgnet.housing import selectors
    from lgnet.housing.forms import MilestoneForm

    if request.membership is None or not request.membership.can("housing.view"):
        return None
    today = timezone.localdate()
    data = selectors.prefetch_for_person(person)
    outcomes = [
        selectors.outcome_of(exit_, today)
        for exit_ in selectors.autonomy_outcomes(person.city, today=today, person=person)
    ]
    current = next((p for p in data["placements"] if p.is_current_on(today)), None)
    waiting = next((r for r in data["requests"] if r.status == "waiting"), None)
    return {
        **data,
        "person": person,
        "current": current,
        "waiting": waiting,
        "outcomes": outcomes,
        "milestone_form": MilestoneForm(prefix="milestone"),
        "today": today,
    }


def _timeline(case, membership):
    """Placements, rent supports and milestones of the case's person while the case runs."""
    from lgnet.cases.timeline import Entry
    from lgnet.housing.models import Milestone, Placement, RentSupport

    if membership is None or not membership.can("housing.view"):
        return []
    slug = case.city.slug
    start, end = case.opened_on, case.closed_on
    entries = []
    placements = Placement.objects.filter(city=case.city_id, person=case.person_id).select_related(
        "bed__facility"
    )
    for p in placements:
        url = reverse("housing:placement_detail", kwargs={"city_slug": slug, "pk": p.pk})
        where = f"{p.bed.facility.name} · {p.bed.label}"
        if start <= p.start_date and (end is None or p.start_date <= end):
            entries.append(Entry(p.start_date, "placement", _("Placed: %s") % where, "", url))
        if p.end_date and start <= p.end_date and (end is None or p.end_date <= end):
            entries.append(
                Entry(
                    p.end_date,
                    "placement_end",
                    _("Left the bed: %s") % where,
                    p.get_exit_reason_display(),
                    url,
                )
            )
    for m in Milestone.objects.filter(city=case.city_id, person=case.person_id):
        if start <= m.reached_on and (end is None or m.reached_on <= end):
            entries.append(Entry(m.reached_on, "milestone", m.get_kind_display(), m.notes))
    for s in RentSupport.objects.filter(city=case.city_id, person=case.person_id):
        if start <= s.start_date and (end is None or s.start_date <= end):
            url = reverse("housing:rent_detail", kwargs={"city_slug": slug, "pk": s.pk})
            entries.append(
                Entry(
                    s.start_date,
                    "rent_support",
                    _("Rent support: %(amount)s EUR × %(months)s months")
                    % {"amount": s.contribution, "months": s.months},
                    "",
                    url,
                )
            )
    return entries


def _city_figures(request) -> list[tuple]:
    from lgnet.housing import selectors
    from lgnet.housing.models import HousingRequest, Placement

    membership = request.membership
    if membership is None or not membership.can("housing.view"):
        return []
    today = timezone.localdate()
    placed = Placement.objects.filter(selectors.current_on(today), city=request.city).count()
    free = selectors.free_beds(request.city, day=today).count()
    waiting = HousingRequest.objects.filter(city=request.city, status="waiting").count()
    return [
        (placed, gettext_lazy("persons in a bed tonight")),
        (free, gettext_lazy("free beds tonight")),
        (waiting, gettext_lazy("waiting for a bed")),
    ]


def connect() -> None:
    from lgnet.cases import timeline
    from lgnet.housing.services import move_to_survivor
    from lgnet.network import panels as network_panels
    from lgnet.people import panels, services

    panels.register(
        panels.Panel(
            title=str(gettext_lazy("Housing")),
            template="housing/person_panel.html",
            context=_person_panel,
            order=20,
        )
    )
    timeline.register(_timeline)
    services.register_merge_mover(move_to_survivor)
    network_panels.register_city_figures(_city_figures)

    from django.apps import apps

    if apps.is_installed("lgnet.privacy"):
        # The art. 15 export lists the person's placements, requests, rent supports and
        # milestones; erasure empties their free text.
        from lgnet.privacy import erasure, sections

        sections.register(sections.app_sections("housing", title="Housing"))
        erasure.register(erasure.free_text_of("housing"))
