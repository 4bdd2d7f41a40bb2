"""Row history by database triggers: inserts, updates and deletes, with the acting user."""

import pghistory


def tracked(**kwargs):
    """Class decorator for every model whose changes must be kept."""
    return pghistory.track(
        pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **kwargs
    )
