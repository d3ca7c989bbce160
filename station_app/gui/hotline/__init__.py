"""The hotline screen (救助热线 and 站外救助线索, publicity days)."""

from .page import HotlinePage

__all__ = ["HotlinePage"]
