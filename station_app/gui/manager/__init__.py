"""The manager's screens: dashboard, safety log, statistics, review queue."""
