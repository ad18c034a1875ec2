from django.db import migrations, models


class Migration(migrations.Migration):
    """Every closing status is a claim the secretariat confirms, not only færdiggjort."""

    dependencies = [
        ("agreements", "0004_deadline_first_indexes"),
    ]

    operations = [
        migrations.RenameField("obligation", "done_confirmed", "closure_confirmed"),
        migrations.RenameField("historicalobligation", "done_confirmed", "closure_confirmed"),
        migrations.AlterField(
            model_name="obligation",
            name="closure_confirmed",
            field=models.BooleanField(default=False, verbose_name="afslutning bekræftet"),
        ),
        migrations.AlterField(
            model_name="historicalobligation",
            name="closure_confirmed",
            field=models.BooleanField(default=False, verbose_name="afslutning bekræftet"),
        ),
    ]
