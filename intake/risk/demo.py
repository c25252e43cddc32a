"""Demo risk warnings (placeholder until the demo lands)."""


def seed(ctx) -> None:
    return None
