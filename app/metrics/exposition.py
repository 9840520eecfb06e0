"""Write figures in Prometheus' text format (a pure builder: no database, no request)."""

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

from app.metrics.queries import Figures


class _Snapshot:
    """A collector that yields figures read once (a fresh registry per scrape holds it)."""

    def __init__(self, figures: Figures):
        self.figures = figures

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
        # One series per node that ever ran a worker: a dead node's grows (alert on it).
        heartbeats = GaugeMetricFamily(
            "accueil_worker_heartbeat_age_seconds",
            "Seconds since the worker of a node last beat.",
            labels=["node"],
        )
        for node, age in sorted(figures.heartbeat_ages.items()):
            heartbeats.add_metric([node], age)
        yield heartbeats


def exposition(figures: Figures) -> bytes:
    """Return the figures in Prometheus' text exposition format."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Snapshot(figures))
    return generate_latest(registry)
