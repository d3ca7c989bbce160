"""The Qt desktop application: bootstrap, windows, controllers, the form loader.

The only package that imports PySide6. Widgets never open a database
session: controllers call services and show the plain data they return.
"""

from station_app.gui._none_refcount import keep_none_alive

keep_none_alive()
