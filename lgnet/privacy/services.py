"""Every write of the privacy app: requests, restriction, erasure, export, notice, retention."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from lgnet.core import audit
from lgnet.core.exceptions import RuleBroken
from lgnet.core.services import save_changes
from lgnet.privacy import builtin, erasure, retention, sections
from lgnet.privacy.models import (
    OPEN_STATUSES,
    PrivacyNotice,
    RequestKind,
    RetentionKind,
    RetentionPolicy,
    RetentionRun,
    RightsRequest,
    _clamped,
)


def one_month_after(day: date) -> date:
    """Art. 12(3) GDPR: an answer within one month of receipt (same day of the next month,
    or its last day)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return _clamped(year, month, day.day)


@transaction.atomic
def register_request(
    *, actor: Any, person: Any, kind: str, received_on: date | None = None, details: str = ""
) -> RightsRequest:
    """A request is registered with its date of receipt; the answer is due one month later."""
    if kind not in RequestKind.values:
        raise RuleBroken(_("Choose one of the rights."), field="kind")
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise RuleBroken(_("A request cannot be received in the future."), field="received_on")
    if person.anonymised_at is not None:
        raise RuleBroken(_("This record is anonymised: it holds no personal data."), status=409)
    request = RightsRequest.objects.create(
        city_id=person.city_id,
        person=person,
        kind=kind,
        received_on=received_on,
        due_on=one_month_after(received_on),
        details=details,
        received_by=actor,
    )
    audit.record(actor=actor, action="privacy.request_registered", target=request)
    return request


@transaction.atomic
def update_request(*, actor: Any, request: RightsRequest, changes: dict) -> RightsRequest:
    """A request is closed (answered or refused) only with its answer, which is kept."""
    status = changes.get("status", request.status)
    answer = changes.get("answer", request.answer)
    if status not in OPEN_STATUSES:
        if not (answer or "").strip():
            raise RuleBroken(_("Write the answer given to the person."), field="answer")
        changes.setdefault("answered_on", request.answered_on or timezone.localdate())
        if changes["answered_on"] and changes["answered_on"] < request.received_on:
            raise RuleBroken(_("The answer cannot precede the request."), field="answered_on")
        if changes["answered_on"] and changes["answered_on"] > timezone.localdate():
            raise RuleBroken(_("The answer date cannot be in the future."), field="answered_on")
        request.answered_by = actor
    else:
        changes["answered_on"] = None
    return save_changes(
        request,
        changes=changes,
        fields=["status", "answer", "answered_on", "details"],
        actor=actor,
        action="privacy.request_updated",
    )


@transaction.atomic
def set_restriction(*, actor: Any, person: Any, restricted: bool) -> Any:
    """Art. 18: a restricted file is opened only by the city coordinator, until lifted."""
    from lgnet.people.models import Person

    if person.merged_into_id:
        raise RuleBroken(_("This record was merged: restrict the surviving one."), status=409)
    Person.objects.filter(pk=person.pk, city_id=person.city_id).update(is_restricted=restricted)
    person.is_restricted = restricted
    audit.record(
        actor=actor,
        action="privacy.restricted" if restricted else "privacy.restriction_lifted",
        target=person,
    )
    return person


@transaction.atomic
def anonymise_person(*, actor: Any, person: Any, reason: str) -> int:
    """Erasure as anonymisation: every app's anonymiser runs in one transaction; names,
    contacts, documents and free text go, ids and what the figures count stay."""
    from lgnet.people.models import Person

    if person.anonymised_at is not None:
        raise RuleBroken(_("This record is already anonymised."), status=409)
    if person.merged_into_id:
        raise RuleBroken(_("This record was merged: anonymise the surviving one."), status=409)
    locked = Person.objects.select_for_update().get(pk=person.pk, city_id=person.city_id)
    changed = 0
    by_anonymiser: dict[str, int] = {}
    with scope(city=locked.city_id):
        for anonymiser in erasure.anonymisers():
            done = anonymiser(locked)
            changed += done
            if done:
                by_anonymiser[anonymiser.__name__] = done
    now = timezone.now()
    Person.objects.filter(pk=person.pk).update(anonymised_at=now, is_restricted=False)
    person.refresh_from_db()
    audit.record(
        actor=actor,
        action="privacy.anonymised",
        target=person,
        data={"reason": reason, "records": changed, "by": by_anonymiser},
    )
    return changed


