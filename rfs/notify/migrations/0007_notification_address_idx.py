from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models
from django.db.models.functions import Lower


class Migration(migrations.Migration):
    # Built without locking out the writes of every signup while it is made.
    atomic = False

    dependencies = [
        ("notify", "0006_notification_language"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="notification",
            index=models.Index(
                Lower("to_email"), models.F("created_at"), name="notification_address_idx"
            ),
        ),
    ]
