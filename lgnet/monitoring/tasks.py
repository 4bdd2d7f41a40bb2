"""Background refresh of the stored figures (django-tasks; `lgnet db_worker` runs them)."""

from __future__ import annotations

import logging

from django.db import transaction
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def refresh_city_figures(city_id: int) -> int:
    """Recompute one city's figures for every edition it takes part in."""
    from lgnet.monitoring import engine
    from lgnet.network.models import City

    city = City.objects.filter(pk=city_id).first()
    if city is None:
        return 0
    return engine.refresh_city(city)


@task()
def refresh_edition_figures(edition_id: int) -> int:
    """Recompute every member city's figures for one edition (a new reported period)."""
    from lgnet.monitoring import engine
    from lgnet.network.models import Edition

    edition = Edition.objects.filter(pk=edition_id).first()
    if edition is None:
        return 0
    written = sum(
        engine.refresh(p.city, edition) for p in edition.participations.select_related("city")
    )
    engine.refresh_network_counts([edition])
    return written


def _enqueue(task_fn, value: int) -> None:
    try:
        task_fn.enqueue(value)
    except Exception:  # a queue that is down must not break the write that changed the data
        logger.exception("could not enqueue %s(%s)", task_fn.name, value)


def schedule_city(city_id: int) -> None:
    """After the current transaction commits, refresh the city's figures (once per commit)."""
    from django.db import connection

    queued = any(
        getattr(entry[1], "lgnet_city", None) == city_id for entry in connection.run_on_commit
    )
    if queued:
        return

    def run() -> None:
        _enqueue(refresh_city_figures, city_id)

    run.lgnet_city = city_id
    transaction.on_commit(run)


def schedule_edition(edition_id: int) -> None:
    _enqueue(refresh_edition_figures, edition_id)
