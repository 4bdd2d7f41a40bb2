class RuleBroken(Exception):
    """A business rule refused a change. Views show it as a form error, the API as a 4xx."""

    def __init__(self, message, *, field: str | None = None, status: int = 400):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
