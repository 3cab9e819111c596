"""Doorstep's server: the API that field phones sync to, plus the web UI mount."""
