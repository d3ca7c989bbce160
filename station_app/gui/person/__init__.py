"""The person form: identity, other names and relatives, photo, history, same person."""

from .form import PersonForm

__all__ = ["PersonForm"]
