"""lgnet import <kind> <file> --city <slug> [--dry-run] [--create-duplicates]"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope

from lgnet.imports.kinds import KINDS
from lgnet.imports.management.commands._common import Bar, actor_for


class Command(BaseCommand):
    help = (
        "Import a spreadsheet (XLSX, ODS, CSV) into a city: every row or none. "
        "Exit 0 only when every row was written."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file")
        parser.add_argument("--city", required=True)
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--create-duplicates",
            action="store_true",
            help="create rows that look like persons already registered (default: refuse)",
        )
        parser.add_argument(
            "--user", help="the username recorded as author (default: the city coordinator)"
        )

    def handle(self, *args, **options):
        from lgnet.imports import services
        from lgnet.imports.models import ImportStatus
        from lgnet.network.models import City

        city = City.objects.filter(slug=options["city"]).first()
        if city is None:
            raise CommandError(f"no city {options['city']!r}")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no file {path}")
        actor = actor_for(city, options.get("user"))
        with scope(city=city), path.open("rb") as handle:
            upload = File(handle, name=path.name)
            data_import = services.create_import(
                actor=actor,
                city=city,
                kind=options["kind"],
                upload=upload,
                create_duplicates=options["create_duplicates"],
            )
            bar = Bar(self.stderr) if sys.stderr.isatty() else None
            runner = services.check_import if options["dry_run"] else services.run
            kwargs = {} if options["dry_run"] else {"apply": True}
            data_import = runner(
                data_import, actor=actor, progress=bar.update if bar else None, **kwargs
            )
            if bar:
                bar.close()
            self._report(data_import)
        written = data_import.status == ImportStatus.APPLIED
        if options["dry_run"]:
            ok = data_import.status == ImportStatus.CHECKED
            self.stdout.write("dry run: nothing written" + ("" if ok else "; errors found"))
            if not ok:
                raise SystemExit(1)
            return
        if not written:
            self.stdout.write("nothing written")
            raise SystemExit(1)
        self.stdout.write(f"written: import {data_import.pk}")

    def _report(self, data_import) -> None:
        counts = data_import.counts
        self.stdout.write(
            f"{data_import.rows} rows: {counts.get('created', 0)} to create, "
            f"{counts.get('linked', 0)} linked, {counts.get('unchanged', 0)} unchanged, "
            f"{counts.get('duplicate', 0)} likely duplicates, "
            f"{counts.get('invalid', 0)} with errors"
        )
        for warning in data_import.report.get("warnings", []):
            self.stdout.write(f"warning: {warning}")
        for error in data_import.errors:
            self.stdout.write(f"row {error['row']}, {error['column'] or '-'}: {error['message']}")
        for dup in data_import.duplicates:
            where = [f"person {c['id']} ({c['score']})" for c in dup["candidates"]]
            where += [f"row {r['row']} ({r['score']})" for r in dup["rows"]]
            self.stdout.write(f"row {dup['row']}: likely the same as {', '.join(where)}")
