from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lgnet.core import embedded_db


class Command(BaseCommand):
    help = "Status or stop of the embedded PostgreSQL server in var/pgdata."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "stop"])

    def handle(self, *args, action: str, **options):
        if settings.DATABASE_URL:
            raise CommandError("DATABASE_URL is set: no embedded server is in use.")
        pgdata = settings.BASE_DIR / "var" / "pgdata"
        if action == "status":
            self.stdout.write(f"embedded PostgreSQL running in {pgdata}")
        elif embedded_db.stop(pgdata):
            self.stdout.write("embedded PostgreSQL stopped")
        else:
            self.stdout.write("embedded PostgreSQL was not running")
