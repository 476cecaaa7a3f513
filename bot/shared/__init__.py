"""State shared by several replicas of the bot through Redis (REDIS_URL), with a way down.

`link` connects and notices outages, `limits` counts throttling and outgoing limits in Redis,
`storage` keeps per-user settings there. Every piece falls back to in-process state while
Redis is unreachable: answering a question never depends on Redis. `keys` (names in Redis)
and `outage` (RedisUnavailable, the outage state) do not import redis-py, and `link` and
`storage` are imported only when REDIS_URL is set: a single bot never loads redis-py.
"""
