"""In the field: complaints registered on the spot, service records, and their person-times."""
