"""How monitoring listens: data that changes a figure schedules its city's refresh; the
network home gets a panel with the edition's figures."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

# Models whose rows feed a measure ("app.Model"); the ones of apps not installed are skipped.
SOURCES = [
    "people.Person",
    "people.Contact",
    "cases.Case",
    "cases.Service",
    "cases.Referral",
    "housing.Placement",
    "housing.RentSupport",
    "housing.RentPayment",
    "housing.Bed",
    "activities.Activity",
    "activities.Enrolment",
    "activities.Session",
    "activities.Attendance",
    "activities.HeadCount",
]


def _changed(sender, instance, **kwargs) -> None:
    from lgnet.monitoring import tasks

    city_id = getattr(instance, "city_id", None)
    if city_id is not None and not kwargs.get("raw"):
        tasks.schedule_city(city_id)


def connect() -> None:
    from django.apps import apps

    for label in SOURCES:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        post_save.connect(_changed, sender=model, dispatch_uid=f"monitoring-{label}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"monitoring-{label}-delete")

    from lgnet.monitoring.network_panel import figures_panel
    from lgnet.network import panels

    panels.register(figures_panel)
