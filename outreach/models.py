"""Tables of the outreach area."""
