from django.db import migrations, models
from django.db.models.functions import Now


def forget_sent_account_secrets(apps, schema_editor):
    """Account emails recorded before this change carry login codes and reset links: mark
    them secret, and drop the bodies of those already sent or given up on."""
    Notification = apps.get_model("notify", "Notification")
    account = Notification.objects.filter(key__startswith="account:")
    account.update(secret=True)
    account.exclude(status__in=["pending", "sending"]).update(
        body_text="", body_html="", body_removed_at=Now()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notify", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="body_removed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="notification",
            name="secret",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(forget_sent_account_secrets, migrations.RunPython.noop),
    ]
