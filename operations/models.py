from django.db import models


class JobRun(models.Model):
    """When a scheduled job last finished, written by the worker that ran it.

    The health check compares it with the job's schedule: a beat that stopped, or a worker
    that never gets the message, shows as a daily job that did not run on time.
    """

    task = models.CharField("opgave", max_length=200, primary_key=True)
    watched_since = models.DateTimeField("overvåget siden", auto_now_add=True)
    finished_at = models.DateTimeField("sidst kørt", null=True, blank=True)

    class Meta:
        verbose_name = "kørsel af planlagt opgave"
        verbose_name_plural = "kørsler af planlagte opgaver"

    def __str__(self):
        return self.task
