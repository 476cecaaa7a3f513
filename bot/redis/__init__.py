"""Redis (REDIS_URL): the connection every replica shares, its key names and its outage state.

Only `connection` imports redis-py; `keys` and `outage` do not, so a bot without REDIS_URL
never loads it.
"""
