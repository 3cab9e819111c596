"""Printable documents both the phone and the server render (fpdf2 imported lazily, only when used)."""
