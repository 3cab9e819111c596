"""Vietnamese text helpers: diacritic-insensitive search keys."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ -> d too) and squeeze spaces: 'Nguyễn Văn A' -> 'nguyen van a'."""
    decomposed = unicodedata.normalize("NFD", text or "")
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return " ".join(stripped.lower().split())


def search_key(*fields: str | None) -> str:
    """The folded fields joined by spaces: what a search word must occur in (a word never spans two)."""
    return " ".join(fold(f) for f in fields if f)


def matches(query: str, *fields: str | None) -> bool:
    """True when every word of the folded query occurs in the folded fields."""
    hay = search_key(*fields)
    return all(word in hay for word in fold(query).split())
