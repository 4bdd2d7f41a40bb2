"""How activities plug into the other apps: the person page, the case timeline, the city's
home, merges, and the persons a partner organisation reaches through its activities."""

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def _person_panel(request, person):
    from lgnet.activities.selectors import can_read, enrolments_of

    membership = request.membership
    if not can_read(membership):
        return None
    context = {"enrolments": list(enrolments_of(person, membership)), "person": person}
    if membership.can("activities.view"):
        from lgnet.activities.selectors import language_certificates_of

        context["language_certificates"] = list(language_certificates_of(person))
    if membership.can("activities.manage") and not person.merged_into_id:
        from lgnet.activities.forms import LanguageCertificateForm

        context["certificate_form"] = LanguageCertificateForm()
        from lgnet.activities.selectors import list_activities

        context["open_activities"] = list(
            list_activities(membership, current=True).exclude(kind="event")
        )
    return context


def _timeline(case, membership):
    """The person's enrolments: the day they enrolled and the day they finished."""
    from lgnet.activities.models import EnrolmentStatus
    from lgnet.activities.selectors import can_read, enrolments_of
    from lgnet.cases.timeline import Entry

    if not can_read(membership):
        return []
    entries = []
    for enrolment in enrolments_of(case.person, membership):
        url = reverse(
            "activities:enrolment", kwargs={"city_slug": case.city.slug, "pk": enrolment.pk}
        )
        detail = enrolment.get_status_display()
        if not enrolment.ended_on and enrolment.hours_attended:
            # Still running: the hours so far, and the level the person came in with.
            detail += " · " + _("%(hours)s hours attended") % {
                "hours": floatformat(enrolment.hours_attended, "-2")
            }
            if enrolment.entry_level:
                detail += f" · {enrolment.entry_level}"
        entries.append(
            Entry(
                on=enrolment.enrolled_on,
                kind="enrolment",
                title=_("Enrolled in %(title)s") % {"title": enrolment.activity.title},
                detail=detail,
                url=url,
            )
        )
        if enrolment.ended_on:
            detail = _("%(hours)s hours attended") % {
                "hours": floatformat(enrolment.hours_attended, "-2")
            }
            if enrolment.entry_level or enrolment.exit_level:
                detail += f" · {enrolment.entry_level or '?'} → {enrolment.exit_level or '?'}"
            title = (
                _("Completed %(title)s")
                if enrolment.status == EnrolmentStatus.COMPLETED
                else _("Left %(title)s")
            )
            entries.append(
                Entry(
                    on=enrolment.ended_on,
                    kind="enrolment",
                    title=title % {"title": enrolment.activity.title},
                    detail=detail,
                    url=url,
                )
            )
    if membership.can("activities.view"):
        from lgnet.activities.selectors import language_certificates_of

        for certificate in language_certificates_of(case.person):
            entries.append(
                Entry(
                    on=certificate.issued_on,
                    kind="language_certificate",
                    title=_("Italian language certificate %(level)s")
                    % {"level": certificate.level},
                    detail=certificate.get_issuer_display(),
                )
            )
    return entries


def _city_figures(request) -> list[tuple]:
    from lgnet.activities.selectors import city_figures

    membership = request.membership
    if membership is None or not membership.can("activities.view"):
        return []
    figures = city_figures(request.city)
    return [
        (figures["participants"], _("activity participants")),
        (f"{figures['hours']:.0f}", _("hours attended")),
        (figures["gains"], _("gained a CEFR level")),
    ]


def _move_enrolments(duplicate, survivor) -> int:
    """A merge moves the duplicate's enrolments (and their registers) to the survivor."""
    from lgnet.activities.models import Enrolment
    from lgnet.core.exceptions import RuleBroken

    both = Enrolment.objects.filter(
        person=survivor,
        activity__in=Enrolment.objects.filter(person=duplicate).values("activity"),
    )
    if both.exists():
        raise RuleBroken(
            gettext_lazy("Both records are enrolled in the same activity: remove one first."),
            status=409,
        )
    from lgnet.activities.models import LanguageCertificate

    LanguageCertificate.objects.filter(person=duplicate).update(person=survivor)
    return Enrolment.objects.filter(person=duplicate).update(person=survivor)


def _partner_reach(organisation):
    from lgnet.activities.models import ON_REGISTER, Enrolment

    return Enrolment.objects.filter(
        city_id=organisation.city_id,
        activity__organisation=organisation,
        status__in=ON_REGISTER,
    ).values("person_id")


def connect() -> None:
    from lgnet.cases import timeline
    from lgnet.network import panels as network_panels
    from lgnet.people import panels, selectors, services

    panels.register(
        panels.Panel(
            title=str(gettext_lazy("Activities")),
            template="activities/person_panel.html",
            context=_person_panel,
            order=30,
        )
    )
    timeline.register(_timeline)
    network_panels.register_city_figures(_city_figures)
    services.register_merge_mover(_move_enrolments)
    selectors.register_partner_reach(_partner_reach)

    from django.apps import apps

    if apps.is_installed("lgnet.privacy"):
        # The art. 15 export lists the person's enrolments, marks and language certificates;
        # erasure empties their free text (a dropout's reason, a certificate's note).
        from lgnet.privacy import erasure, sections

        sections.register(sections.app_sections("activities", title="Activities"))
        erasure.register(erasure.free_text_of("activities"))
