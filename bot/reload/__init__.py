"""Knowledge reloads without a restart (/reload, SIGHUP): the engine in service and the swap."""
