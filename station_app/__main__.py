"""`python -m station_app` runs the same command line as `station-app`."""

import sys

from station_app.cli.entry import main

sys.exit(main())
