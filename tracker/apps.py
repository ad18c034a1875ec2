from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Opfølgning"

    def ready(self):
        from tracker.roles import ensure_roles

        # After every migrate, also of the test database: the roles and their permissions.
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="tracker-ensure-roles")
