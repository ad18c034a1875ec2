"""Two-factor login for password accounts (django-otp): a TOTP app, and recovery codes.

With REQUIRE_2FA (on by default when DEBUG is off) the secretariat and superusers must have
a second factor: after the password they are held on their two-factor page until they have
enrolled, and from then on the admin's login asks for the code. Others may enrol. Someone
who signed in through the organisation's single sign-on has the provider's second factor, not
ours.
"""

import base64
import io
import secrets

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin import site
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from common.roles import SECRETARIAT

RECOVERY_CODES = 10
# The session key set by the single sign-on's login: such a session needs no second factor here.
SSO_SESSION_KEY = "signed_in_by_sso"


def two_factor_required(user) -> bool:
    """Must this user have a second factor? The secretariat and superusers, with REQUIRE_2FA."""
    if not settings.REQUIRE_2FA or not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name=SECRETARIAT).exists()


class LoginForm(AdminAuthenticationForm):
    """The admin's login, asking for the code from the app (or a recovery code) of a user who
    has enrolled."""

    otp_token = forms.CharField(
        label="Engangskode",
        required=False,
        max_length=16,
        help_text="Koden fra din godkendelses-app eller en gendannelseskode, hvis du har slået "
        "tofaktor-login til.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        if not settings.PASSWORD_LOGIN:
            raise forms.ValidationError("Log ind med organisationens konto.", code="sso_only")
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and user_has_device(user):
            token = (cleaned.get("otp_token") or "").replace(" ", "")
            device = match_token(user, token) if token else None
            if device is None:
                raise forms.ValidationError(
                    "Skriv den gyldige engangskode fra din godkendelses-app.", code="otp"
                )
            # django-otp marks the session verified with this device when the login completes.
            user.otp_device = device
        return cleaned


class RequireTwoFactor:
    """Holds a user who must have a second factor on the two-factor page until they have one
    and used it. After django_otp.middleware.OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            two_factor_required(user)
            and not request.user.is_verified()
            and not request.session.get(SSO_SESSION_KEY)
        ):
            if user_has_device(user):
                # Enrolled in another session: this one must log in again with the code.
                logout(request)
                return redirect(f"{reverse('admin:login')}?next={request.path}")
            allowed = (reverse("two-factor"), reverse("admin:logout"))
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                return redirect("two-factor")
        return self.get_response(request)


def qr_code_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    output = io.BytesIO()
    image.save(output)
    svg = output.getvalue().decode()
    return svg[svg.index("<svg") :]


def new_recovery_codes(user) -> list[str]:
    """Replaces the user's recovery codes with new ones, each good once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Gendannelseskoder")
    device.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


class ConfirmForm(forms.Form):
    otp_token = forms.CharField(label="Koden fra appen", max_length=8)


@login_required
def two_factor(request):
    """The user's own two-factor page: enrol with a QR code, get recovery codes, turn it off."""
    user = request.user
    enrolled = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    context = {
        **site.each_context(request),
        "title": "Tofaktor-login",
        "required": two_factor_required(user),
        "enrolled": enrolled,
        "demo": settings.DEBUG and not settings.REQUIRE_2FA,
    }
    if enrolled:
        if request.method == "POST" and request.POST.get("action") == "recovery":
            context["codes"] = new_recovery_codes(user)
        elif request.method == "POST" and request.POST.get("action") == "off":
            if context["required"]:
                messages.error(request, "Din rolle kræver tofaktor-login; det kan ikke slås fra.")
            else:
                for device in devices_for_user(user, confirmed=None):
                    device.delete()
                messages.success(request, "Tofaktor-login er slået fra.")
                return redirect("two-factor")
        return render(request, "admin/two_factor.html", context)

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice(
        user=user, name="Godkendelses-app", confirmed=False
    )
    if device.pk is None:
        device.save()
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"].replace(" ", "")):
            with transaction.atomic():
                device.confirmed = True
                device.save()
                context["codes"] = new_recovery_codes(user)
            otp_login(request, device)
            context["enrolled"] = True
            return render(request, "admin/two_factor.html", context)
        form.add_error("otp_token", "Koden passer ikke. Prøv den næste, appen viser.")
    context.update(
        form=form,
        qr_code=mark_safe(qr_code_svg(device.config_url)),
        secret=base64.b32encode(device.bin_key).decode().rstrip("="),
    )
    return render(request, "admin/two_factor.html", context)
