"""Screens of the officer's app: small view classes that only talk to services."""
