"""Login throttling: where a login comes from, and when its address is locked out.

django-axes locks a user name tried from one address after AXES_FAILURE_LIMIT failures
(`AXES_LOCKOUT_PARAMETERS` in the settings). It compares every lockout parameter with
that one limit, so counting the address alone as well would lock an office behind one
router out after a handful of typos. `LoginThrottle` adds the address with its own,
higher limit, LOGIN_ADDRESS_FAILURE_LIMIT, so one address cannot try a few passwords
against each of many user names.
"""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum


def client_address(request) -> str | None:
    """The address a login comes from (AXES_CLIENT_IP_CALLABLE).

    Each proxy appends the address it was connected from to X-Forwarded-For, so behind
    TRUSTED_PROXY_COUNT proxies the client is the entry that many places from the right;
    whatever stands left of it the client may have written itself. With no trusted proxy
    the header is ignored: anyone can send it.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if count and len(forwarded) >= count:
        try:
            return str(ipaddress.ip_address(forwarded[-count].strip()))
        except ValueError:
            pass  # Not an address our proxy wrote: the request did not come through it.
    return request.META.get("REMOTE_ADDR")


class LoginThrottle(AxesDatabaseHandler):
    """django-axes' database handler (AXES_HANDLER), which also locks out an address
    after LOGIN_ADDRESS_FAILURE_LIMIT failures within the cool-off, over any user names."""

    def address_failures(self, request) -> int:
        attempts = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        )
        return attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0

    def address_is_locked(self, request) -> bool:
        return self.address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or self.address_is_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        # Like axes for a user name, the failure that reaches the limit already gets the
        # lockout page, and so does every attempt from the address after it.
        if request is not None and not request.axes_locked_out and self.address_is_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )
