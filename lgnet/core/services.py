"""Small write helpers shared by the apps' services."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import IntegrityError, models

from lgnet.core import audit
from lgnet.core.exceptions import RuleBroken

M = TypeVar("M", bound=models.Model)


def save_changes(
    instance: M,
    *,
    changes: Mapping[str, Any],
    fields: Iterable[str],
    actor: Any,
    action: str,
    conflict_message: str = "",
) -> M:
    """Copy only the named ``fields`` from ``changes``, validate, save and audit.

    The list of fields is the caller's whitelist: request data never picks the columns.
    """
    allowed = set(fields)
    unknown = set(changes) - allowed
    if unknown:
        raise RuleBroken(f"not editable: {', '.join(sorted(unknown))}", field=sorted(unknown)[0])
    changed = []
    for name in allowed & set(changes):
        setattr(instance, name, changes[name])
        changed.append(name)
    instance.full_clean()
    try:
        instance.save()
    except IntegrityError as error:
        raise RuleBroken(conflict_message or str(error), status=409) from error
    audit.record(actor=actor, target=instance, action=action, data={"fields": sorted(changed)})
    return instance
