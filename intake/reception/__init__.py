"""Walk-in reception: the visit form, the look-up of earlier visits and cases, the confirmation."""
