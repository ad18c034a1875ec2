from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TrackerConfig(AppConfig):
    # The label is the name, as it has always been: the tables (tracker_statusreport,
    # ...), the migrations, the permissions (tracker.add_statusreport), the admin's
    # addresses (/admin/tracker/statusreport/) and the Celery tasks (tracker.tasks.*).
    name = "tracker"
    verbose_name = "Opfølgning"

    def ready(self):
        from common.roles import ensure_roles

        # After every migrate, also of the test database: the roles and their permissions.
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="tracker-ensure-roles")
