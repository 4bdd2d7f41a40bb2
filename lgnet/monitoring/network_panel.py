"""The network home's panel: the edition's headline figures and its reports, from the
aggregate rows only."""

from lgnet.network.panels import NetworkPanel


def _context(request, edition):
    from lgnet.monitoring import selectors

    membership = request.membership
    if membership is None or not membership.can("monitoring.network"):
        return None
    board = selectors.network_dashboard(edition)
    states: dict[str, int] = {}
    for _city, _cells, reports in board["rows"]:
        for report in reports:
            label = report.get_status_display()
            states[label] = states.get(label, 0) + 1
    return {
        "edition": edition,
        "figures": list(zip(board["indicators"], board["totals"], strict=True)),
        "states": states,
        "threshold": selectors.threshold(),
    }


figures_panel = NetworkPanel(template="monitoring/network_panel.html", context=_context, order=20)
