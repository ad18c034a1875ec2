"""Single sign-on by OpenID Connect (mozilla-django-oidc), set up only by the environment.

The provider's endpoints come from its discovery document, `OIDC_ISSUER` +
`/.well-known/openid-configuration`, read when first needed (not at start, so that the tracker
starts while the provider is down) and kept by the process. A user is matched by the e-mail
claim to an existing user, else created without any role. With `OIDC_ROLE_GROUPS` set, the
groups claim decides the roles (and a coordinator's party) at every sign-in; without it the
secretariat gives the roles. `SessionRefresh` asks the provider again, silently, every
`OIDC_SESSION_REFRESH_SECONDS`: an account disabled there is logged out here.
"""

import functools

import requests
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from mozilla_django_oidc import auth, middleware, views
from mozilla_django_oidc.utils import import_from_settings

from agreements.models import Party
from common.roles import COORDINATOR, OBSERVER, SECRETARIAT
from common.twofactor import SSO_SESSION_KEY

ROLES = {"sekretariat": SECRETARIAT, "koordinator": COORDINATOR, "observatør": OBSERVER}
# mozilla-django-oidc's settings for the endpoints, and their names in the discovery document.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


@functools.cache
def discovery(issuer: str) -> dict:
    """The provider's discovery document (a failure is not kept: the next request tries again)."""
    response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10)
    response.raise_for_status()
    return response.json()


def get_settings(attr, *args):
    if attr in ENDPOINTS:
        return discovery(settings.OIDC_ISSUER)[ENDPOINTS[attr]]
    return import_from_settings(attr, *args)


def role_groups(value: str) -> dict[str, tuple[str, str | None]]:
    """OIDC_ROLE_GROUPS, `group=role[:party]` comma-separated: the provider's group name, the
    role (sekretariat, koordinator, observatør) and, for a coordinator, the party's slug."""
    mapping = {}
    for item in filter(None, (part.strip() for part in value.split(","))):
        group, _, role = item.partition("=")
        role, _, party = role.strip().partition(":")
        if not group.strip() or role.lower() not in ROLES:
            raise ImproperlyConfigured(
                f"OIDC_ROLE_GROUPS: {item!r} is not group=role[:party] with a role of "
                f"{', '.join(ROLES)}"
            )
        mapping[group.strip()] = (ROLES[role.lower()], party.strip() or None)
    return mapping


def apply_roles(user, groups: list[str]) -> None:
    """Gives the user exactly the roles (and coordinated parties) their groups map to."""
    mapping = role_groups(settings.OIDC_ROLE_GROUPS)
    mapped = [mapping[group] for group in groups if group in mapping]
    roles = {role for role, _ in mapped}
    parties = {party for _, party in mapped if party}
    user.groups.remove(*Group.objects.filter(name__in=ROLES.values()).exclude(name__in=roles))
    user.groups.add(*Group.objects.filter(name__in=roles))
    for party in Party.objects.filter(coordinators=user).exclude(slug__in=parties):
        party.coordinators.remove(user)
    for party in Party.objects.filter(slug__in=parties):
        party.coordinators.add(user)
    if user.is_staff != bool(roles):
        user.is_staff = bool(roles)
        user.save(update_fields=["is_staff"])


class Backend(auth.OIDCAuthenticationBackend):
    # Built for every authentication, password logins too: the endpoints are read only when
    # a sign-in by the provider needs them.
    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: get_settings("OIDC_OP_TOKEN_ENDPOINT"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: get_settings("OIDC_OP_USER_ENDPOINT"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: get_settings("OIDC_OP_JWKS_ENDPOINT"))

    def __init__(self, *args, **kwargs):
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = auth.get_user_model()

    get_settings = staticmethod(get_settings)

    def email(self, claims) -> str:
        return (claims.get(settings.OIDC_EMAIL_CLAIM) or "").strip()

    def verify_claims(self, claims):
        return bool(self.email(claims))

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(email__iexact=self.email(claims))

    def create_user(self, claims):
        email = self.email(claims)
        user = self.UserModel(username=email[:150], email=email)
        user.first_name = (claims.get("given_name") or "")[:150]
        user.last_name = (claims.get("family_name") or "")[:150]
        user.set_unusable_password()
        user.save()
        self.update_user(user, claims)
        return user

    def update_user(self, user, claims):
        if settings.OIDC_ROLE_GROUPS:
            groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
            apply_roles(user, [groups] if isinstance(groups, str) else list(groups))
        return user


class Authenticate(views.OIDCAuthenticationRequestView):
    OIDC_OP_AUTH_ENDPOINT = property(
        lambda self: get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT"), lambda self, value: None
    )
    get_settings = staticmethod(get_settings)


class Callback(views.OIDCAuthenticationCallbackView):
    get_settings = staticmethod(get_settings)

    def login_success(self):
        response = super().login_success()
        # The provider asked for its own factors: ours is not asked again (common/twofactor.py).
        self.request.session[SSO_SESSION_KEY] = True
        return response


class SessionRefresh(middleware.SessionRefresh):
    OIDC_OP_AUTHORIZATION_ENDPOINT = property(
        lambda self: get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT"), lambda self, value: None
    )

    @staticmethod
    def get_settings(attr, *args):
        return None if attr in ENDPOINTS else import_from_settings(attr, *args)
