from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = "Drift"

    def ready(self):
        from celery.signals import task_postrun

        from operations import health

        def record_scheduled_run(sender=None, task=None, state=None, **kwargs):
            if task is not None and task.name == health.DAILY_JOB and state == "SUCCESS":
                health.record_run(task.name)

        task_postrun.connect(record_scheduled_run, weak=False)
