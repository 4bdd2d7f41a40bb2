"""A run and a clearing of the same import (retention, erasure) never bring the deleted
report back: a cleared import does not run, and a run that ends after the clearing keeps
the cleared report."""

from __future__ import annotations

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from lgnet.core.exceptions import RuleBroken
from lgnet.imports import ahead, services
from lgnet.imports.kinds.persons import PersonsKind
from lgnet.imports.models import Import
from lgnet.imports.retention import clear_imports
from lgnet.people.models import Person

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


def test_a_check_cleared_before_it_stored_its_report_stays_cleared_and_cannot_be_applied(
    world, login, monkeypatch
):
    data_import = _upload(world)
    store = services._store

    def cleared_just_before(data_import_, *args):
        with scopes_disabled():  # an erasure that committed while the check still ran
            clear_imports(Import.objects.filter(pk=data_import_.pk), why="erasure")
        return store(data_import_, *args)

    monkeypatch.setattr(services, "_store", cleared_just_before)
    with scope(city=world.a.city):
        after = services.run(data_import, actor=world.user("coordinator"), apply=False)
    with scopes_disabled():
        stored = Import.objects.get(pk=data_import.pk)
    assert stored.status == after.status == "failed"  # never written: the clearing's status
    assert stored.is_cleared and "Quattrocchi" not in str(stored.report)
    client = login(world.user("coordinator"))
    page = client.get(reverse("imports:detail", args=[world.a.city.slug, stored.pk]))
    assert page.status_code == 200
    assert reverse("imports:apply", args=[world.a.city.slug, stored.pk]) not in page.text
    answer = client.post(reverse("imports:apply", args=[world.a.city.slug, stored.pk]))
    assert answer.status_code == 302
    with scope(city=world.a.city), pytest.raises(RuleBroken) as refused:
        services.apply_import(stored, actor=world.user("coordinator"))
    assert refused.value.status == 409


def test_a_reader_that_dies_fails_the_import_without_a_server_error(world, monkeypatch):
    monkeypatch.setattr(ahead, "AHEAD_FROM_BYTES", 0)
    monkeypatch.setattr(ahead, "_read", lambda *args: os._exit(3))  # killed, out of memory
    data_import = _upload(world)
    with scope(city=world.a.city):
        after = services.run(data_import, actor=world.user("coordinator"), apply=True)
    assert after.status == "failed" and after.failure
    with scopes_disabled():
        assert not Person.objects.filter(city=world.a.city, family_names="Quattrocchi").exists()
