"""ADR 0011: `Candidate.consortium_name` (a free string typed by the lead) gives way to a stored display name and the
participants of the sealed request; the organisation becomes optional (an operator without a landscape match).

Existing rows keep the name they showed: the typed consortium name, else the organisation's name. Their only
recorded participant is the organisation as lead: the partners behind a typed name never confirmed, so they are not
made into members."""

import django.db.models.deletion
from django.db import migrations, models


def copy_names(apps, schema_editor):
    Candidate = apps.get_model("tenders", "Candidate")
    for candidate in Candidate.objects.select_related("organisation").iterator():
        lead = candidate.organisation.name
        candidate.display_name = (candidate.consortium_name or "").strip() or lead
        candidate.members = [{"name": lead, "ring": 0, "role": "", "registration": ""}]
        candidate.save(update_fields=["display_name", "members"])


def restore_names(apps, schema_editor):
    Candidate = apps.get_model("tenders", "Candidate")
    for candidate in Candidate.objects.select_related("organisation").iterator():
        lead = candidate.organisation.name if candidate.organisation_id else ""
        candidate.consortium_name = "" if candidate.display_name == lead else candidate.display_name
        candidate.save(update_fields=["consortium_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("tenders", "0010_criterion_minimum_and_lot_kpis"),
    ]

    operations = [
        migrations.AddField(
            model_name="candidate",
            name="display_name",
            field=models.CharField(default="", max_length=255, verbose_name="name"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="candidate",
            name="members",
            field=models.JSONField(blank=True, default=list, verbose_name="participants"),
        ),
        migrations.RunPython(copy_names, restore_names),
        migrations.RemoveField(model_name="candidate", name="consortium_name"),
        migrations.AlterField(
            model_name="candidate",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                verbose_name="organisation",
                to="landscape.organisation",
            ),
        ),
    ]
