"""Stored impacts were computed with the money model before issue 14 (other keys and definitions): clear them, so
that every page, report and export reads figures of the current model ("not computed yet" until recomputed)."""

from django.db import migrations


def clear(apps, schema_editor):
    Scenario = apps.get_model("continuity", "Scenario")
    Scenario.objects.exclude(impact={}).update(impact={}, impact_computed_at=None)


class Migration(migrations.Migration):
    dependencies = [("continuity", "0002_lot_budgets")]

    operations = [migrations.RunPython(clear, migrations.RunPython.noop)]
