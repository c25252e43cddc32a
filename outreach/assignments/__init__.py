"""Outreach requests and assignments: ask for a service, offer it to members, accept or decline, check in."""
