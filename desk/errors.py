"""Domain errors carry a translatable message a view can show next to the field or as a flash."""
from flask import flash


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


def show_on_form(form, err: DomainError) -> bool:
    """Put a service's error next to its field (nothing typed is lost), else flash it; True if a field took it."""
    target = getattr(form, err.field, None) if form is not None and err.field else None
    if target is not None:
        target.errors = list(target.errors) + [err.message]
        return True
    flash(str(err.message), "error")
    return False
