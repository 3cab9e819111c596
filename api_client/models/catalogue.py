"""The versioned procedure catalogue: what each procedure needs, costs and takes."""

from __future__ import annotations

from enum import Enum

from .base import PublicModel


class FeeKind(str, Enum):
    """How a procedure's fee is computed."""

    FREE = "free"
    FLAT = "flat"  # amount_vnd per case
    PER_PAGE = "per_page"  # certified copies: first_pages_vnd x2, then next_pages_vnd, capped


class FeeRule(PublicModel):
    """Fee rule of one procedure."""

    kind: FeeKind = FeeKind.FREE
    amount_vnd: int = 0
    first_pages_vnd: int = 0
    next_pages_vnd: int = 0
    cap_vnd: int | None = None
    note: str | None = None

    def fee_for(self, pages: int = 1) -> int:
        """Fee in VND for one case (pages only matter for per-page rules)."""
        if self.kind == FeeKind.FREE:
            return 0
        if self.kind == FeeKind.FLAT:
            return self.amount_vnd
        first = min(pages, 2) * self.first_pages_vnd
        rest = max(pages - 2, 0) * self.next_pages_vnd
        total = first + rest
        return min(total, self.cap_vnd) if self.cap_vnd else total


class RequiredDocument(PublicModel):
    """One entry of a procedure's document checklist."""

    code: str
    name: str
    name_en: str | None = None
    required: bool = True
    shown_only: bool = False  # e.g. parents' ID: shown to the officer, not collected


class FormField(PublicModel):
    """One field of the declaration the officer fills for the citizen (viết hộ)."""

    key: str
    label: str
    label_en: str | None = None
    kind: str = "text"  # text | date | citizen_id | phone | choice | number
    required: bool = True
    choices: list[str] = []


class Procedure(PublicModel):
    """One administrative procedure in one catalogue version."""

    code: str
    name: str
    name_en: str | None = None
    documents: list[RequiredDocument] = []
    form_fields: list[FormField] = []
    fee: FeeRule = FeeRule()
    time_limit_days: int = 0  # working days; 0 = same day
    result_document: str = ""
    letter: str | None = None  # congratulation / condolence template handed with the result


class CataloguePublic(PublicModel):
    """A whole catalogue version; visits remember the version they started under."""

    version: int
    published_at: str | None = None
    procedures: list[Procedure] = []

    def procedure(self, code: str) -> Procedure | None:
        """The procedure with this code, or None."""
        return next((p for p in self.procedures if p.code == code), None)
