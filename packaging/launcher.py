"""The bundle's entry point: the ``station-app`` command of the wheel."""

import sys

from station_app.cli.entry import main

if __name__ == "__main__":
    sys.exit(main())
