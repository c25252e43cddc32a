"""Open311 GeoReport v2: other systems (the 12345 hotline, grid platforms) read the desk's matters and submit
new ones through an API key per client (DOMAIN.md, "Channels beyond the desk")."""
