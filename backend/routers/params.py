"""Path and query parameter types: ids PostgreSQL's INTEGER can hold (a bigger one is a 422, not a 500)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

MAX_DB_ID = 2_147_483_647

DbId = Annotated[int, Path(ge=1, le=MAX_DB_ID)]
DbIdQuery = Annotated[int | None, Query(ge=1, le=MAX_DB_ID)]
