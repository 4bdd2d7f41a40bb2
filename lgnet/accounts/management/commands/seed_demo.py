import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_scopes import scopes_disabled

from lgnet.core import demo
from lgnet.core.history import recorded_history


class Command(BaseCommand):
    help = "Load the demo network (idempotent): editions, cities, partners, demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Multiply the volumes of generated records (default 1); 0 loads the "
            "smallest demo, with Taranto's registry only.",
        )

    def handle(self, *args, scale: int, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is never loaded in production.")
        if scale < 0:
            raise CommandError("--scale must be 0 or more.")
        # The demo spans every city, so it runs outside any tenant scope.
        with scopes_disabled(), transaction.atomic(), recorded_history(command="seed_demo"):
            for seeder in demo.seeders():
                self.stdout.write(f"  {seeder.name}…", ending="")
                self.stdout.flush()
                started = time.monotonic()
                seeder.run(scale)
                self.stdout.write(f" {time.monotonic() - started:.1f} s")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(
            "Demo logins (password demo-lgnet): rete; <city>.coordinatore, <city>.operatore, "
            "<city>.mobile, <city>.auditor for taranto, milano, …; "
            "taranto.isola, taranto.iom, taranto.uepe, taranto.crest"
        )
