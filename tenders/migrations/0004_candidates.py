"""Dialogue participants become candidates of the selection stage (preselection and competitive dialogue): the
existing participants were admitted, so they keep that status."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("landscape", "0001_initial"),
        ("tenders", "0003_distribution_rule"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="dialogueparticipant", name="dialogue_participant_once"),
        migrations.RenameModel(old_name="DialogueParticipant", new_name="Candidate"),
        migrations.RenameField(model_name="candidate", old_name="lead_organisation", new_name="organisation"),
        migrations.RenameField(model_name="candidate", old_name="name", new_name="consortium_name"),
        migrations.RenameField(model_name="dialoguesession", old_name="participant", new_name="candidate"),
        migrations.AddField(
            model_name="candidate",
            name="status",
            field=models.CharField(
                choices=[("applied", "Applied"), ("admitted", "Admitted"), ("rejected", "Rejected")],
                default="admitted",
                max_length=16,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="candidate",
            name="status",
            field=models.CharField(
                choices=[("applied", "Applied"), ("admitted", "Admitted"), ("rejected", "Rejected")],
                default="applied",
                max_length=16,
                verbose_name="status",
            ),
        ),
    ]
