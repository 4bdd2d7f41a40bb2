"""lgnet export <kind> --city <slug> [--format xlsx|csv] [-o FILE]"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope

from lgnet.imports.exports import EXPORT_KINDS


class Command(BaseCommand):
    help = "Export a city's list (every field) to XLSX or CSV; the export is logged."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=EXPORT_KINDS)
        parser.add_argument("--city", required=True)
        parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")
        parser.add_argument("--user", help="the username recorded in the log")

    def handle(self, *args, **options):
        from lgnet.imports import exports
        from lgnet.imports.management.commands._common import actor_for
        from lgnet.network.models import City

        city = City.objects.filter(slug=options["city"]).first()
        if city is None:
            raise CommandError(f"no city {options['city']!r}")
        actor = actor_for(city, options.get("user"))
        with scope(city=city):
            data, count = exports.export(
                options["kind"],
                membership=None,
                city=city,
                actor=actor,
                fmt=options["format"],
                channel="cli",
            )
        if options["output"]:
            Path(options["output"]).write_bytes(data)
            self.stderr.write(f"{count} rows written to {options['output']}")
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
