"""A run and a clearing of the same import (retention, erasure) never bring the deleted
report back: a cleared import does not run, and a run that ends after the clearing keeps
the cleared report."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope, scopes_disabled

from lgnet.imports import services
from lgnet.imports.kinds.persons import PersonsKind
from lgnet.imports.models import Import
from lgnet.imports.retention import clear_imports

ROWS = "Codice;Nome;Cognome;Sesso;Data di nascita\nC1;Zebulon;Quattrocchi;M;12/03/1990\n"


def _upload(world) -> Import:
    with scope(city=world.a.city):
        return services.create_import(
            actor=world.user("coordinator"),
            city=world.a.city,
            kind="persons",
            upload=SimpleUploadedFile("elenco.csv", ROWS.encode()),
        )


def test_a_cleared_import_does_not_run(world):
    data_import = _upload(world)
    with scopes_disabled():
        clear_imports(Import.objects.filter(pk=data_import.pk), why="retention")
        data_import.refresh_from_db()
    with scope(city=world.a.city):
        after = services.run(data_import, actor=world.user("coordinator"), apply=False)
    assert after.is_cleared and after.rows == 0
    assert "Quattrocchi" not in str(after.report)


def test_an_apply_ending_after_the_clearing_keeps_its_counts_and_no_names(world, monkeypatch):
    data_import = _upload(world)
    finish = PersonsKind.finish

    def cleared_meanwhile(self, ctx):
        finish(self, ctx)
        with scopes_disabled():  # an erasure or the retention task, while the run goes on
            clear_imports(Import.objects.filter(pk=data_import.pk), why="erasure")

    monkeypatch.setattr(PersonsKind, "finish", cleared_meanwhile)
    with scope(city=world.a.city):
        after = services.run(data_import, actor=world.user("coordinator"), apply=True)
    with scopes_disabled():
        stored = Import.objects.get(pk=data_import.pk)
    assert stored.status == after.status == "applied"  # its rows were written
    assert stored.counts["created"] == 1 and stored.rows == 1
    assert stored.is_cleared and after.is_cleared
    assert stored.report["cleared"] and "Quattrocchi" not in str(stored.report)
    assert stored.filename == after.filename and "elenco" not in stored.filename
