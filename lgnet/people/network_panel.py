"""The network home's count of unique people, from pseudonymous keys only."""

from lgnet.network.panels import NetworkPanel
from lgnet.people import linkage, selectors


def _context(request, edition):
    cities = [p.city_id for p in edition.participations.all()]
    return {"unique": linkage.count_unique(selectors.network_linkage_rows(cities))}


unique_persons_panel = NetworkPanel(
    template="people/network_unique.html", context=_context, order=10
)
