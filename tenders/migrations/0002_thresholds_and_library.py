# Dated thresholds (European thresholds for sub-central contracting authorities such as municipalities) and the
# library of award criteria for the social base, each with an anchored 0/25/50/75/100 scale.
from django.db import migrations

from tenders.seed import seed


def forwards(apps, schema_editor):
    seed(apps)


class Migration(migrations.Migration):
    dependencies = [("tenders", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
