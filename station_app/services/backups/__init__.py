"""Backups of the station database on this computer: automatic (daily, at exit,
before every schema upgrade, rotating), manual, listed and restored.

Importing the package puts the backup before every schema upgrade in place
(:func:`station_app.db.schema.on_before_upgrade`).
"""

from . import automatic as automatic
