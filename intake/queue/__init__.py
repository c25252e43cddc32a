"""The queue: per-room calling for staff and the waiting-room display."""
