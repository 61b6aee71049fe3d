"""Faultline: an offline assistant that explains open vs closed AI, citing its sources."""

__version__ = "0.1.0"
