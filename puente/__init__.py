"""Puente: an open platform for multi-stakeholder digital partnerships."""
