"""Tables of the intake area."""