def export_person(*, membership: Any, person: Any, channel: str = "web") -> dict:
    """The art. 15 copy of everything held on the person; the export itself is logged."""
    with scope(city=person.city_id):
        found = sections.sections_for(person)
    audit.log_sensitive_read(membership=membership, person=person, what="export", channel=channel)
    audit.record(
        actor=membership.user, action="privacy.exported", target=person, data={"via": channel}
    )
    return {
        "person": person.pk,
        "city": person.city.slug,
        "generated_at": timezone.now().isoformat(),
        "sections": [{"title": title, "rows": rows} for title, rows in found],
    }


@transaction.atomic
def record_notice(
    *, actor: Any, person: Any, language: str, channel: str, given_on: date | None = None
) -> Any:
    """Art. 13: the notice was given, in this language, in this way, on this day, by actor."""
    from lgnet.people.choices import NoticeChannel
    from lgnet.people.models import Person

    if not PrivacyNotice.objects.filter(language=language).exists():
        raise RuleBroken(_("There is no notice in that language."), field="language")
    if channel not in NoticeChannel.values:
        raise RuleBroken(_("Choose how the notice was given."), field="channel")
    given_on = given_on or timezone.localdate()
    if given_on > timezone.localdate():
        raise RuleBroken(_("The date cannot be in the future."), field="given_on")
    Person.objects.filter(pk=person.pk, city_id=person.city_id).update(
        privacy_notice_on=given_on,
        privacy_notice_language=language,
        privacy_notice_channel=channel,
        privacy_notice_by=actor,
    )
    person.refresh_from_db()
    audit.record(
        actor=actor,
        action="privacy.notice_given",
        target=person,
        data={"language": language, "channel": channel},
    )
    return person


# --- retention ----------------------------------------------------------------------------


@transaction.atomic
def save_policy(*, actor: Any, kind: str, months: int, is_active: bool) -> RetentionPolicy:
    """The network sets one period per kind of record; at least one month."""
    if kind not in RetentionKind.values:
        raise RuleBroken(_("Unknown kind of record."), field="kind")
    if months < 1 or months > 1200:
        raise RuleBroken(_("Between 1 and 1200 months."), field="months")
    policy, _created = RetentionPolicy.objects.update_or_create(
        kind=kind, defaults={"months": months, "is_active": is_active, "updated_by": actor}
    )
    audit.record(
        actor=actor,
        action="privacy.retention_set",
        target=policy,
        data={"kind": kind, "months": months, "is_active": is_active},
    )
    return policy


# Kinds whose records live in a later app, which registers a keeper (privacy.retention).
KEPT_ELSEWHERE = {RetentionKind.IMPORT_FILES}


