"""Domain errors carry a translatable message a view can show next to the field or as a flash."""


class DomainError(Exception):
    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    """The actor may not do this (role or scope)."""


class IllegalTransition(DomainError):
    """The state machine does not allow this move."""


class Conflict(DomainError):
    """Someone else changed the record first (e.g. an offer already taken)."""
