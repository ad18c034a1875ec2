"""What every part of the tracker shares and that holds no models of its own: roles,
audit, concurrency, display helpers and the base of the management commands."""
