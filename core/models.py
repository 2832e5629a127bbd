from django.db import models


class Heartbeat(models.Model):
    """The last time a worker ran the heartbeat task under this name."""

    name = models.CharField(max_length=50, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
