"""The misses log: questions the bot could not answer well, recorded, stored (SQLite or Redis) and reported."""
