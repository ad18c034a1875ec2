import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from agreements.models import Party

LOGIN_FILE = Path(settings.BASE_DIR) / "var" / "demo-login.txt"


class Command(BaseCommand):
    help = (
        "Create the demo login (a coordinator for the Taskforce secretariat who may do "
        "everything) and print it. The password is kept in var/demo-login.txt. Only with DEBUG=1."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo")

    def handle(self, *args, username: str, **options):
        if not settings.DEBUG:
            raise CommandError(
                "create_demo_users makes a superuser and prints its password, so it runs "
                "only in the demo (DEBUG=1), not with DEBUG=0"
            )
        User = get_user_model()
        password = LOGIN_FILE.read_text().strip() if LOGIN_FILE.exists() else ""
        user = User.objects.filter(username=username).first()
        if user is None or not password or not user.check_password(password):
            password = password or secrets.token_urlsafe(9)
            user = user or User(username=username)
            user.first_name, user.last_name = "Demo", "Koordinator"
            user.email = f"{username}@example.org"
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
            LOGIN_FILE.parent.mkdir(parents=True, exist_ok=True)
            LOGIN_FILE.write_text(password + "\n")
            LOGIN_FILE.chmod(0o600)
        party = Party.objects.filter(slug="danske-regioner").first()
        if party:
            party.coordinators.add(user)
        self.stdout.write(
            self.style.SUCCESS(f"Demo login: brugernavn {username}, adgangskode {password}")
        )
        if not settings.REQUIRE_2FA:
            self.stdout.write(
                "Demoen kræver ikke tofaktor-login (DEBUG=1); i drift (DEBUG=0) skal "
                "sekretariatet og superbrugere bruge en godkendelses-app."
            )
