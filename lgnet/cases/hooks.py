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


def _timeline(case, membership):
    """Contacts, assessments, services, referrals, goals and notes of the case."""
    from lgnet.cases import selectors
    from lgnet.cases.models import Assessment, Goal, Note, Referral
    from lgnet.cases.timeline import Entry
    from lgnet.people.models import Contact

    until = case.closed_on
    # Every contact of the person up to the closing: the first ones explain the case.
    contacts = Contact.objects.filter(city=case.city, person=case.person)
    if until:
        contacts = contacts.filter(occurred_at__date__lte=until)
    for contact in contacts.only("occurred_at", "channel", "place"):
        yield Entry(
            contact.occurred_at.date(),
            "contact",
            _("Contact: %(c)s") % {"c": contact.get_channel_display()},
            contact.place,
        )
    # Free text on needs (health among them) and health goals: the case team's (DESIGN §3).
    from lgnet.people.selectors import can_see_sensitive

    sensitive_ok = can_see_sensitive(membership, case.person)
    for assessment in Assessment.objects.filter(city=case.city, case=case):
        yield Entry(
            assessment.assessed_on,
            "assessment",
            _("Needs assessed"),
            assessment.summary[:140] if sensitive_ok else "",
        )
    for service in selectors.list_services(case.city, case=case):
        provider = f" · {service.provider.name}" if service.provider_id else ""
        yield Entry(
            service.delivered_on,
            "service",
            str(service.service_type),
            f"{service.quantity:g}{provider}",
        )
    for referral in Referral.objects.filter(city=case.city, case=case).select_related(
        "organisation", "city"
    ):
        yield Entry(
            referral.sent_on,
            "referral",
            _("Referral to %(o)s: %(s)s")
            % {"o": referral.organisation.name, "s": referral.get_status_display()},
            "",
            referral.get_absolute_url(),
        )
    for goal in Goal.objects.filter(city=case.city, case=case):
        withheld = not sensitive_ok and goal.domain in selectors.SENSITIVE_DOMAINS
        yield Entry(
            goal.created_at.date(),
            "goal",
            _("Goal: %(g)s") % {"g": _("for the case team only") if withheld else goal.description},
            goal.get_status_display(),
        )
    confidential_ok = None
    for note in Note.objects.filter(city=case.city, case=case).select_related("author"):
        if note.confidential:
            if confidential_ok is None:
                from lgnet.cases.services import can_read_confidential

                confidential_ok = can_read_confidential(membership, case)
            text = (
                _("Confidential note")
                if not confidential_ok
                else _("Confidential note (see Notes)")
            )
            yield Entry(note.created_at.date(), "note", text, note.author.username)
        else:
            yield Entry(
                note.created_at.date(),
                "note",
                _("Note by %(u)s") % {"u": note.author.username},
                note.body[:140],
            )


def _partner_panel(request, person):
    from lgnet.cases.models import Referral

    organisation_id = request.membership.organisation_id
    if organisation_id is None:
        return None
    referrals = list(
        Referral.objects.filter(city=request.city, person=person, organisation_id=organisation_id)
        .open()
        .order_by("-sent_on")
    )
    return {"referrals": referrals} if referrals else None


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
    from lgnet.cases import selectors as case_selectors
    from lgnet.cases import timeline

    selectors.register_partner_reach(
        case_selectors.partner_reach, shares=case_selectors.partner_shares
    )
    panels.register_partner(
        panels.Panel(
            title=str(_("Referrals to your organisation")),
            template="cases/partner_panel.html",
            context=_partner_panel,
            order=10,
        )
    )
    timeline.register(_timeline)
    services.register_merge_mover(_move_cases)

    from lgnet.network import panels as network_panels

    network_panels.register_city_figures(_city_figures)
