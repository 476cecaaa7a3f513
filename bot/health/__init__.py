"""Metrics and health: Prometheus counters, the health state, their HTTP endpoints and the liveness file."""
