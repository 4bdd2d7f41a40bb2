"""Signals of our own, for what Django's model signals do not cover."""

from django.dispatch import Signal

# Rows written without model signals (bulk_create, QuerySet.update): sender is the model,
# ``rows`` the written rows' values as dicts (``city_id`` and the dated fields), so that what
# counts them (the monitoring figures) hears of them as of a save.
rows_written = Signal()
