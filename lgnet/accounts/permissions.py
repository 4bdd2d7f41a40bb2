"""Capability checks for pages. The table itself lives in roles.py."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest


def requires(capability: str) -> Callable:
    """The view needs a membership holding ``capability``: 403 when the role lacks it.

    A user with no membership for the page's city never gets here: the tenancy middleware
    answers 404 first.
    """
    from lgnet.accounts.roles import ALL_CAPABILITIES

    if capability not in ALL_CAPABILITIES:
        raise KeyError(f"unknown capability {capability!r}")

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            membership = getattr(request, "membership", None)
            if membership is None:
                raise Http404
            if not membership.can(capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_capability = capability
        return wrapped

    return decorator


class Can:
    """``{% if can.city_manage %}`` in templates: capability names with _ for the dot."""

    def __init__(self, membership) -> None:
        self._caps = membership.capabilities if membership is not None else frozenset()

    def __getattr__(self, name: str) -> bool:
        return name.replace("_", ".", 1) in self._caps
