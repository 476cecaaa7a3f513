"""Operating the bot: what it could not answer, knowledge reloads, metrics and health."""
