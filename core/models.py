from django.conf import settings
from django.db import models


def acting_user(verbose_name) -> models.ForeignKey:
    """Who did something (approved, paid, hid, cancelled...): kept after the fact, so it is
    emptied, not deleted, with the account, and users get no reverse accessor for it."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )


class Heartbeat(models.Model):
    """The last time a worker ran the heartbeat task under this name."""

    name = models.CharField(max_length=50, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
