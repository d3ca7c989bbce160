"""Relief-station desk application for the county stations of Garzê prefecture."""

__version__ = "0.1.0"
