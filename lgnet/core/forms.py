"""Form widgets every app shares."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as ISO 8601 whatever the language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def parse_id(value) -> int | None:
    """A record id typed or posted by a user, or None when it is not a whole number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
