"""Background refresh of the stored figures (django-tasks; `lgnet db_worker` runs them)."""

from __future__ import annotations

import logging
from datetime import date

from django.db import transaction
from django_tasks import task

logger = logging.getLogger(__name__)

# Past this many separate spans a task recomputes the one span that covers them all.
MAX_SPANS = 20


@task()
def refresh_city_figures(city_id: int, spans: list[list[str]] | None = None) -> int:
    """Recompute one city's figures for every edition it takes part in: the periods the
    changed spans of days touch ([first, last] ISO dates), or every period (no spans)."""
    from lgnet.monitoring import engine
    from lgnet.network.models import City

    city = City.objects.filter(pk=city_id).first()
    if city is None:
        return 0
    if spans is not None:
        spans = [(date.fromisoformat(first), date.fromisoformat(last)) for first, last in spans]
    return engine.refresh_city(city, spans=spans)


@task()
def refresh_edition_figures(edition_id: int, period: list[str] | None = None) -> int:
    """Recompute every member city's figures for one edition: one period ([start, end], a
    new reported period) or all of them."""
    from lgnet.monitoring import engine
    from lgnet.network.models import Edition

    edition = Edition.objects.filter(pk=edition_id).first()
    if edition is None:
        return 0
    periods = None
    if period is not None:
        periods = [(date.fromisoformat(period[0]), date.fromisoformat(period[1]))]
    written = sum(
        engine.refresh(p.city, edition, periods)
        for p in edition.participations.select_related("city")
    )
    engine.refresh_network_counts([edition])
    return written


def _enqueue(task_fn, *args) -> None:
    try:
        task_fn.enqueue(*args)
    except Exception:  # a queue that is down must not break the write that changed the data
        logger.exception("could not enqueue %s%s", task_fn.name, args)


def merged(spans: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """The spans sorted, overlapping or adjacent ones joined; past MAX_SPANS, one span."""
    joined: list[tuple[date, date]] = []
    for first, last in sorted(spans):
        if joined and first.toordinal() <= joined[-1][1].toordinal() + 1:
            joined[-1] = (joined[-1][0], max(joined[-1][1], last))
        else:
            joined.append((first, last))
    if len(joined) > MAX_SPANS:
        joined = [(joined[0][0], max(last for _first, last in joined))]
    return joined


def schedule_city(city_id: int, spans: list[tuple[date, date]] | None = None) -> None:
    """After the current transaction commits, refresh the city's figures: one task per
    commit and city, for the spans of days the transaction's changes touched (None: every
    period of the city's editions)."""
    from django.db import connection

    for entry in connection.run_on_commit:
        pending = entry[1]
        if getattr(pending, "lgnet_city", None) == city_id:
            if pending.lgnet_spans is not None:
                if spans is None:
                    pending.lgnet_spans = None
                else:
                    pending.lgnet_spans.extend(spans)
                    if len(pending.lgnet_spans) > 4 * MAX_SPANS:  # a long transaction
                        pending.lgnet_spans = merged(pending.lgnet_spans)
            return

    def run() -> None:
        if run.lgnet_spans is None:
            _enqueue(refresh_city_figures, city_id)
        else:
            days = [
                [first.isoformat(), last.isoformat()] for first, last in merged(run.lgnet_spans)
            ]
            _enqueue(refresh_city_figures, city_id, days)

    run.lgnet_city = city_id
    run.lgnet_spans = None if spans is None else list(spans)
    transaction.on_commit(run)


def schedule_edition(edition_id: int, period: tuple[date, date] | None = None) -> None:
    if period is None:
        _enqueue(refresh_edition_figures, edition_id)
    else:
        _enqueue(refresh_edition_figures, edition_id, [d.isoformat() for d in period])
