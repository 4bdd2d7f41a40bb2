"""Row history keeps its fast path: the triggers' settings are there on every connection, after
a trigger was ignored, and for a long writer (seed_demo, imports) with its own context."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from lgnet.core import history
from lgnet.network.models import City, CityEvent


def ignored_triggers() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('pgtrigger.ignore', true)")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_every_connection_starts_with_an_empty_ignore_list():
    fresh = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with fresh.cursor() as cursor:
            cursor.execute("SELECT current_setting('pgtrigger.ignore', true)")
            assert cursor.fetchone()[0] == "{}"
    finally:
        fresh.close()


@pytest.mark.django_db
def test_ignoring_skips_the_trigger_and_leaves_the_fast_path_set():
    city = City.objects.create(slug="lecce", name="Lecce", istat_code="075035", region="Puglia")
    with history.ignoring("network.City:update_update"):
        City.objects.filter(pk=city.pk).update(name="Lecce (LE)")
    assert not CityEvent.objects.filter(pgh_obj=city, pgh_label="update").exists()
    # pgtrigger clears the setting for the session when it ends; ignoring() sets it again.
    assert ignored_triggers() == "{}"
    City.objects.filter(pk=city.pk).update(name="Lecce")
    assert CityEvent.objects.filter(pgh_obj=city, pgh_label="update").count() == 1


@pytest.mark.django_db
def test_recorded_history_names_its_context_on_every_row():
    with transaction.atomic(), history.recorded_history(command="seed_demo"):
        assert ignored_triggers() == "{}"
        with connection.cursor() as cursor:  # a raw write as COPY does: no Django wrapper
            cursor.execute(
                "INSERT INTO network_city (slug, name, istat_code, region, controller, created_at, "
                "updated_at) VALUES ('bari', 'Bari', '072006', 'Puglia', '', now(), now())"
            )
        City.objects.create(slug="lecce", name="Lecce", istat_code="075035", region="Puglia")
    events = CityEvent.objects.filter(pgh_label="insert").select_related("pgh_context")
    assert {e.slug: e.pgh_context.metadata for e in events} == {
        "bari": {"command": "seed_demo"},
        "lecce": {"command": "seed_demo"},
    }


@pytest.mark.django_db
def test_setting_the_fast_path_again_adds_no_error_to_a_failed_transaction():
    from django.db import DataError

    with pytest.raises(DataError), transaction.atomic(), connection.cursor() as cursor:
        try:
            cursor.execute("SELECT 1 / 0")
        finally:
            history._ignore_none()  # as ignoring() does on its way out: runs nothing here
