"""Demo privacy data: Taranto's register of requests tells a small, realistic story."""

from datetime import timedelta

from django.utils import timezone

from lgnet.accounts.models import User
from lgnet.network.models import City
from lgnet.people.models import Person
from lgnet.privacy.models import RequestKind, RequestStatus, RightsRequest
from lgnet.privacy.services import one_month_after

STORY = [
    # (days ago, kind, status, answer)
    (40, RequestKind.ACCESS, RequestStatus.ANSWERED, "Copia completa consegnata a mano (PDF)."),
    (20, RequestKind.RECTIFICATION, RequestStatus.ANSWERED, "Data di nascita corretta."),
    (9, RequestKind.OBJECTION, RequestStatus.IN_PROGRESS, ""),
    (3, RequestKind.ACCESS, RequestStatus.RECEIVED, ""),
]


def seed_privacy(scale: int = 1) -> None:
    city = City.objects.filter(slug="taranto").first()
    coordinator = User.objects.filter(username="taranto.coordinatore").first()
    if city is None or coordinator is None or RightsRequest.objects.filter(city=city).exists():
        return  # idempotent
    persons = list(
        Person.objects.filter(
            city=city, merged_into__isnull=True, anonymised_at__isnull=True
        ).order_by("id")[: len(STORY)]
    )
    today = timezone.localdate()
    for person, (days, kind, status, answer) in zip(persons, STORY, strict=False):
        received = today - timedelta(days=days)
        RightsRequest.objects.create(
            city=city,
            person=person,
            kind=kind,
            received_on=received,
            due_on=one_month_after(received),
            status=status,
            answer=answer,
            answered_on=received + timedelta(days=7) if answer else None,
            answered_by=coordinator if answer else None,
            received_by=coordinator,
        )
