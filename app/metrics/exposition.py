"""Write figures in Prometheus' text format (a pure builder: no database, no request)."""

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

from app.metrics.queries import Figures


class _Snapshot:
    """A collector that yields figures read once (a fresh registry per scrape holds it)."""

    def __init__(self, figures: Figures, heartbeat_age: float | None):
        self.figures = figures
        self.heartbeat_age = heartbeat_age

    def collect(self):
        figures = self.figures
        registrations = GaugeMetricFamily(
            "accueil_registrations", "Registrations, by status.", labels=["status"]
        )
        for status, count in sorted(figures.registrations.items()):
            registrations.add_metric([status], count)
        yield registrations
        yield GaugeMetricFamily(
            "accueil_checkins", "Registrations checked in at the door.", value=figures.checked_in
        )
        yield GaugeMetricFamily(
            "accueil_outbox_pending",
            "Messages waiting in the outbox (due or backing off).",
            value=figures.outbox_pending,
        )
        yield GaugeMetricFamily(
            "accueil_outbox_failed", "Messages given up on.", value=figures.outbox_failed
        )
        yield GaugeMetricFamily(
            "accueil_outbox_oldest_pending_age_seconds",
            "Seconds since the oldest pending message was queued (0 when none waits).",
            value=figures.oldest_pending_age,
        )
        if self.heartbeat_age is not None:  # absent until a worker has beaten: alert on absent()
            yield GaugeMetricFamily(
                "accueil_worker_heartbeat_age_seconds",
                "Seconds since the freshest mail worker's last heartbeat.",
                value=self.heartbeat_age,
            )


def exposition(figures: Figures, heartbeat_age: float | None) -> bytes:
    """Return the figures in Prometheus' text exposition format."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Snapshot(figures, heartbeat_age))
    return generate_latest(registry)
