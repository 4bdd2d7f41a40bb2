"""What the import and export commands share."""

from __future__ import annotations

from django.core.management.base import CommandError


def actor_for(city, username: str | None):
    from django.contrib.auth import get_user_model

    from lgnet.accounts.models import Membership
    from lgnet.accounts.roles import Role

    if username:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        return user
    membership = (
        Membership.objects.filter(city=city, role=Role.CITY_COORDINATOR, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is None:
        raise CommandError("the city has no coordinator: name the author with --user")
    return membership.user


class Bar:
    """A progress line on the terminal: rows read so far."""

    def __init__(self, out) -> None:
        self.out = out

    def update(self, done: int, total: int) -> None:
        width = 30
        filled = width if total else (done // 500) % (width + 1)
        self.out.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done} rows", ending="")
        self.out.flush()

    def close(self) -> None:
        self.out.write("")
