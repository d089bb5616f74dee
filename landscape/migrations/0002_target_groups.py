from django.db import migrations


def forwards(apps, schema_editor):
    # The vocabulary lives in landscape/vocabulary.py; post_migrate seeds it too (also after a test flush).
    from landscape.vocabulary import TARGET_GROUPS

    TargetGroup = apps.get_model("landscape", "TargetGroup")
    for code, name in TARGET_GROUPS:
        TargetGroup.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("landscape", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
