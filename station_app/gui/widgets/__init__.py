"""Widgets and widget helpers shared by every area of the application."""
