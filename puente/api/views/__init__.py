"""Endpoints of /api/v1/, one module per domain noun."""
