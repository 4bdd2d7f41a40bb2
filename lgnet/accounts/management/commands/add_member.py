import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_scopes import scope

from lgnet.accounts.models import Membership, User
from lgnet.accounts.roles import NETWORK_ROLES, Role
from lgnet.accounts.services import add_member
from lgnet.core import audit
from lgnet.core.exceptions import RuleBroken
from lgnet.network.models import City, Organisation


class Command(BaseCommand):
    help = (
        "Give a user a role: the first network coordinator (--network) or a city's first "
        "coordinator. Creates the user when new and asks for a password."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=[r.value for r in Role], required=True)
        parser.add_argument("--city", help="city slug (not for the network coordinator)")
        parser.add_argument("--organisation", help="organisation name, for partner workers")
        parser.add_argument(
            "--no-password", action="store_true", help="do not ask for a password (set it later)"
        )

    @transaction.atomic
    def handle(self, *args, username, role, city, organisation, no_password, **options):
        password = None
        if not no_password and not User.objects.filter(username=username).exists():
            password = getpass.getpass(f"Password for {username}: ")
        if role in NETWORK_ROLES:
            if city:
                raise CommandError("The network coordinator belongs to no city: drop --city.")
            user, created = User.objects.get_or_create(username=username)
            if created:
                self._set_password(user, password)
            membership, _ = Membership.objects.get_or_create(user=user, role=role, city=None)
            audit.record(
                actor=None,
                target=membership,
                action="membership.created",
                data={"role": role, "via": "command"},
            )
        else:
            if not city:
                raise CommandError("--city is required for city roles.")
            city_obj = City.objects.filter(slug=city).first()
            if city_obj is None:
                raise CommandError(f"No city with slug {city!r}.")
            with scope(city=city_obj):
                org = None
                if organisation:
                    org = Organisation.objects.filter(city=city_obj, name=organisation).first()
                    if org is None:
                        raise CommandError(f"No organisation {organisation!r} in {city}.")
                try:
                    membership = add_member(
                        actor=None,
                        city=city_obj,
                        username=username,
                        role=role,
                        organisation=org,
                        password=password,
                    )
                except (RuleBroken, ValidationError) as error:
                    raise CommandError(getattr(error, "message", None) or str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"{membership}"))

    def _set_password(self, user: User, password: str | None) -> None:
        from django.contrib.auth.password_validation import validate_password

        if password:
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
