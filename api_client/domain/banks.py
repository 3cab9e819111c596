"""Short names of Vietnamese banks by their NAPAS BIN (the 6 digits a VietQR code carries)."""

from __future__ import annotations

# The banks communes most often hold their revenue accounts with; an unknown BIN still works in a
# VietQR code, it is only shown by number.
BANK_NAMES: dict[str, str] = {
    "970405": "Agribank",
    "970418": "BIDV",
    "970415": "VietinBank",
    "970436": "Vietcombank",
    "970422": "MB",
    "970407": "Techcombank",
    "970416": "ACB",
    "970432": "VPBank",
    "970423": "TPBank",
    "970403": "Sacombank",
}


def bank_name(bin_: str) -> str:
    """The bank's short name, or 'BIN <digits>' when the BIN is not in the table."""
    return BANK_NAMES.get(bin_, f"BIN {bin_}")
