"""How monitoring listens: data that changes a figure schedules its city's refresh, for the
dates the change touches; the network home gets a panel with the edition's figures.

A saved or deleted row touches the periods that hold its dates, before and after the change
(a case from its opening to its closing, an open one to the edition's end). A change that
moves rows across every period (a person's sex or birth date, a case's action areas or
person, an activity's kind, a bed) touches the whole edition.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

OPEN_END = date.max  # a span without an end runs to the end of every edition

Span = tuple[date, date]


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return timezone.localtime(value).date()
    return value


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Source:
    """Which dates of a row the measures count it by.

    dates: fields holding one date (or a moment: its local day).
    spans: (start, end) fields of a row counted on every day in between; no end = open.
    whole_if_changed: fields whose change touches the whole edition.
    related: (foreign key, model, date field): the date of a related row (a session's date).
    span_of: the row's span computed from its values (a rent support's months).
    more: more spans from the database (a person's first case), given the row's values.
    whole: every change touches the whole edition.
    """

    dates: tuple[str, ...] = ()
    spans: tuple[tuple[str, str], ...] = ()
    whole_if_changed: tuple[str, ...] = ()
    related: tuple[tuple[str, str, str], ...] = ()
    span_of: Callable[[dict], Span | None] | None = None
    more: Callable[[dict], list[Span]] | None = None
    span_fields: tuple[str, ...] = ()  # what span_of and more read
    more_if_changed: tuple[str, ...] = ()  # on an update, ask `more` only when these changed
    whole: bool = False
    fields: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        names = ["city_id", *self.dates, *self.whole_if_changed, *self.span_fields]
        names += list(self.more_if_changed)
        names += [name for span in self.spans for name in span]
        names += [fk for fk, _model, _field in self.related]
        object.__setattr__(self, "fields", tuple(dict.fromkeys(names)))

    def touched(self, old: dict | None, new: dict | None) -> list[Span] | None:
        """The spans of days the change touches, or None for the whole edition."""
        if self.whole:
            return None
        if (
            old is not None
            and new is not None
            and any(old.get(name) != new.get(name) for name in self.whole_if_changed)
        ):
            return None
        found: list[Span] = []
        ask_more = self.more is not None and (
            old is None
            or new is None
            or not self.more_if_changed
            or any(old.get(name) != new.get(name) for name in self.more_if_changed)
        )
        for values in (old, new):
            if values is None:
                continue
            for name in self.dates:
                day = _day(values.get(name))
                if day is not None:
                    found.append((day, day))
            for start, end in self.spans:
                first = _day(values.get(start))
                if first is not None:
                    found.append((first, _day(values.get(end)) or OPEN_END))
            if self.span_of is not None:
                span = self.span_of(values)
                if span is not None:
                    found.append(span)
            for fk, label, name in self.related:
                found += _related_days(values.get(fk), label, name)
            if ask_more:
                found += self.more(values)
        return found


def _related_days(pk, label: str, name: str) -> list[Span]:
    if pk is None:
        return []
    from django.apps import apps
    from django_scopes import scopes_disabled

    with scopes_disabled():  # a date of a row of the same city
        day = apps.get_model(label)._base_manager.filter(pk=pk).values_list(name, flat=True).first()
    return [] if day is None else [(day, day)]


def _first_other_case(values: dict) -> list[Span]:
    """New beneficiaries count a person at their first case: when a case opens, moves or
    goes, the first case may become another one, whose opening is touched as well."""
    from django_scopes import scopes_disabled

    from lgnet.cases.models import Case

    if values.get("person_id") is None:
        return []
    with scopes_disabled():  # the same person's cases, in the row's city
        first = (
            Case._base_manager.filter(person_id=values["person_id"], city_id=values["city_id"])
            .exclude(pk=values.get("id"))
            .order_by("opened_on")
            .values_list("opened_on", flat=True)
            .first()
        )
    return [] if first is None else [(first, first)]


def _rent_support_span(values: dict) -> Span | None:
    start = values.get("start_date")
    if start is None:
        return None
    return (start, _add_months(start, values.get("months") or 0))


# Models whose rows feed a measure ("app.Model"); the ones of apps not installed are skipped.
SOURCES: dict[str, Source] = {
    "people.Person": Source(whole=True),
    "people.Contact": Source(dates=("occurred_at",)),
    "cases.Case": Source(
        spans=(("opened_on", "closed_on"),),
        whole_if_changed=("person_id", "areas"),
        more=_first_other_case,
        span_fields=("id", "person_id"),
        more_if_changed=("opened_on", "person_id"),  # what decides a person's first case
    ),
    "cases.Service": Source(dates=("delivered_on",)),
    "cases.Referral": Source(dates=("sent_on",)),
    "housing.Placement": Source(spans=(("start_date", "end_date"),)),
    "housing.RentSupport": Source(
        span_of=_rent_support_span,
        whole_if_changed=("person_id",),
        span_fields=("start_date", "months"),
    ),
    "housing.RentPayment": Source(dates=("paid_on",)),
    "housing.Bed": Source(whole=True),
    "activities.Activity": Source(dates=("start_date",), whole_if_changed=("kind",)),
    "activities.Enrolment": Source(spans=(("enrolled_on", "ended_on"),)),
    "activities.Session": Source(dates=("date",)),
    "activities.Attendance": Source(related=(("session_id", "activities.Session", "date"),)),
    "activities.HeadCount": Source(related=(("activity_id", "activities.Activity", "start_date"),)),
}

OLD = "_monitoring_old"


def _values(instance, source: Source) -> dict:
    return {name: getattr(instance, name, None) for name in source.fields}


def _source(sender) -> Source | None:
    return SOURCES.get(sender._meta.label)


def _before(sender, instance, **kwargs) -> None:
    """Keep the row's stored values: the change touches their dates as well."""
    source = _source(sender)
    if source is None or source.whole or kwargs.get("raw") or instance._state.adding:
        return
    from django_scopes import scopes_disabled

    with scopes_disabled():  # the row itself, by its key
        old = sender._base_manager.filter(pk=instance.pk).values(*source.fields).first()
    setattr(instance, OLD, old)


def _schedule(source: Source, old: dict | None, new: dict | None) -> None:
    from lgnet.monitoring import tasks

    spans = source.touched(old, new)
    if spans == []:
        return  # no dated row before or after: no period changes
    cities = {v.get("city_id") for v in (old, new) if v is not None} - {None}
    for city_id in sorted(cities):
        tasks.schedule_city(city_id, spans)


def _saved(sender, instance, **kwargs) -> None:
    source = _source(sender)
    if source is None or kwargs.get("raw") or getattr(instance, "city_id", None) is None:
        return
    old = None if kwargs.get("created") else instance.__dict__.pop(OLD, None)
    if old is None and not kwargs.get("created") and not source.whole:
        _schedule(Source(whole=True), None, _values(instance, source))  # stored values unknown
        return
    _schedule(source, old, _values(instance, source))


def _deleted(sender, instance, **kwargs) -> None:
    source = _source(sender)
    if source is None or getattr(instance, "city_id", None) is None:
        return
    _schedule(source, _values(instance, source), None)


def _written(sender, rows: list[dict], **kwargs) -> None:
    """Rows written in bulk (core.signals.rows_written) touch their dates as new rows do."""
    source = _source(sender)
    if source is None:
        return
    for values in rows:
        if values.get("city_id") is not None:
            _schedule(source, None, values)


def connect() -> None:
    from django.apps import apps

    from lgnet.core.signals import rows_written

    rows_written.connect(_written, dispatch_uid="monitoring-rows-written")

    for label in SOURCES:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        pre_save.connect(_before, sender=model, dispatch_uid=f"monitoring-{label}-before")
        post_save.connect(_saved, sender=model, dispatch_uid=f"monitoring-{label}-save")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"monitoring-{label}-delete")

    from lgnet.monitoring.network_panel import figures_panel
    from lgnet.network import panels

    panels.register(figures_panel)
