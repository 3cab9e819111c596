"""The supervisor's screens: live board, an officer's day, dossiers at risk, indicators."""
