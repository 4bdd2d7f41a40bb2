import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from lgnet.core import backup


class Command(BaseCommand):
    help = (
        "Write an encrypted backup (database, media and attachment files) to FILE, with the key in "
        "LGNET_BACKUP_KEY. `--new-key` prints a fresh key instead."
    )
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="where to write the backup ('-' for stdout)")
        parser.add_argument("--new-key", action="store_true", help="print a new random key")
        parser.add_argument(
            "--force", action="store_true", help="overwrite FILE if it already exists"
        )

    def handle(self, *args, file=None, new_key=False, force=False, **options):
        if new_key:
            self.stdout.write(backup.new_key())
            return
        if not file:
            raise CommandError("Name the backup file: lgnet backup <file>")
        try:
            key = backup.backup_key()
            target = backup.Target.from_settings(connection.settings_dict)
            folders = backup.file_folders()
            say = self.stderr.write if file == "-" else self.stdout.write
            if file == "-":
                backup.backup(
                    target=target, folders=folders, out=sys.stdout.buffer, key=key, say=say
                )
                return
            path = Path(file)
            if path.exists() and not force:
                raise CommandError(f"{path} exists; use --force to overwrite it.")
            partial = path.with_name(path.name + ".partial")
            try:
                with partial.open("wb") as out:
                    partial.chmod(0o600)
                    backup.backup(target=target, folders=folders, out=out, key=key, say=say)
                partial.replace(path)
            finally:
                partial.unlink(missing_ok=True)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"backup written to {path}"))
