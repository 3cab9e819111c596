"""Doorstep API client: typed HTTP client, errors, retry policy; models in `api_client.models`."""

from . import errors, models
from .client import Client, Page
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    ConflictError,
    DoorstepError,
    LockedError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    ValidationError,
)
from .retry import RetryPolicy
from .tokens import TokenStore

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "Client",
    "ConflictError",
    "DoorstepError",
    "LockedError",
    "NotFoundError",
    "Page",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "RetryPolicy",
    "ServerError",
    "TokenStore",
    "ValidationError",
    "errors",
    "models",
]
