"""Record business events. Call from services, inside their transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from lgnet.core.models import AuditEvent


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    city: Any = None,
    data: dict | None = None,
) -> AuditEvent:
    """Append one event. ``data`` must not hold personal data: ids and codes only."""
    if city is None and target is not None:
        city = getattr(target, "city", None)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        city=city,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        data=data or {},
    )


def log_sensitive_read(
    *,
    membership: Any,
    person: models.Model,
    what: str,
    channel: str = "web",
    outside_team: bool = False,
) -> None:
    """Record that a user read a person's sensitive section (no personal data stored)."""
    from lgnet.core.models import AccessLog

    AccessLog.objects.create(
        user=membership.user,
        membership_id=membership.pk,
        city_id=person.city_id,
        person_id=person.pk,
        what=what,
        channel=channel,
        outside_team=outside_team,
    )
