from django.db import migrations

# The network's catalogue at the time of this migration; later changes come as new migrations
# (or through the network coordinator), so that every city counts services alike.
TYPES = [
    ("orientation", "Orientamento", "Orientation", "times"),
    ("legal_advice", "Consulenza legale", "Legal advice", "times"),
    ("document_support", "Supporto per i documenti", "Document support", "times"),
    ("health_accompaniment", "Accompagnamento sanitario", "Health accompaniment", "times"),
    ("psychological_support", "Supporto psicologico", "Psychological support", "minutes"),
    ("cultural_mediation", "Mediazione linguistico-culturale", "Linguistic-cultural mediation",
     "minutes"),
    ("job_orientation", "Orientamento al lavoro", "Job orientation", "times"),
    ("training", "Formazione", "Training", "times"),
    ("food_clothing", "Beni di prima necessità (cibo, vestiario)", "Food and clothing",
     "times"),
    ("transport", "Trasporto", "Transport", "times"),
    ("emergency_night", "Accoglienza notturna d'emergenza", "Emergency night", "nights"),
    ("rent_contribution", "Contributo per l'affitto", "Rent contribution", "euros"),
    ("cash_support", "Sostegno economico", "Cash support", "euros"),
]


def create(apps, schema_editor):
    ServiceType = apps.get_model("cases", "ServiceType")
    for code, name_it, name_en, unit in TYPES:
        ServiceType.objects.update_or_create(
            code=code, city=None, defaults={"name_it": name_it, "name_en": name_en, "unit": unit}
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
