from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lgnet.accounts import selectors
from lgnet.accounts.models import User
from lgnet.accounts.services import issue_token


class Command(BaseCommand):
    help = (
        "Issue an API token for one of a user's memberships and print it (once: only its hash "
        "is kept). For service accounts and automated checks; people make theirs on their "
        "profile page or with POST /api/v1/auth/token."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--city", help="city slug, when the user has memberships in several cities"
        )
        parser.add_argument("--name", default="", help="what the token is for (shown on profile)")

    @transaction.atomic
    def handle(self, *args, username, city, name, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        if city:
            membership = selectors.membership_for_city(user, city)
            if membership is None:
                raise CommandError(f"{username} has no active membership in {city!r}.")
        else:
            memberships = list(selectors.memberships_of(user))
            if not memberships:
                raise CommandError(f"{username} has no active membership.")
            if len({m.city_id for m in memberships}) > 1:
                raise CommandError(f"{username} belongs to several cities: name one with --city.")
            membership = memberships[0]
            if membership.city is not None:  # the strongest role in that city
                membership = selectors.membership_for_city(user, membership.city.slug)
        secret, _token = issue_token(membership=membership, name=name or "issue_token command")
        # The secret alone on stdout, so that a script can take it: token=$(lgnet issue_token ...)
        self.stdout.write(secret)
