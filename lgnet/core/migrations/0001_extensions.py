from django.contrib.postgres.operations import (
    BtreeGistExtension,
    CreateExtension,
    TrigramExtension,
    UnaccentExtension,
)
from django.db import migrations


class Migration(migrations.Migration):
    """The PostgreSQL extensions the app relies on: exclusion constraints (btree_gist),
    fuzzy name matching (pg_trgm, fuzzystrmatch) and accent-insensitive search (unaccent)."""

    initial = True
    dependencies = []

    operations = [
        BtreeGistExtension(),
        TrigramExtension(),
        UnaccentExtension(),
        CreateExtension("fuzzystrmatch"),
    ]
