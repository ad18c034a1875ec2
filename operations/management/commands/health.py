import json

from django.core.management.base import BaseCommand, CommandError

from operations import health


class Command(BaseCommand):
    help = "Prints what /health/ answers, as JSON; exits with 1 when a part is failing."

    def handle(self, *args, **options):
        answer = health.report(health.check_all())
        self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2))
        if answer["failing"]:
            raise CommandError("Fejl: " + ", ".join(answer["failing"]))
