from django.apps import AppConfig
from django.db.models.signals import post_migrate


class FollowupConfig(AppConfig):
    name = "followup"
    # The models were made under the label "tracker", when this app was the project
    # package: the label stays, and with it the tables (tracker_statusreport, ...), the
    # migrations, the permissions (tracker.add_statusreport) and the admin's addresses
    # (/admin/tracker/statusreport/). Nothing in the database changed with the move.
    label = "tracker"
    verbose_name = "Opfølgning"

    def ready(self):
        from common.roles import ensure_roles

        # After every migrate, also of the test database: the roles and their permissions.
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="tracker-ensure-roles")
