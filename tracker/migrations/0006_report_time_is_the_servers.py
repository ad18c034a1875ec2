import django.utils.timezone
from django.db import migrations, models


def effective_at_registration(apps, schema_editor):
    for name in ("StatusReport", "HistoricalStatusReport"):
        model = apps.get_model("tracker", name)
        model.objects.update(effective_at=models.F("reported_at"))


HELP = (
    "Kun sekretariatet: den dag rapporten gælder fra, hvis den beskriver en tidligere dag end "
    "den, den registreres. Angiv begrundelsen."
)


class Migration(migrations.Migration):
    """A report's time is the server's; only the secretariat says it holds from earlier."""

    dependencies = [
        ("tracker", "0005_reminder_plan"),
    ]

    operations = []
    for model in ("statusreport", "historicalstatusreport"):
        operations += [
            migrations.AlterField(
                model_name=model,
                name="reported_at",
                field=models.DateTimeField(
                    db_index=True,
                    default=django.utils.timezone.now,
                    editable=False,
                    verbose_name="registreret",
                ),
            ),
            migrations.AddField(
                model_name=model,
                name="effective_from",
                field=models.DateField(
                    blank=True, help_text=HELP, null=True, verbose_name="gældende fra"
                ),
            ),
            migrations.AddField(
                model_name=model,
                name="effective_reason",
                field=models.CharField(
                    blank=True, max_length=300, verbose_name="begrundelse for gældende fra"
                ),
            ),
            migrations.AddField(
                model_name=model,
                name="effective_at",
                field=models.DateTimeField(editable=False, null=True, verbose_name="gælder fra"),
            ),
        ]
    operations.append(migrations.RunPython(effective_at_registration, migrations.RunPython.noop))
    for model in ("statusreport", "historicalstatusreport"):
        operations.append(
            migrations.AlterField(
                model_name=model,
                name="effective_at",
                field=models.DateTimeField(editable=False, verbose_name="gælder fra"),
            )
        )
