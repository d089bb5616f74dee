import secrets

from django.db import migrations, models

import publication.models


def existing_subscriptions_stay_active(apps, schema_editor):
    """Subscriptions made before double opt-in were made by the logged-in user for their own address: they stay
    active (confirmed when they were made); each gets its own confirmation token."""
    Subscription = apps.get_model("publication", "Subscription")
    for s in Subscription.objects.all():
        s.confirm_token = secrets.token_urlsafe(24)
        s.confirmed_at = s.created_at
        s.save(update_fields=["confirm_token", "confirmed_at"])


class Migration(migrations.Migration):
    dependencies = [("publication", "0002_initial")]

    operations = [
        migrations.AddField(
            model_name="subscription",
            name="confirmed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="confirmed at"),
        ),
        migrations.AddField(
            model_name="subscription",
            name="confirm_token",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(existing_subscriptions_stay_active, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="subscription",
            name="confirm_token",
            field=models.CharField(default=publication.models._token, max_length=64, unique=True),
        ),
    ]
