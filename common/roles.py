"""Who may do what.

- The secretariat (group "Sekretariat", and superusers) edits agreements, obligations and
  meetings, writes any status report and confirms or returns reports of "færdiggjort".
- A party's coordinator (group "Koordinator", and a coordinator of the party in
  `Party.coordinators`) sees everything and writes status reports only for obligations their
  party owns or co-owns; they cannot edit obligations themselves.
- An observer (group "Observatør") sees everything and changes nothing.

The groups and their model permissions are made after every `migrate`; the per-obligation
rule (own party) is checked in code by `can_report_on`, everywhere a report is written.
"""

from functools import wraps

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

SECRETARIAT = "Sekretariat"
COORDINATOR = "Koordinator"
OBSERVER = "Observatør"

_VIEW_ALL = [
    "agreements.view_agreement",
    "agreements.view_initiative",
    "agreements.view_obligation",
    "agreements.view_party",
    "agreements.view_contact",
    "agreements.view_forum",
    "agreements.view_series",
    "agreements.view_fundingline",
    "agreements.view_fundingtotal",
    "tracker.view_statusreport",
    "meetings.view_meeting",
    "tracker.view_statusround",
]
GROUP_PERMISSIONS = {
    SECRETARIAT: [
        *(f"agreements.{action}_{model}" for action in ("add", "change", "delete", "view")
          for model in ("agreement", "initiative", "obligation", "party", "contact", "forum",
                        "series", "fundingline", "fundingtotal")),
        *(f"tracker.{action}_statusreport" for action in ("add", "change", "delete", "view")),
        *(f"meetings.{action}_meeting" for action in ("add", "change", "delete", "view")),
        "tracker.view_reminder",
        *(f"tracker.{action}_calendarfeed" for action in ("add", "change", "view")),
        *(f"tracker.{action}_statusround" for action in ("change", "view")),
        *(f"tracker.{action}_roundlink" for action in ("change", "view")),
    ],
    # Coordinators need "change obligation" to post a status report on the obligation's
    # page; every obligation field is read-only for them, and only their own party's
    # obligations can be changed at all.
    COORDINATOR: [
        *_VIEW_ALL,
        "agreements.change_obligation",
        "tracker.add_statusreport",
        "tracker.change_statusreport",
    ],
    OBSERVER: _VIEW_ALL,
}  # fmt: skip


def ensure_roles(**kwargs) -> None:
    """Make the three groups with exactly their permissions (after every migrate)."""
    from django.apps import apps

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None:
                # A role naming a permission no model has is a mistake in this file: say so,
                # rather than give the role less than it says.
                raise ImproperlyConfigured(f"Role {name!r} names an unknown permission {dotted!r}")
            wanted.append(permission)
        group.permissions.set(wanted)


def _groups(user) -> set[str]:
    if not hasattr(user, "_role_groups"):
        user._role_groups = set(user.groups.values_list("name", flat=True))
    return user._role_groups


ROLES = (SECRETARIAT, COORDINATOR, OBSERVER)
NO_ROLE = (
    "Din bruger har endnu ingen rolle i Kræftplan-trackeren (sekretariat, koordinator eller "
    "observatør), så du kan ikke se forpligtelserne. Bed Taskforcens sekretariat om at give "
    "dig en rolle."
)


def has_role(user) -> bool:
    """Whether the user holds one of the three roles (a superuser is the secretariat)."""
    return bool(
        user.is_active
        and user.is_staff
        and (user.is_superuser or _groups(user).intersection(ROLES))
    )


def role_required(view):
    """For every page behind the login: anonymous users are sent to the login page, and a
    staff user without one of the three roles is refused (403, in Danish)."""

    @staff_member_required
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not has_role(request.user):
            raise PermissionDenied(NO_ROLE)
        return view(request, *args, **kwargs)

    return checked


def is_secretariat(user) -> bool:
    return bool(user.is_active and (user.is_superuser or SECRETARIAT in _groups(user)))


def party_ids(user) -> set[int]:
    """The parties the user coordinates for."""
    if not hasattr(user, "_role_party_ids"):
        user._role_party_ids = set(user.parties.values_list("pk", flat=True))
    return user._role_party_ids


def owns(user, obligation) -> bool:
    """Whether the obligation is led or co-owned by one of the user's parties."""
    return obligation.is_owned_by(party_ids(user))


def can_report_on(user, obligation) -> bool:
    """Whether the user may write a status report on the obligation."""
    if not (user.is_active and user.is_staff):
        return False
    if is_secretariat(user):
        return True
    return COORDINATOR in _groups(user) and owns(user, obligation)


def can_edit_obligations(user) -> bool:
    return is_secretariat(user)
