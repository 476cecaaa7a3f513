"""Rate limits: token buckets in process and counted in Redis, for incoming throttling and outgoing sends."""
