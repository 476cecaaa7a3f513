"""Per-user state (aiogram FSM storage): in process memory, or in Redis with memory as the fallback."""
