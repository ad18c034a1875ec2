"""The demo login is a superuser with a printed password: never outside the demo."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def login_file(tmp_path, monkeypatch):
    path = tmp_path / "demo-login.txt"
    monkeypatch.setattr("operations.management.commands.create_demo_users.LOGIN_FILE", path)
    return path


@override_settings(DEBUG=False)
def test_without_debug_it_refuses_and_creates_nobody(login_file, capsys):
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("create_demo_users")
    assert not get_user_model().objects.exists()
    assert not login_file.exists()
    assert "adgangskode" not in capsys.readouterr().out


@override_settings(DEBUG=True)
def test_in_the_demo_it_creates_the_login_and_prints_it(login_file, capsys):
    call_command("create_demo_users")
    demo = get_user_model().objects.get(username="demo")
    assert demo.is_superuser
    password = login_file.read_text().strip()
    assert demo.check_password(password)
    assert f"brugernavn demo, adgangskode {password}" in capsys.readouterr().out
