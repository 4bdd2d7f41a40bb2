"""The `lgnet` console command: the same as `python manage.py`."""

import os
import sys


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A missing or wrong setting (production without SECRET_KEY...): say which, no traceback.
        print(f"lgnet: configuration error: {error}", file=sys.stderr)  # noqa: T201
        return 2
    return 0
