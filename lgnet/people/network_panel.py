"""The network home's count of unique people, from pseudonymous keys only."""

from lgnet.network.panels import NetworkPanel
from lgnet.people import linkage


def _context(request, edition):
    """The stored count only: this page never reads the registry."""
    from lgnet.people.models import NetworkCount

    return {"unique": linkage.published(NetworkCount.objects.filter(edition=edition).first())}


def city_figures(request) -> list[tuple]:
    """The registry's figures on the city's home, for the roles that read the registry."""
    from django.utils.translation import gettext as _

    from lgnet.people.models import Contact, Person

    membership = request.membership
    if membership is None or not membership.can("people.view"):
        return []
    persons = Person.objects.filter(city=request.city, merged_into__isnull=True).count()
    contacts = Contact.objects.filter(city=request.city).count()
    return [(persons, _("persons registered")), (contacts, _("first contacts"))]


unique_persons_panel = NetworkPanel(
    template="people/network_unique.html", context=_context, order=10
)
