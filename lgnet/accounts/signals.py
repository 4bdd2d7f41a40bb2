"""Sign-in bookkeeping: each new session is linked to its user (BrowserSession)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in, dispatch_uid="lgnet.accounts.record_session")
def remember_session(sender, request, user, **kwargs) -> None:
    # Only database sessions can be listed and ended from the profile.
    session = getattr(request, "session", None)
    if session is None or settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return
    from lgnet.accounts import services

    services.record_session(
        user=user,
        session_key=session.session_key,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
