"""Prometheus metrics for one bot process, in a registry of its own (not the global default),
so several bots in one process (tests, a shard launcher) never collide."""

from __future__ import annotations

import math
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.commands = Counter(
            "studybot_commands",
            "Slash commands handled, by command and outcome (ok, refused, error).",
            ["command", "outcome"],
            registry=self.registry,
        )
        self.command_seconds = Histogram(
            "studybot_command_seconds",
            "Time from receiving a slash command to finishing it.",
            ["command"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.posts = Counter(
            "studybot_scheduled_posts",
            "Scheduled posts by kind and outcome (sent, retry, broken).",
            ["kind", "outcome"],
            registry=self.registry,
        )
        self.gateway_latency = Gauge(
            "studybot_gateway_latency_seconds",
            "Heartbeat latency to Discord's gateway (average over shards).",
            registry=self.registry,
        )

    def watch_gateway(self, latency: Callable[[], float]) -> None:
        self.gateway_latency.set_function(lambda: _finite(latency()))

    def command(self, name: str, outcome: str, seconds: float | None) -> None:
        self.commands.labels(command=name, outcome=outcome).inc()
        if seconds is not None:
            self.command_seconds.labels(command=name).observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)


def _finite(value: float) -> float:
    return value if math.isfinite(value) else float("nan")
