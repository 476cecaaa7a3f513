"""Metrics and health: Prometheus counters (metrics), the health state (state), their HTTP endpoints (server) and the liveness file (heartbeat)."""
