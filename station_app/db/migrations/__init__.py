"""Alembic migrations of the station database (one file per schema version)."""
