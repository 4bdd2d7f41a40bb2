from django.db import migrations


def create(apps, schema_editor):
    from lgnet.privacy.notice_texts import DEFAULT_POLICIES, NOTICES

    PrivacyNotice = apps.get_model("privacy", "PrivacyNotice")
    RetentionPolicy = apps.get_model("privacy", "RetentionPolicy")
    for language, name, is_rtl, title, body in NOTICES:
        PrivacyNotice.objects.get_or_create(
            language=language,
            defaults={"name": name, "is_rtl": is_rtl, "title": title, "body": body},
        )
    for kind, months in DEFAULT_POLICIES:
        RetentionPolicy.objects.get_or_create(
            kind=kind, defaults={"months": months, "is_active": False}
        )


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
