from django.db import migrations

# The shared vocabulary of target groups (code in English, name as shown to Dutch users).
TARGET_GROUPS = [
    ("youth", "Jeugd en jongeren"),
    ("families", "Gezinnen en ouders"),
    ("elderly", "Ouderen"),
    ("informal_caregivers", "Mantelzorgers"),
    ("young_informal_caregivers", "Jonge mantelzorgers"),
    ("disabilities", "Mensen met een beperking"),
    ("newcomers", "Nieuwkomers en statushouders"),
    ("money_worries", "Mensen met geldzorgen"),
    ("loneliness", "Eenzame inwoners"),
    ("residents", "Alle bewoners"),
    ("volunteers", "Vrijwilligers"),
]


def forwards(apps, schema_editor):
    TargetGroup = apps.get_model("landscape", "TargetGroup")
    for code, name in TARGET_GROUPS:
        TargetGroup.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("landscape", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
