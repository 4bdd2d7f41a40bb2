from django.db import migrations


def load(apps, schema_editor):
    from lgnet.monitoring import standard_set

    standard_set.load(apps)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
