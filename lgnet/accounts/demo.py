"""Demo logins of DESIGN §6, all with the password `demo-lgnet` (no second factor in demo)."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from lgnet.accounts.models import Membership, User
from lgnet.accounts.roles import Role
from lgnet.network.models import City, Organisation

DEMO_PASSWORD = "demo-lgnet"  # noqa: S105 - the documented demo password, demo mode only

CITY_LOGINS = {
    "coordinatore": (Role.CITY_COORDINATOR, "Coordinatrice", "di progetto"),
    "operatore": (Role.CASEWORKER, "Operatore", "sportello"),
    "mobile": (Role.OUTREACH_WORKER, "Operatrice", "unità mobile"),
    "auditor": (Role.AUDITOR, "Revisore", "dei conti"),
}
TARANTO_PARTNERS = {
    "isola": "ISOLA Cooperativa Sociale",
    "iom": "OIM — Organizzazione Internazionale per le Migrazioni",
    "uepe": "UEPE Taranto — Ufficio di esecuzione penale esterna",
    "crest": "Teatro Crest",
}


def seed_logins(scale: int = 1) -> None:
    password = make_password(DEMO_PASSWORD)  # hashed once: Argon2 is slow on purpose
    known_good: set[str] = set()

    def login(username: str, first: str, last: str) -> User:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if not created and user.password in known_good:
            return user
        if created or not user.check_password(DEMO_PASSWORD):
            user.password = password
            user.save(update_fields=["password"])
        known_good.add(user.password)
        return user

    def member(user: User, role: str, city: City | None, organisation=None) -> None:
        Membership.objects.update_or_create(
            user=user,
            role=role,
            city=city,
            defaults={"organisation": organisation, "is_active": True},
        )

    member(login("rete", "Regia", "nazionale"), Role.NETWORK_COORDINATOR, None)
    for city in City.objects.order_by("slug"):
        for suffix, (role, first, last) in CITY_LOGINS.items():
            member(login(f"{city.slug}.{suffix}", first, f"{last} — {city.name}"), role, city)
    taranto = City.objects.get(slug="taranto")
    for suffix, org_name in TARANTO_PARTNERS.items():
        organisation = Organisation.objects.get(city=taranto, name=org_name)
        member(
            login(f"taranto.{suffix}", "Operatore", org_name),
            Role.PARTNER_WORKER,
            taranto,
            organisation,
        )
