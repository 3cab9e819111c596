"""Login and tokens."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .base import PublicModel, RequestModel
from .people import OfficerPublic


class LoginRequest(RequestModel):
    """Username + password, once; the token then lets the phone work offline until it expires."""

    username: Annotated[str, Field(min_length=1, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=200)]


class TokenPublic(PublicModel):
    """A bearer token with its expiry and who it belongs to."""

    access_token: str
    token_type: str = "bearer"
    expires_at: str
    officer: OfficerPublic