def due_for_retention(policy: RetentionPolicy, today: date | None = None):
    """What the policy would anonymise now, across cities (querysets; counts are taken by
    the caller; None when the app keeping that kind is not installed). Restricted files are
    kept: a restriction often protects a legal claim."""
    from lgnet.cases.models import Attachment, Case
    from lgnet.people.models import Contact, Person

    cutoff = policy.cutoff(today)
    if policy.kind in KEPT_ELSEWHERE:
        found = retention.keeper(policy.kind)
        return found.due(cutoff) if found else None
    if policy.kind == RetentionKind.ATTACHMENTS:
        return Attachment.objects.filter(
            case__status="closed", case__closed_on__lt=cutoff, case__person__is_restricted=False
        )
    persons = Person.objects.filter(
        anonymised_at__isnull=True, merged_into__isnull=True, is_restricted=False
    )
    if policy.kind == RetentionKind.CLOSED_CASES:
        cases = Case.objects.filter(person=OuterRef("pk"))
        return (
            persons.filter(Exists(cases))
            .exclude(Exists(cases.exclude(status="closed")))
            .annotate(last_closed=Max("cases__closed_on"))
            .filter(last_closed__lt=cutoff)
        )
    if policy.kind == RetentionKind.NO_CASE:
        recent_contact = Contact.objects.filter(
            person=OuterRef("pk"), occurred_at__date__gte=cutoff
        )
        return persons.exclude(Exists(Case.objects.filter(person=OuterRef("pk")))).filter(
            ~Exists(recent_contact), updated_at__date__lt=cutoff
        )
    return Contact.objects.filter(occurred_at__date__lt=cutoff).filter(~Q(notes="") | ~Q(place=""))


def retention_preview(today: date | None = None) -> list[dict]:
    """What the next run will touch: per active policy and city, counts only."""
    from django.db.models import Count

    result = []
    with scopes_disabled():  # a network-wide job: counts per city, never a person
        for policy in RetentionPolicy.objects.filter(is_active=True):
            due = due_for_retention(policy, today)
            if due is None:
                continue
            rows = due.order_by().values("city__slug").annotate(n=Count("pk", distinct=True))
            counts = {row["city__slug"]: row["n"] for row in rows}
            result.append({"policy": policy, "cities": counts, "total": sum(counts.values())})
    return result


def run_retention(*, actor: Any = None, today: date | None = None) -> RetentionRun:
    """Anonymise everything past its period, one person per transaction, and log counts."""
    run = RetentionRun.objects.create(triggered_by=actor)
    counts: dict[str, dict[str, int]] = {}
    try:
        with scopes_disabled():  # the network-wide job; each person is handled in its city
            for policy in RetentionPolicy.objects.filter(is_active=True).order_by("kind"):
                due = due_for_retention(policy, today)
                if due is None:
                    continue
                due = due.select_related("city")
                found = retention.keeper(policy.kind)
                if found is not None:
                    cities = due.order_by().values_list("city_id", "city__slug").distinct()
                    for city_id, slug in list(cities):
                        with transaction.atomic():
                            cleared = found.clear(due.filter(city_id=city_id))
                        by_city = counts.setdefault(slug, {})
                        by_city[policy.kind] = by_city.get(policy.kind, 0) + cleared
                    continue
                if policy.kind == RetentionKind.ATTACHMENTS:
                    cities = due.order_by().values_list("city_id", "city__slug").distinct()
                    for city_id, slug in cities:
                        with transaction.atomic():
                            deleted = builtin.delete_attachments(due.filter(city_id=city_id))
                        by_city = counts.setdefault(slug, {})
                        by_city[policy.kind] = by_city.get(policy.kind, 0) + deleted
                    continue
                if policy.kind == RetentionKind.CONTACT_NOTES:
                    for contact in due.iterator():
                        with transaction.atomic():
                            erasure.forget_history(type(contact), [contact.pk])
                            type(contact).objects.filter(pk=contact.pk).update(notes="", place="")
                        by_city = counts.setdefault(contact.city.slug, {})
                        by_city[policy.kind] = by_city.get(policy.kind, 0) + 1
                    continue
                for person in list(due):
                    anonymise_person(actor=actor, person=person, reason=f"retention:{policy.kind}")
                    by_city = counts.setdefault(person.city.slug, {})
                    by_city[policy.kind] = by_city.get(policy.kind, 0) + 1
    except Exception as error:
        run.error = f"{type(error).__name__}"[:500]
        raise
    finally:
        run.counts = counts
        run.finished_at = timezone.now()
        run.save(update_fields=["counts", "finished_at", "error"])
        audit.record(actor=actor, action="privacy.retention_run", target=run, data=counts)
    return run
