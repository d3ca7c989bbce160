"""The tabs of the help-request window (:mod:`station_app.gui.request_window`),
one controller per stage of the desk workflow."""
