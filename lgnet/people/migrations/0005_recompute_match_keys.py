from django.db import migrations


def recompute(apps, schema_editor):
    """Blocking keys now carry the birth year: recompute them for every person."""
    from lgnet.people import matching

    Person = apps.get_model("people", "Person")
    batch = []
    for person in Person.objects.all().only(
        "id", "given_names", "family_names", "aliases", "birth_date"
    ).iterator(chunk_size=2000):
        year = person.birth_date.year if person.birth_date else None
        person.birth_year = year
        person.match_keys = matching.keys_for(
            person.given_names, person.family_names, *person.aliases, birth_year=year
        )
        person.name_search = matching.normalised_name(
            " ".join([person.given_names, *person.aliases]), person.family_names
        )
        batch.append(person)
        if len(batch) >= 2000:
            Person.objects.bulk_update(batch, ["birth_year", "match_keys", "name_search"])
            batch = []
    if batch:
        Person.objects.bulk_update(batch, ["birth_year", "match_keys", "name_search"])


class Migration(migrations.Migration):
    dependencies = [("people", "0004_year_tagged_keys")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
