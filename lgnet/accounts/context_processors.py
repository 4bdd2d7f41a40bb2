from django.conf import settings

from lgnet.accounts.permissions import Can


def lgnet(request):
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    memberships = []
    if user is not None and user.is_authenticated:
        from lgnet.accounts.selectors import memberships_of

        memberships = list(memberships_of(user))
    return {
        "demo_mode": settings.LGNET_DEMO,
        "membership": membership,
        "current_city": getattr(request, "city", None),
        "my_memberships": memberships,
        "can": Can(membership),
    }
