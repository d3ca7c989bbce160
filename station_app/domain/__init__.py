"""Pure-Python rules of the station's work: code lists, validation, value objects."""
