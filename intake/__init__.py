"""Walk-in reception, queue tickets, repeat-visit detection, citizen portal, channel imports."""
