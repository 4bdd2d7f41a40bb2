import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from lgnet.core import backup


class Command(BaseCommand):
    help = (
        "Restore an encrypted backup into the configured database, which must be empty, and the "
        "file folders (media, attachments); then check every table against the backup. "
        "Key in LGNET_BACKUP_KEY."
    )
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file ('-' for stdin)")
        parser.add_argument(
            "--verify",
            action="store_true",
            help="only decrypt and read the whole file; write nothing",
        )

    def handle(self, *args, file: str, verify=False, **options):
        try:
            key = backup.backup_key()
            target = backup.Target.from_settings(connection.settings_dict)
            folders = backup.file_folders()
            connection.close()
            if file == "-":
                manifest = backup.restore(
                    target=target,
                    folders=folders,
                    source=sys.stdin.buffer,
                    key=key,
                    say=self.stdout.write,
                    verify_only=verify,
                )
            else:
                path = Path(file)
                if not path.is_file():
                    raise CommandError(f"{path} is not a file.")
                with path.open("rb") as source:
                    manifest = backup.restore(
                        target=target,
                        folders=folders,
                        source=source,
                        key=key,
                        say=self.stdout.write,
                        verify_only=verify,
                    )
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        done = "verified" if verify else "restored"
        tables = len(manifest["tables"])
        self.stdout.write(
            self.style.SUCCESS(f"backup of {manifest['created_at']} {done}: {tables} tables")
        )
