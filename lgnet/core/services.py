"""Small write helpers shared by the apps' services."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import IntegrityError, models
from django.utils.translation import gettext as _

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
        raise RuleBroken(
            _("Not editable: %(f)s") % {"f": ", ".join(sorted(unknown))}, field=sorted(unknown)[0]
        )
    changed = []
    for name in allowed & set(changes):
        setattr(instance, name, changes[name])
        changed.append(name)
    instance.full_clean()
    try:
        instance.save()
    except IntegrityError as error:
        # Never the database's own text: it names tables and echoes values.
        raise RuleBroken(
            conflict_message or _("This conflicts with an existing record."), status=409
        ) from error
    audit.record(actor=actor, target=instance, action=action, data={"fields": sorted(changed)})
    return instance
