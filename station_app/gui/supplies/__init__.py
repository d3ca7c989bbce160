"""The supplies screens (物资台账): the page and its dialogs."""

from .page import SuppliesPage

__all__ = ["SuppliesPage"]
