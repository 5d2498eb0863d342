"""The delivery engine's figures on /metrics: rows by state, attempts by outcome, throttled time, latency."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class DeliveryMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.rows = Gauge(
            "techpath_deliveries", "Ledger rows by state (all replicas)", ("state",), registry=registry
        )
        self.attempts = Counter(
            "techpath_delivery_attempts",
            "Calls made to a platform for a delivery, by outcome",
            ("platform", "outcome"),
            registry=registry,
        )
        self.throttled = Counter(
            "techpath_delivery_throttled_seconds",
            "Seconds platforms asked this replica to hold back (429 Retry-After), by platform",
            ("platform",),
            registry=registry,
        )
        self.latency = Histogram(
            "techpath_delivery_seconds",
            "From a delivery being written to the platform accepting it",
            ("platform",),
            buckets=(0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800, 3600),
            registry=registry,
        )
