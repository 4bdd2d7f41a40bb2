"""makemessages that also collects ``_l("...")``: the import kinds name gettext_lazy so,
beside ``_`` for the messages they build at run time."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l"]
