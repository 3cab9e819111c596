"""Pure domain rules shared by the phone and the server (no I/O, no framework)."""
